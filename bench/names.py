"""Vietnamese names and places for the generated fixture, with rough real frequencies.

Weights are shares in percent (family names: Nguyễn ≈ 38%, Trần ≈ 11%, Lê ≈ 9.5%…; ethnic groups:
2019 census population in thousands). They only need to look like the real party, not match it.
"""

from bisect import bisect
from itertools import accumulate
from random import Random

FAMILY = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7.1, "Hoàng": 3.5, "Huỳnh": 1.6, "Phan": 4.5, "Vũ": 2.5,
    "Võ": 1.4, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1, "Lý": 0.5, "Đinh": 0.7,
    "Đào": 0.6, "Trịnh": 0.6, "Mai": 0.5, "Lương": 0.5, "Lưu": 0.4, "Trương": 0.6, "Tạ": 0.3, "Cao": 0.5,
    "Đoàn": 0.5, "Hà": 0.6, "Chu": 0.3, "Thái": 0.2, "Kiều": 0.2, "Lâm": 0.4, "Quách": 0.2, "Tô": 0.3,
    "Vương": 0.3, "La": 0.2, "Châu": 0.3, "Triệu": 0.3, "Phùng": 0.4, "Tống": 0.2, "Mạc": 0.1, "Giang": 0.2,
    "Thân": 0.2, "Lại": 0.2, "Nghiêm": 0.1, "Khổng": 0.1, "Doãn": 0.1, "Âu": 0.1,
}
# Family names common among ethnic minorities (Tày, Nùng, Thái, Mông, Khmer…), used for some of them.
MINORITY_FAMILY = {
    "Nông": 5, "Hoàng": 4, "Lò": 4, "Cầm": 2, "Lường": 2, "Giàng": 3, "Thào": 3, "Sùng": 2, "Vàng": 2,
    "Lục": 1, "Ma": 1, "Hà": 3, "Thạch": 3, "Danh": 2, "Sơn": 2, "Triệu": 2, "Bàn": 1, "Quàng": 1,
}
MIDDLE_MALE = {
    "Văn": 40, "Hữu": 6, "Đức": 6, "Minh": 6, "Quang": 5, "Công": 4, "Thanh": 4, "Đình": 4, "Xuân": 3,
    "Ngọc": 3, "Quốc": 3, "Anh": 2, "Duy": 2, "Trọng": 2, "Mạnh": 2, "Tiến": 2, "Thế": 2, "Bá": 2,
    "Viết": 1, "Trung": 1,
}
MIDDLE_FEMALE = {
    "Thị": 55, "Ngọc": 6, "Thu": 5, "Thanh": 5, "Minh": 3, "Kim": 3, "Phương": 3, "Hồng": 3, "Thúy": 2,
    "Bích": 2, "Hoài": 1, "Diệu": 1, "Mai": 1, "Lan": 1, "Hải": 1, "Khánh": 1, "Quỳnh": 1, "Bảo": 1,
}
GIVEN_MALE = (
    "Anh Bình Cường Dũng Đức Hùng Hải Hiếu Hòa Hoàng Huy Khánh Khoa Kiên Lâm Long Luân Minh Nam Nghĩa Phong "
    "Phúc Quang Quân Sơn Tài Thắng Thành Thịnh Toàn Trung Tú Tuấn Tùng Việt Vinh Hưng Lộc Tâm Tiến Trường Đạt "
    "Duy Hiển Chiến Công Định Hậu Khải Lợi Nhân Phát Quý Sang Tín Vũ Bảo Cảnh Giang Hiệp Kha"
).split()
GIVEN_FEMALE = (
    "Anh Bích Châu Chi Dung Giang Hà Hạnh Hằng Hiền Hoa Hồng Huệ Hương Lan Liên Linh Loan Mai My Nga Ngân "
    "Ngọc Nhung Oanh Phương Quyên Quỳnh Thảo Thu Thủy Trang Tuyết Uyên Vân Yến Xuân Lý Trinh Nhàn Tâm Thanh "
    "Hòa Lê Diễm Gấm Hoài Khuyên Lụa Mơ Nhi Sen Thắm Vy"
).split()

