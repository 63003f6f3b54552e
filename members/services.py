"""Member placements. The member-records issue adds the full life cycle on top of these."""

from datetime import date, timedelta

from django.db import transaction

from audit.services import record
from core.errors import DomainError
from members.models import Member, MemberPeriod
from orgs.models import OrgUnit


def place(members, unit: OrgUnit, on: date) -> int:
    """Move `members` (a queryset) into `unit` from day `on`, keeping their history. No audit:
    the caller (a restructuring or a transfer) writes the one entry that explains it."""
    ids = list(members.values_list("pk", flat=True))
    if not ids:
        return 0
    MemberPeriod.objects.filter(member_id__in=ids, valid_to__isnull=True, valid_from__gte=on).update(unit=unit)
    ended = MemberPeriod.objects.filter(member_id__in=ids, valid_to__isnull=True, valid_from__lt=on)
    ended_rows = list(ended.values_list("member_id", "status"))
    ended.update(valid_to=on - timedelta(days=1))
    MemberPeriod.objects.bulk_create(
        MemberPeriod(member_id=mid, unit=unit, status=status, valid_from=on) for mid, status in ended_rows
    )
    Member.objects.filter(pk__in=ids).update(unit=unit, org_path=unit.path)
    return len(ids)


@transaction.atomic
def create_member(*, unit: OrgUnit, full_name: str, gender: str, birth_date: date, status: str,
                  since: date, by, ethnicity: str = "Kinh", admitted_on: date | None = None) -> Member:
    if not unit.is_open:
        raise DomainError(f"“{unit.name}” đã kết thúc hoạt động; hãy chọn chi bộ đang hoạt động.", field="unit")
    member = Member.objects.create(unit=unit, full_name=full_name.strip(), gender=gender, birth_date=birth_date,
                                   status=status, ethnicity=ethnicity, admitted_on=admitted_on)
    MemberPeriod.objects.create(member=member, unit=unit, status=status, valid_from=since)
    if by is not None:
        record("members.member.created", actor=by, obj=member, unit_path=unit.path, unit_name=unit.name,
               after={"full_name": member.full_name, "status": status, "unit": unit.pk})
    return member
