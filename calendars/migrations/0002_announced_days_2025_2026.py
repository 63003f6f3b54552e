"""The swapped days of 2025 and 2026 as the government announced them.

National data every installation needs (not demo data), so a migration rather than the demo loader.
Only the swaps: the Tết breaks (25/01–02/02/2025, 14/02–22/02/2026) are the statutory Tết days plus
weekends, and 27/04/2026 (Giỗ Tổ on a Sunday) is the statutory day in lieu; `holidays.VN` gives all of
those. The `holidays` package knows these two swaps too; the rows keep them whatever its version says.
"""

from datetime import date

from django.db import migrations

DAYS = [
    (date(2025, 4, 26), "lam_viec", "Thứ Bảy làm bù cho ngày nghỉ 02/05/2025 (nghỉ liền 30/4–04/5/2025).",
     "Thông báo 6150/TB-BLĐTBXH của Bộ Lao động – Thương binh và Xã hội (lịch nghỉ Tết, 30/4–1/5 năm 2025)"),
    (date(2025, 5, 2), "nghi", "Nghỉ hoán đổi với thứ Bảy 26/04/2025 (nghỉ liền 30/4–04/5/2025).",
     "Thông báo 6150/TB-BLĐTBXH của Bộ Lao động – Thương binh và Xã hội (lịch nghỉ Tết, 30/4–1/5 năm 2025)"),
    (date(2026, 8, 22), "lam_viec", "Thứ Bảy làm bù cho ngày nghỉ 31/08/2026 (nghỉ liền 29/8–02/9/2026). "
     "Chưa đối chiếu được văn bản gốc: hãy kiểm tra và sửa nếu khác.",
     "Lịch nghỉ Quốc khánh 2026 (theo dữ liệu gói holidays 0.108; số văn bản chưa xác minh)"),
    (date(2026, 8, 31), "nghi", "Nghỉ hoán đổi với thứ Bảy 22/08/2026 (nghỉ liền 29/8–02/9/2026). "
     "Chưa đối chiếu được văn bản gốc: hãy kiểm tra và sửa nếu khác.",
     "Lịch nghỉ Quốc khánh 2026 (theo dữ liệu gói holidays 0.108; số văn bản chưa xác minh)"),
]


def add(apps, schema_editor):
    DayException = apps.get_model("calendars", "DayException")
    for day, kind, note, source in DAYS:
        DayException.objects.get_or_create(day=day, defaults={"kind": kind, "note": note, "source": source})


def remove(apps, schema_editor):
    DayException = apps.get_model("calendars", "DayException")
    DayException.objects.filter(day__in=[d for d, *_ in DAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
