"""What `oversight` adds to the work list (core.worklist): open cases by their time limit, appeals to settle,
petitions due. Only for those with the inspection right (rows through `visible_to(user, "inspect")`)."""

from datetime import date

from django.urls import reverse

from core import worklist
from core.text import vn_date
from members.rules import add_months
from oversight.models import Case, DisciplineDecision, Petition
from oversight.rules import rule

CASE = "oversight.case"
APPEAL = "oversight.appeal"
PETITION = "oversight.petition"


def cases(user, today: date, horizon: date):
    rows = (Case.objects.visible_to(user).filter(concluded_on__isnull=True, due_on__lte=horizon)
            .select_related("body__unit").order_by("due_on"))
    for c in rows:
        u = c.body.unit
        yield worklist.Item(CASE, f"{c.get_case_type_display()} ({c.body.name}): hạn kết thúc", c.due_on, u.pk, u.name,
                            reverse("oversight-case", args=[c.pk]), c.unit_path, c.content[:80])


def appeals(user, today: date, horizon: date):
    """Appeals not yet settled, due three months after they were lodged (Điều lệ Điều 39.8)."""
    months = rule("APPEAL_ANSWER_MONTHS")
    rows = (DisciplineDecision.objects.visible_to(user).filter(appealed_on__isnull=False, appeal_outcome="",
                                                                appealed_on__lte=add_months(horizon, -months))
            .select_related("deciding_unit"))
    for d in rows:
        due = add_months(d.appealed_on, months)
        yield worklist.Item(APPEAL, f"Khiếu nại kỷ luật của {d.subject_name} (khiếu nại ngày {vn_date(d.appealed_on)})",
                            due, d.deciding_unit_id, d.subject_unit_name, reverse("oversight-discipline", args=[d.pk]),
                            d.subject_path)


def petitions(user, today: date, horizon: date):
    rows = (Petition.objects.visible_to(user).filter(closed_on__isnull=True, due_on__lte=horizon)
            .select_related("body__unit").order_by("due_on"))
    for p in rows:
        u = p.body.unit
        yield worklist.Item(PETITION, f"{p.get_kind_display()} về {p.subject_name}: hạn giải quyết", p.due_on, u.pk,
                            u.name, reverse("oversight-petition", args=[p.pk]), p.unit_path)


def register() -> None:
    worklist.register(CASE, "Kiểm tra, giám sát đến hạn", cases)
    worklist.register(APPEAL, "Khiếu nại kỷ luật cần giải quyết", appeals)
    worklist.register(PETITION, "Đơn thư đến hạn giải quyết", petitions)
