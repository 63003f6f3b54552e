"""What a target is and how its status is read (issue 16 item 4). House definitions, not statutory
numbers: no regulation defines "vượt" or the status of a period without a figure, so they are written here
and shown on the pages (`STATUS_NOTES`)."""

from django.db import models

from core.text import vn_number

ACTION = "manage_targets"  # access/rules.py: organization officers and administrators, over their subtree


class Kind(models.TextChoices):
    COUNT = "so_luong", "Số lượng"
    PERCENT = "ty_le", "Tỷ lệ (%)"
    POPULATION_SHARE = "ty_le_dan_so", "Tỷ lệ so với dân số (%)"
    YES_NO = "co_khong", "Có/không"


class Direction(models.TextChoices):
    AT_LEAST = "it_nhat", "Ít nhất (từ … trở lên)"
    AT_MOST = "khong_qua", "Không quá"


class Source(models.TextChoices):
    ENTERED = "nhap", "Nhập kèm minh chứng"
    COMPUTED = "tinh", "Tính từ hồ sơ trong hệ thống"


class Mode(models.TextChoices):
    """How a target is cascaded to the units below (`services.cascade`)."""

    ALLOCATE = "phan_bo", "Phân bổ số lượng (tổng các phần không vượt chỉ tiêu chung)"
    THRESHOLD = "cung_nguong", "Cùng một ngưỡng cho mọi đơn vị"


class Status(models.TextChoices):
    ACHIEVED = "dat", "Đạt"
    EXCEEDED = "vuot", "Vượt"
    NOT_ACHIEVED = "chua_dat", "Chưa đạt"
    NOT_DUE = "chua_den_han", "Chưa đến hạn"
    NO_FIGURE = "chua_co_so_lieu", "Chưa có số liệu"


PERCENT_KINDS = {Kind.PERCENT, Kind.POPULATION_SHARE}
MET = {Status.ACHIEVED, Status.EXCEEDED}

STATUS_NOTES = [
    "“Vượt”: kết quả vượt hẳn kế hoạch theo chiều của chỉ tiêu (lớn hơn kế hoạch với chỉ tiêu “ít nhất”, nhỏ hơn "
    "với chỉ tiêu “không quá”); bằng đúng kế hoạch là “Đạt”. Chỉ tiêu có/không chỉ có Đạt hoặc Chưa đạt.",
    "Kết quả cả năm (kỳ kết thúc 31/12) được so với kế hoạch ngay khi nhập; chưa có kết quả cả năm mà năm chưa hết là "
    "“Chưa đến hạn”; năm đã hết mà chưa nhập là “Chưa có số liệu” (không tính vào chỉ tiêu chưa đạt).",
    "Chỉ tiêu chỉ đặt cho cuối nhiệm kỳ: các năm trước năm đó là “Chưa đến hạn”.",
    "Tỷ lệ (%) không quá 100; “đạt 115% kế hoạch” hãy ghi là chỉ tiêu số lượng, hệ thống tự tính phần trăm kế hoạch.",
]


def show(value, kind: str) -> str:
    """A value as Vietnamese write it: 1.250; 95,5%; có."""
    if value is None:
        return "—"
    if kind == Kind.YES_NO:
        return "có" if value else "không"
    decimals = 0 if value == int(value) else (1 if value * 10 == int(value * 10) else 2)
    text = vn_number(float(value), decimals)
    return f"{text}%" if kind in PERCENT_KINDS else text
