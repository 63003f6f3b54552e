"""What `assessment` adds to the work list (core.worklist): each step of an open round with its deadline,
while some subject still waits for that step."""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from assessment.models import Round
from core import worklist

SELF, PROPOSAL, DECISION = "assessment.self", "assessment.proposal", "assessment.decision"
STEPS = [(SELF, "self_due", "tự đánh giá"), (PROPOSAL, "proposal_due", "chi bộ / tập thể đề xuất"),
         (DECISION, "decision_due", "quyết định xếp loại")]


def _rounds(user, horizon: date, due_field: str):
    """Open rounds whose step is due by `horizon`, with how many ratings are past each step (one query)."""
    return (Round.objects.visible_to(user)
            .filter(published_on__isnull=True, **{f"{due_field}__lte": horizon})
            .annotate(n=Count("ratings"),
                      proposed=Count("ratings", filter=~Q(ratings__proposed_level="")),
                      decided=Count("ratings", filter=~Q(ratings__result="")))
            .select_related("unit"))


def provider(kind: str, due_field: str, what: str):
    def items(user, today: date, horizon: date):
        for r in _rounds(user, horizon, due_field):
            done = {SELF: r.n, PROPOSAL: r.proposed, DECISION: r.decided}[kind]
            if r.n and done == r.n and kind != SELF:
                continue  # every subject is past this step
            if kind == SELF and r.proposed == r.n and r.n:
                continue  # self-assessment is over once every subject has a proposal
            note = f"{done}/{r.n} phiếu" if r.n else "chưa có phiếu nào"
            yield worklist.Item(kind, f"Năm {r.year}, {r.get_subject_display().lower()}: {what} ({r.unit.name})",
                                getattr(r, due_field), r.unit_id, r.unit.name,
                                reverse("assessment-round", args=[r.pk]), r.unit.path, note)
    return items


def register() -> None:
    for kind, due_field, what in STEPS:
        worklist.register(kind, f"Đánh giá, xếp loại: {what}", provider(kind, due_field, what))
