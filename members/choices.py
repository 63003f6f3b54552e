"""Closed lists of the member profile (lý lịch đảng viên, mẫu 2-HSĐV)."""

from django.db import models

# The 54 ethnic groups of Viet Nam (Danh mục các dân tộc Việt Nam, Quyết định 121-TCTK/PPCĐ 1979).
ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ngái", "Ê Đê", "Ba Na",
    "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra Glai", "Xtiêng", "Bru-Vân Kiều",
    "Thổ", "Giáy", "Cơ Tu", "Gié Triêng", "Mạ", "Khơ Mú", "Co", "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun",
    "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn",
    "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
]

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
