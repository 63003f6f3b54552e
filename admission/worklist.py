"""What `admission` adds to the work list (core.worklist): decisions due, ceremonies to hold, recognition
steps due; the core marks those past their day overdue.

A candidate's `due_on` is written by the step that starts the deadline (admission.services), so each kind
is one range on (stage, due_on) within the user's subtree. The recognition of a member followed here
replaces the member records' own `members.recognition` item (that provider leaves out the members named
by the "members-recognition-tracked" hook), so one member never shows twice.
"""

from datetime import date

from django.urls import reverse

from admission.models import Candidate, Stage
from core import hooks, worklist
from core.text import vn_date

DECISION = "admission.decision"
CEREMONY = "admission.ceremony"
RECOGNITION = "admission.recognition"

_TEXT = {
    Stage.SUBMITTED: (DECISION, "Quyết định kết nạp", "Cấp có thẩm quyền quyết định trong 60 ngày làm việc từ khi "
                      "nhận hồ sơ (gia hạn tối đa 30 ngày)."),
    Stage.DECIDED: (CEREMONY, "Tổ chức lễ kết nạp", "Chi bộ tổ chức lễ kết nạp trong 30 ngày làm việc từ khi nhận "
                    "quyết định."),
    Stage.PROBATION: (RECOGNITION, "Chi bộ xét công nhận đảng viên chính thức", "Chi bộ xét trong 30 ngày làm việc "
                      "sau khi hết 12 tháng dự bị."),
    Stage.RECOG_CELL: (RECOGNITION, "Quyết định công nhận đảng viên chính thức", "Cấp có thẩm quyền quyết định trong "
                       "30 ngày làm việc từ nghị quyết của chi bộ (gia hạn tối đa 30 ngày)."),
    Stage.RECOG_GRASSROOTS: (RECOGNITION, "Quyết định công nhận đảng viên chính thức", "Cấp có thẩm quyền quyết "
                             "định trong 30 ngày làm việc từ nghị quyết của chi bộ (gia hạn tối đa 30 ngày)."),
}


def _items(user, today: date, horizon: date, stages):
    rows = (Candidate.objects.visible_to(user).filter(stage__in=stages, due_on__lte=horizon)
            .select_related("unit").order_by("due_on", "id"))
    for c in rows:
        if c.stage == Stage.PROBATION and c.probation_ends_on > today:
            continue  # still on probation: members.probation shows its end
        kind, what, note = _TEXT[c.stage]
        if c.stage == Stage.PROBATION:
            note = f"Hết dự bị ngày {vn_date(c.probation_ends_on)}. {note}"
        yield worklist.Item(kind, f"{what}: {c.full_name}", c.due_on, c.unit_id, c.unit.name,
                            reverse("admission-detail", args=[c.pk]), c.org_path, note)


def decisions(user, today, horizon):
    return _items(user, today, horizon, [Stage.SUBMITTED])


def ceremonies(user, today, horizon):
    return _items(user, today, horizon, [Stage.DECIDED])


def recognitions(user, today, horizon):
    return _items(user, today, horizon, [Stage.PROBATION, Stage.RECOG_CELL, Stage.RECOG_GRASSROOTS])


def tracked_members():
    """Members whose recognition is followed here (the members' own recognition item leaves them out)."""
    return Candidate.objects.filter(member__isnull=False, stage__in=[Stage.PROBATION, Stage.RECOG_CELL,
                                                                      Stage.RECOG_GRASSROOTS]
                                    ).values("member_id")


def register() -> None:
    worklist.register(DECISION, "Quyết định kết nạp đến hạn", decisions)
    worklist.register(CEREMONY, "Lễ kết nạp cần tổ chức", ceremonies)
    worklist.register(RECOGNITION, "Xét, quyết định công nhận đảng viên chính thức", recognitions)
    hooks.add("members-recognition-tracked", tracked_members)
