"""The candidate list's filters, shared by the page and the API: by unit (its subtree), by step, overdue."""

from datetime import date

from django.db.models import Q

from admission.models import OPEN_STAGES, Candidate


def filtered(user, *, unit=None, stage: str = "", overdue: bool = False, q: str = "", today: date):
    rows = Candidate.objects.visible_to(user).select_related("unit")
    if unit is not None:
        rows = rows.filter(org_path__startswith=unit.path)
    if stage == "dang_mo":
        rows = rows.filter(stage__in=OPEN_STAGES)
    elif stage:
        rows = rows.filter(stage=stage)
    if overdue:
        rows = rows.filter(stage__in=OPEN_STAGES, due_on__lt=today)
    if q.strip():
        rows = rows.filter(Q(full_name__icontains=q.strip()))
    return rows.order_by("org_path", "full_name", "id")
