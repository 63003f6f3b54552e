"""What `documents` adds to the work list (core.worklist): reviews (sơ kết, tổng kết) of a resolution or plan
due and not yet held, for the organization that issued it."""

from datetime import date

from django.urls import reverse

from core import worklist
from documents.models import Document

REVIEW = "documents.review"
FINAL_REVIEW = "documents.final_review"


def _due(user, horizon: date, due: str, done: str, kind: str, what: str):
    rows = (Document.objects.issued_within(user)
            .filter(unit__isnull=False, status=Document.Status.ISSUED, **{f"{due}__lte": horizon, f"{done}__isnull": True})
            .select_related("unit").order_by(due))
    for d in rows:
        yield worklist.Item(kind, f"{what} {d.get_doc_type_display().lower()} {d.symbol}: {d.title}", getattr(d, due),
                            d.unit_id, d.unit.name, reverse("documents-detail", args=[d.pk]), d.unit.path)


def reviews(user, today: date, horizon: date):
    return _due(user, horizon, "review_due", "reviewed_on", REVIEW, "Sơ kết")


def final_reviews(user, today: date, horizon: date):
    return _due(user, horizon, "final_review_due", "final_reviewed_on", FINAL_REVIEW, "Tổng kết")


def register() -> None:
    worklist.register(REVIEW, "Sơ kết nghị quyết, kế hoạch", reviews)
    worklist.register(FINAL_REVIEW, "Tổng kết nghị quyết, kế hoạch", final_reviews)
