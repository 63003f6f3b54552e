"""Vietnamese names with realistic frequencies, for demo data and generated fixtures."""

import random

# Family names weighted roughly by their share of the population.
FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 1.1), ("Phan", 4.5),
    ("Vũ", 3.9), ("Võ", 1.1), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3),
    ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.8), ("Trương", 0.7), ("Lương", 0.5), ("Mai", 0.4), ("Đào", 0.4),
    ("Cao", 0.4), ("Lâm", 0.3), ("Hà", 0.4), ("Tạ", 0.2), ("Chu", 0.2), ("Kiều", 0.1), ("Quách", 0.1),
]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân", "Ngọc", "Đình", "Trọng", "Anh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Phương", "Mai"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Khoa",
    "Kiên", "Lâm", "Long", "Lực", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài",
    "Thắng", "Thành", "Thịnh", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Ánh", "Đạt",
]
GIVEN_FEMALE = [
    "An", "Anh", "Ánh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hồng", "Huệ", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngọc", "Nhung", "Oanh",
    "Phương", "Quyên", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Đào",
]
# The 53 ethnic minorities most often met in member lists (the majority is Kinh).
MINORITIES = ["Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê", "Ba Na", "Sán Chay",
              "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông", "Thổ"]

_FAMILY_NAMES = [f for f, _ in FAMILY]
_FAMILY_WEIGHTS = [w for _, w in FAMILY]


def full_name(rng: random.Random, female: bool) -> str:
    family = rng.choices(_FAMILY_NAMES, _FAMILY_WEIGHTS)[0]
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{family} {middle} {given}"


def ethnicity(rng: random.Random, minority_share: float = 0.15) -> str:
    return rng.choice(MINORITIES) if rng.random() < minority_share else "Kinh"
