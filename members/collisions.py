"""CCCD collisions: a CCCD someone enters that a member of a unit they cannot change already holds.

The duplicate is refused (one CCCD, one person), but the refusal itself tells that the person is a
party member somewhere else, so it must not become a lookup: each collision is written to the audit
log at the common ancestor of the two units (only the level that sees both reads it: who tried, which
CCCD, when), and after `rules.CCCD_COLLISIONS_PER_DAY` of them in a day a user's imports (dry runs
too) and new or edited records are refused with a message to ask the level above.

The entry is written in a transaction of its own before the refusal is raised: the refused change
rolls back, the record of the attempt must not. Callers call `guard` outside their own transaction.
"""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import record
from core.errors import DomainError
from core.scoping import can
from core.tree import common_ancestor
from members import rules
from members.models import Member
from orgs.models import OrgUnit

ACTION = "members.cccd.collision"
TAKEN = "Số CCCD {cccd} đã có trong hồ sơ của một đảng viên khác."


def refusal() -> str:
    return (f"Hôm nay bạn đã nhập {rules.CCCD_COLLISIONS_PER_DAY} số CCCD trùng với đảng viên ở đơn vị ngoài phạm vi "
            "của bạn, mức tối đa trong một ngày; hệ thống tạm dừng việc nhập và thêm hồ sơ của bạn đến hết hôm nay. "
            "Hãy liên hệ cấp ủy cấp trên (nơi quản lý cả hai đơn vị) để đối chiếu các số CCCD này.")


def used_today(user) -> int:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return AuditEntry.objects.filter(action=ACTION, actor=user, created_at__gte=start).count()


def check_allowance(user) -> None:
    """Refuse once `user` has met the day's cap. Asked before any CCCD is looked up, whether it collides
    or not: refusing only the colliding ones would answer the question all the same."""
    if user is not None and used_today(user) >= rules.CCCD_COLLISIONS_PER_DAY:
        raise DomainError(refusal(), field="citizen_id")


def settle_import(user, unit: OrgUnit, holders: list[Member], used_before: int) -> str | None:
    """Record an import's collisions; the refusal of the whole file if they pass the day's cap, so
    that a file of thousands of CCCDs says nothing of any of them."""
    record_all(user, unit, holders, "nhập tệp")
    if used_before + len(holders) > rules.CCCD_COLLISIONS_PER_DAY:
        return refusal()
    return None


def record_all(user, unit: OrgUnit, holders: list[Member], via: str) -> None:
    """One entry per collision, scoped at the common ancestor of `unit` and the holder's unit."""
    if not holders:
        return
    scopes = {m.pk: common_ancestor(unit.path, m.org_path) for m in holders}
    names = dict(OrgUnit.objects.filter(path__in=set(scopes.values())).values_list("path", "name"))
    with transaction.atomic():
        for m in holders:
            record(ACTION, actor=user, obj=m, unit_path=scopes[m.pk], unit_name=names.get(scopes[m.pk], ""),
                   after={"cccd": m.citizen_id, "tried_unit": unit.name, "holder_unit": m.unit.name, "via": via})


def guard(user, unit: OrgUnit, cccd: str | None, member: Member | None = None, via: str = "") -> None:
    """Before writing `cccd` for a member of `unit` (`member`: the record being edited): refuse if
    another member holds it out of `user`'s reach, recording the attempt, or if the day's cap is met."""
    if user is None or not cccd:
        return
    check_allowance(user)
    holder = Member.objects.filter(citizen_id=cccd).select_related("unit")
    if member is not None and member.pk:
        holder = holder.exclude(pk=member.pk)
    holder = holder.first()
    if holder is None or can(user, "change", holder.org_path):
        return  # free, or held where the user works anyway: the ordinary message says so
    record_all(user, unit, [holder], via)
    raise DomainError(TAKEN.format(cccd=cccd), field="citizen_id")
