"""What `transfers` adds to the work list (core.worklist): letters not yet presented, transfers awaiting
acceptance, temporary transfers ending. Both units see each item: the rows come through `visible_to`, which
scopes a transfer by the sending and the receiving unit's paths."""

from datetime import date

from django.urls import reverse

from core import worklist
from core.scoping import can
from core.text import vn_date
from transfers.models import Kind, Status, Transfer

LETTER = "transfers.letter"
ACCEPTANCE = "transfers.acceptance"
TEMPORARY_END = "transfers.temporary_end"


def _item(kind: str, t: Transfer, user, title: str, due: date, note: str = "") -> worklist.Item:
    # The unit the item is filed under: the sending unit for its officers (and those above both), the
    # receiving one for the receiving officers, who do not see the sending unit.
    unit = t.from_unit if can(user, "view", t.from_unit.path) or t.to_unit is None else t.to_unit
    return worklist.Item(kind, title, due, unit.pk, unit.name, reverse("transfers-detail", args=[t.pk]), unit.path,
                         note)


def _rows(user, **filters):
    return (Transfer.objects.visible_to(user).filter(**filters)
            .select_related("member", "from_unit", "to_unit").order_by("pk"))


def letters(user, today: date, horizon: date):
    """Letters issued and not yet presented to the receiving chi ủy: due 30 working days after the letter."""
    for t in _rows(user, status=Status.STARTED, present_due__lte=horizon):
        yield _item(LETTER, t, user, f"Giấy giới thiệu chưa nộp: {t.member.full_name}, {t.from_unit.name} → "
                    f"{t.destination}", t.present_due, f"Giới thiệu ngày {vn_date(t.started_on)}")


def acceptances(user, today: date, horizon: date):
    """Letters presented and not yet accepted by the receiving unit (a house reminder, transfers.rules)."""
    for t in _rows(user, status=Status.PRESENTED, accept_due__lte=horizon):
        yield _item(ACCEPTANCE, t, user, f"Chờ tiếp nhận: {t.member.full_name} tại {t.destination}", t.accept_due,
                    f"Nộp giấy giới thiệu ngày {vn_date(t.presented_on)}")


def temporary_ends(user, today: date, horizon: date):
    """Temporary transfers whose planned end comes by `horizon`, the member not yet back."""
    for t in _rows(user, kind=Kind.TEMPORARY, status=Status.ACCEPTED, temp_until__lte=horizon):
        yield _item(TEMPORARY_END, t, user, f"Hết sinh hoạt tạm thời: {t.member.full_name} tại {t.destination}",
                    t.temp_until, f"Từ {vn_date(t.accepted_on)}")


def register() -> None:
    worklist.register(LETTER, "Giấy giới thiệu sinh hoạt đảng chưa nộp", letters)
    worklist.register(ACCEPTANCE, "Chuyển sinh hoạt chờ tiếp nhận", acceptances)
    worklist.register(TEMPORARY_END, "Hết thời gian sinh hoạt tạm thời", temporary_ends)
