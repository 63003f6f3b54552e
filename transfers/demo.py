"""Transfers in the demo province (members/demo.py), written through the real services, dated around the day
the demo is loaded so the work lists of xa_a and xa_b show them:

- A → B, official, accepted 20 days ago: the member now sits in B, the history shows both communes;
- A → B, official, letter issued 10 days ago, not yet presented (B sees the incoming member's record);
- A → B, official, the letter issued 50 days ago and never presented: overdue;
- B → A, official, presented 14 days ago, awaiting A's acceptance (overdue by the house reminder);
- A → a cell of B, temporary (study), accepted, ending within the month;
- B → outside the system, official, accepted (left the tree); and one cancelled in A.

Run once: a second run finds transfers of the demo province and does nothing.
"""

from datetime import date, timedelta

from django.db import transaction

from members.demo import DEMO_CODE
from members.models import Member, MemberEvent
from orgs.models import Kind as UnitKind
from orgs.models import OrgUnit
from transfers import services
from transfers.models import Kind, Purpose, Transfer


def _cells(commune: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(path__startswith=commune.path, kind=UnitKind.CELL, valid_to__isnull=True)
                .order_by("path"))


class _Pick:
    """Active members of a commune with no event on or after `since` (an acceptance must come after the
    member's last event), each used once."""

    def __init__(self):
        self.used: set[int] = set()

    def __call__(self, commune: OrgUnit, since: date) -> Member:
        later = MemberEvent.objects.filter(on__gte=since).values("member_id")
        # Not from the commune's first two cells: members.demo left its data-quality faults there (a member
        # entered twice, a short CCCD), which the quality page must still find.
        member = (Member.objects.active().filter(org_path__startswith=commune.path, unit__kind=UnitKind.CELL)
                  .exclude(unit__in=_cells(commune)[:2]).exclude(pk__in=later).exclude(pk__in=self.used).exclude(transfers__isnull=False)
                  .select_related("unit").order_by("pk").first())
        self.used.add(member.pk)
        return member


def _start(member, today, days_ago, **kw):
    started = today - timedelta(days=days_ago)
    fields = {"kind": Kind.OFFICIAL, "purpose": Purpose.RESIDENCE, "reason_on": started - timedelta(days=7),
              "started_on": started, "decision_number": "", "by": None}
    fields.update(kw)
    return services.start(member, **fields)


@transaction.atomic
def load_transfers_demo() -> bool:
    province = OrgUnit.objects.filter(code=DEMO_CODE).first()
    if province is None or Transfer.objects.filter(from_unit__path__startswith=province.path).exists():
        return False
    communes = {c.short_name: c for c in OrgUnit.objects.filter(parent=province, kind=UnitKind.COMMUNE,
                                                                 valid_to__isnull=True)}
    a, b = communes["Xã An Hòa"], communes["Xã Bình Sơn"]
    cells_a, cells_b = _cells(a), _cells(b)
    today, pick = date.today(), _Pick()

    done = _start(pick(a, today - timedelta(days=40)), today, 35, to_unit=cells_b[0], purpose=Purpose.WORK,
                  decision_number="215-QĐ/UBND")
    services.present(done, on=today - timedelta(days=25), by=None)
    services.accept(done, on=today - timedelta(days=20), by=None)

    _start(pick(a, today - timedelta(days=20)), today, 10, to_unit=cells_b[1 % len(cells_b)])
    _start(pick(a, today - timedelta(days=60)), today, 50, to_unit=b, note="Chưa thấy đảng viên đến nộp giấy")

    waiting = _start(pick(b, today - timedelta(days=30)), today, 25, to_unit=cells_a[0], purpose=Purpose.RETIRE)
    services.present(waiting, on=today - timedelta(days=21), by=None)

    study_from = today - timedelta(days=300)
    temp = _start(pick(a, study_from - timedelta(days=20)), today, 305, kind=Kind.TEMPORARY, purpose=Purpose.STUDY,
                  to_unit=cells_b[-1], temp_from=study_from, temp_until=today + timedelta(days=20),
                  note="Học tập trung tại Trường Chính trị tỉnh, sinh hoạt tạm thời nơi ở trong thời gian học")
    services.accept(temp, on=study_from, by=None)

    out = _start(pick(b, today - timedelta(days=40)), today, 30, purpose=Purpose.WORK,
                 to_outside="Chi bộ Văn phòng, Đảng ủy Sở Nội vụ tỉnh Bình Định", decision_number="88-QĐ/SNV")
    services.accept(out, on=today - timedelta(days=5), by=None)

    cancelled = _start(pick(a, today - timedelta(days=20)), today, 15, to_unit=cells_b[0])
    services.cancel(cancelled, on=today - timedelta(days=12), reason="Đảng viên ở lại địa phương", by=None)
    return True