MAJORITY = "Kinh"
# Spellings as in members.choices.ETHNICITIES (Quyết định 121-TCTK/PPCĐ).
MINORITIES = {
    "Tày": 1845, "Thái": 1820, "Mường": 1452, "Mông": 1393, "Khmer": 1319, "Nùng": 1083, "Dao": 891,
    "Hoa": 750, "Gia Rai": 513, "Ê Đê": 398, "Ba Na": 287, "Xơ Đăng": 212, "Sán Chay": 201, "Cơ Ho": 200,
    "Sán Dìu": 183, "Chăm": 179, "Hrê": 149, "Ra Glai": 146, "Mnông": 127, "Xtiêng": 100, "Bru-Vân Kiều": 94,
    "Thổ": 91, "Khơ Mú": 90, "Cơ Tu": 75, "Giáy": 67, "Gié Triêng": 63, "Tà Ôi": 52, "Mạ": 50, "Co": 40,
    "Chơ Ro": 29, "Xinh Mun": 29, "Hà Nhì": 25, "Chu Ru": 23, "Lào": 17, "Kháng": 16, "La Chí": 15,
    "Phù Lá": 12, "La Hủ": 12, "La Ha": 10, "Pà Thẻn": 8, "Chứt": 7, "Lự": 6, "Lô Lô": 4, "Mảng": 4,
    "Cơ Lao": 4, "Bố Y": 3, "Cống": 2, "Ngái": 1, "Si La": 1, "Pu Péo": 1, "Rơ Măm": 1, "Brâu": 1, "Ơ Đu": 1,
}

# The 34 provinces and centrally-run cities since 01/7/2025 (short names).
PROVINCES = [
    "Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ", "Lai Châu", "Điện Biên", "Sơn La",
    "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai",
    "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Quảng Trị", "Quảng Ngãi", "Gia Lai",
    "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
# Party committees a province has beside its communes (đảng bộ trực thuộc tỉnh ủy).
PROVINCE_COMMITTEES = [
    "Đảng bộ Công an", "Đảng bộ Quân sự", "Đảng bộ các cơ quan Đảng", "Đảng bộ Ủy ban nhân dân",
    "Đảng bộ Mặt trận Tổ quốc, các đoàn thể",
]
PLACE_SYLLABLES = (
    "An Bình Phú Tân Hòa Long Thạnh Phước Mỹ Đông Tây Nam Bắc Trung Hưng Thuận Xuân Hiệp Quang Vĩnh Lộc Hải "
    "Sơn Thủy Lâm Hà Minh Thành Đức Nghĩa Tiến Phong Yên Kim Ngọc Hồng Cát Lạc Định Khánh Bảo Thái Hoàng"
).split()
GRASSROOTS_COMMITTEES = [
    "Đảng bộ Công an", "Đảng bộ Quân sự", "Đảng bộ Trường Trung học phổ thông", "Đảng bộ Bệnh viện",
    "Đảng bộ Công ty cổ phần", "Đảng bộ Hợp tác xã", "Đảng bộ Cơ quan", "Đảng bộ Khu dân cư",
]
GRASSROOTS_CELLS = [
    "Chi bộ thôn", "Chi bộ ấp", "Chi bộ khu phố", "Chi bộ tổ dân phố", "Chi bộ Trường Tiểu học",
    "Chi bộ Trường Trung học cơ sở", "Chi bộ Trạm Y tế", "Chi bộ Trường Mầm non", "Chi bộ bản",
]
CELLS = ["Chi bộ thôn", "Chi bộ khu phố", "Chi bộ tổ dân phố", "Chi bộ phòng", "Chi bộ khoa", "Chi bộ đội"]


class Table:
    """A weighted choice drawn with one `random()` and a binary search (fast enough for millions)."""

    def __init__(self, weights: dict[str, float] | list[str]):
        if isinstance(weights, list):
            weights = dict.fromkeys(weights, 1)
        self.items = list(weights)
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, rng: Random) -> str:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


FAMILY_TABLE = Table(FAMILY)
MINORITY_FAMILY_TABLE = Table(MINORITY_FAMILY)
MIDDLE_TABLES = {True: Table(MIDDLE_MALE), False: Table(MIDDLE_FEMALE)}
GIVEN_TABLES = {True: Table(GIVEN_MALE), False: Table(GIVEN_FEMALE)}
MINORITY_TABLE = Table(MINORITIES)


def place_name(rng: Random) -> str:
    first = rng.choice(PLACE_SYLLABLES)
    second = rng.choice(PLACE_SYLLABLES)
    return f"{first} {second}" if second != first else first
