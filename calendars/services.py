"""Adding and removing the days of an announcement: guard -> atomic change -> audit.

The calendar is national, so only an administrator at the top of the tree (or a superuser) edits it."""

from datetime import date

from django.db import transaction

from access.rules import Role
from audit.services import record
from calendars import workdays
from calendars.models import DayException, DayKind
from core.errors import DomainError
from core.scoping import held_grants
from core.text import vn_date
from core.tree import SEGMENT

WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def _top_admin_grant(user):
    return next((g for g in held_grants(user) if g.role == Role.ADMIN and len(g.path) == SEGMENT), None)


def may_edit(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or _top_admin_grant(user)))


def _audit_path(user) -> tuple[str, str]:
    grant = _top_admin_grant(user)
    return (grant.path, grant.unit_name) if grant else ("", "")


def add_exception(*, day: date, kind: str, note: str, source: str, by) -> DayException:
    if not may_edit(by):
        raise DomainError("Chỉ quản trị viên cấp cao nhất mới được sửa lịch ngày làm việc.")
    if DayException.objects.filter(day=day).exists():
        raise DomainError(f"Ngày {vn_date(day)} đã có trong bảng ngày nghỉ/làm bù; hãy xóa dòng đó trước nếu muốn đổi.",
                          "day")
    working = kind == DayKind.WORKING
    if workdays.is_working_day(day) == working:
        what = "ngày làm việc" if working else "ngày nghỉ"
        why = workdays.calendar_of(day.year)
        named = (why.working if working else why.off).get(day)
        reason = f" ({named.name})" if named else f" ({WEEKDAYS[day.weekday()]})"
        hint = ("Chỉ ghi làm bù cho một ngày đang là ngày nghỉ (thứ Bảy, Chủ nhật hoặc ngày lễ)." if working
                else "Chỉ ghi ngày nghỉ cho một ngày đang là ngày làm việc.")
        raise DomainError(f"Ngày {vn_date(day)} đã là {what}{reason}. {hint}", "day")
    path, unit_name = _audit_path(by)
    with transaction.atomic():
        row = DayException.objects.create(day=day, kind=kind, note=note, source=source)
        record("calendars.day_exception.added", actor=by, obj=row, unit_path=path, unit_name=unit_name,
               after={"ngày": day.isoformat(), "loại": row.get_kind_display(), "ghi chú": note, "căn cứ": source})
    return row


def delete_exception(row: DayException, *, by) -> None:
    if not may_edit(by):
        raise DomainError("Chỉ quản trị viên cấp cao nhất mới được sửa lịch ngày làm việc.")
    path, unit_name = _audit_path(by)
    with transaction.atomic():
        record("calendars.day_exception.deleted", actor=by, obj=row, unit_path=path, unit_name=unit_name,
               before={"ngày": row.day.isoformat(), "loại": row.get_kind_display(), "ghi chú": row.note,
                       "căn cứ": row.source})
        row.delete()
