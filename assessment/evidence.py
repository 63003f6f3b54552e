"""What the records hold about each subject for the year, shown beside its rating: the member's life events
(excused from activity, temporary transfer, moves: HD 43 §7.5–7.6 rate them on the work actually done or at the
home cell) and the discipline decided in the year (a ground of "không hoàn thành nhiệm vụ", QĐ 366 Điều 11).

Discipline lives in `oversight`, a peer of this app: it is read through the app registry when installed, and
through its own `visible_to` (those who may read oversight records), so nothing here depends on its code."""

from django.apps import apps
from django.db.models import Q

from core.text import vn_date
from members.models import EventKind, MemberEvent

SHOWN_EVENTS = [EventKind.EXCUSED, EventKind.RESUMED, EventKind.TEMP_OUT, EventKind.TEMP_BACK, EventKind.MOVED,
                EventKind.TRANSFERRED_IN]


def for_ratings(ratings, user, year: int) -> dict[int, list[str]]:
    """{rating id: ["Miễn sinh hoạt 01/03/2025", "Kỷ luật Khiển trách (12-QĐ/ĐU, 05/06/2025)", …]}."""
    out: dict[int, list[str]] = {r.pk: [] for r in ratings}
    by_member = {r.member_id: r.pk for r in ratings if r.member_id}
    by_unit = {r.unit_id: r.pk for r in ratings if r.unit_id}
    if by_member:
        events = (MemberEvent.objects.filter(member_id__in=list(by_member), on__year=year, kind__in=SHOWN_EVENTS)
                  .order_by("on", "id"))
        for e in events:
            out[by_member[e.member_id]].append(f"{e.get_kind_display()} {vn_date(e.on)}")
    if apps.is_installed("oversight") and (by_member or by_unit):
        discipline = apps.get_model("oversight", "DisciplineDecision")
        rows = (discipline.objects.visible_to(user)
                .filter(Q(member_id__in=list(by_member)) | Q(unit_id__in=list(by_unit)), decided_on__year=year)
                .order_by("decided_on", "id"))
        for d in rows:
            key = by_member.get(d.member_id) if d.member_id else by_unit.get(d.unit_id)
            if key is not None:
                out[key].append(f"Kỷ luật {d.get_form_display()} ({d.decision_number}, {vn_date(d.decided_on)})")
    return out
