"""Closed lists of the member profile (lý lịch đảng viên, mẫu 2-HSĐV)."""

from datetime import date

from django.db import models

# The 54 ethnic groups of Viet Nam (Danh mục các dân tộc Việt Nam, Quyết định 121-TCTK/PPCĐ 1979).
ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ngái", "Ê Đê", "Ba Na",
    "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra Glai", "Xtiêng", "Bru-Vân Kiều",
    "Thổ", "Giáy", "Cơ Tu", "Gié Triêng", "Mạ", "Khơ Mú", "Co", "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun",
    "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn",
    "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
]

# What the records write for a member of no religion: empty, or "Không" (the first choice of the form).
NO_RELIGION = ("", "Không")

RELIGIONS = [
    "Không", "Phật giáo", "Công giáo", "Tin Lành", "Cao Đài", "Phật giáo Hòa Hảo", "Hồi giáo", "Bà-la-môn",
    "Tôn giáo khác",
]


class TheoryLevel(models.TextChoices):
    """Lý luận chính trị."""

    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so_cap", "Sơ cấp"
    INTERMEDIATE = "trung_cap", "Trung cấp"
    ADVANCED = "cao_cap", "Cao cấp"
    BACHELOR = "cu_nhan", "Cử nhân"


class StateManagementLevel(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    SPECIALIST = "chuyen_vien", "Chuyên viên"
    PRINCIPAL = "chuyen_vien_chinh", "Chuyên viên chính"
    SENIOR = "chuyen_vien_cao_cap", "Chuyên viên cao cấp"


class Degree(models.TextChoices):
    """Học vị."""

    NONE = "", "Không"
    BACHELOR = "cu_nhan", "Cử nhân/Kỹ sư"
    MASTER = "thac_si", "Thạc sĩ"
    DOCTOR = "tien_si", "Tiến sĩ"
    DSC = "tien_si_khoa_hoc", "Tiến sĩ khoa học"


class AcademicTitle(models.TextChoices):
    """Học hàm."""

    NONE = "", "Không"
    ASSOCIATE = "pho_giao_su", "Phó Giáo sư"
    PROFESSOR = "giao_su", "Giáo sư"


# Giáo dục phổ thông as written on the lý lịch ("12/12", "10/10" for the old system, "9/12"…).
GENERAL_EDUCATION = ["12/12", "11/12", "10/12", "9/12", "8/12", "7/12", "6/12", "5/12", "10/10", "9/10", "7/10"]


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class Status(models.TextChoices):
    PROBATIONARY = "du_bi", "Dự bị"
    OFFICIAL = "chinh_thuc", "Chính thức"
    TRANSFERRED_OUT = "da_chuyen_di", "Đã chuyển sinh hoạt đi"
    STRUCK_OFF = "xoa_ten", "Đã xóa tên"
    EXPELLED = "khai_tru", "Đã khai trừ"
    RESIGNED = "ra_khoi_dang", "Đã ra khỏi Đảng"
    DECEASED = "tu_tran", "Đã từ trần"


# Members counted in a unit's đảng số (party strength).
ACTIVE = [Status.PROBATIONARY, Status.OFFICIAL]


class EventKind(models.TextChoices):
    ADMITTED = "ket_nap", "Kết nạp"
    RECOGNIZED = "cong_nhan", "Công nhận đảng viên chính thức"
    TRANSFERRED_IN = "chuyen_den", "Chuyển sinh hoạt chính thức đến"
    MOVED = "chuyen_noi_bo", "Chuyển sinh hoạt trong đảng bộ"
    TRANSFERRED_OUT = "chuyen_di", "Chuyển sinh hoạt chính thức đi"
    TEMP_OUT = "tam_chuyen_di", "Chuyển sinh hoạt tạm thời đi"
    TEMP_BACK = "tam_tro_ve", "Trở về sau sinh hoạt tạm thời"
    EXCUSED = "mien_sinh_hoat", "Miễn sinh hoạt"
    RESUMED = "tro_lai_sinh_hoat", "Trở lại sinh hoạt"
    STRUCK_OFF = "xoa_ten", "Xóa tên"
    EXPELLED = "khai_tru", "Khai trừ"
    RESIGNED = "ra_khoi_dang", "Ra khỏi Đảng"
    DECEASED = "tu_tran", "Từ trần"
    READMITTED = "ket_nap_lai", "Kết nạp lại"


class LeaveReason(models.TextChoices):
    """Why a member left the Party, as far as re-admission depends on it (232-QĐ/TW §3.5, rules.md §1)."""

    NONE = "", "Chưa ghi"
    FAMILY_HARDSHIP = "hoan_canh_gia_dinh", "Hoàn cảnh gia đình đặc biệt khó khăn"
    QUIT_ACTIVITY = "tu_y_bo_sinh_hoat", "Tự ý bỏ sinh hoạt đảng"
    DISUNITY = "gay_mat_doan_ket", "Gây mất đoàn kết nghiêm trọng"
    CORRUPTION = "tham_nhung", "Bị kết án về tội tham nhũng"
    SERIOUS_CRIME = "toi_nghiem_trong", "Bị kết án về tội nghiêm trọng trở lên"
    OTHER = "khac", "Lý do khác"


# --- Groupings used by the statistics (Biểu 1-TCTW, 3-TCTW of HD 11-HD/BTCTW) ---------------------

# Age bands of the standard breakdown (years, inclusive). A member outside every band (under 18,
# which only bad data can give) counts in the total and in no band.
AGE_BANDS = [("18–30", 18, 30), ("31–40", 31, 40), ("41–50", 41, 50), ("51–60", 51, 60), ("trên 60", 61, 200)]
NO_BAND = -1


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def band_of(birth: date, on: date) -> int:
    """Index into AGE_BANDS of a member born on `birth`, on day `on`; NO_BAND if outside them all."""
    age = age_on(birth, on)
    for i, (_label, lo, hi) in enumerate(AGE_BANDS):
        if lo <= age <= hi:
            return i
    return NO_BAND


def years_before(on: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February): born on or before it = aged ≥ `years`."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


class EducationLevel(models.TextChoices):
    """Highest education (trình độ học vấn): the học vị if any, else the general education."""

    UNKNOWN = "", "Chưa rõ"
    PRIMARY = "tieu_hoc", "Tiểu học"
    LOWER_SECONDARY = "thcs", "Trung học cơ sở"
    UPPER_SECONDARY = "thpt", "Trung học phổ thông"
    UNIVERSITY = "dai_hoc", "Đại học"
    MASTER = "thac_si", "Thạc sĩ"
    DOCTOR = "tien_si", "Tiến sĩ"


_BY_DEGREE = {"cu_nhan": EducationLevel.UNIVERSITY.value, "thac_si": EducationLevel.MASTER.value,
              "tien_si": EducationLevel.DOCTOR.value, "tien_si_khoa_hoc": EducationLevel.DOCTOR.value}


def education_level(degree: str, general_education: str) -> str:
    """"12/12" (or "10/10" in the old 10-year system) finished upper secondary; 9/12 (7/10) lower
    secondary; 5/12 (4/10) primary; less, or nothing written, is unknown."""
    if degree in _BY_DEGREE:
        return _BY_DEGREE[degree]
    grade, _, system = (general_education or "").partition("/")
    if not (grade.isdigit() and system in ("12", "10")):
        return EducationLevel.UNKNOWN.value
    grade, full = int(grade), int(system)
    if grade >= full:
        return EducationLevel.UPPER_SECONDARY.value
    if grade >= full - 3:
        return EducationLevel.LOWER_SECONDARY.value
    if grade >= (5 if full == 12 else 4):
        return EducationLevel.PRIMARY.value
    return EducationLevel.UNKNOWN.value
