"""What `members` adds to the work list (core.worklist): probations ending, recognitions owed and party
badges due at the next award date."""

from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.urls import reverse

from calendars.workdays import add_working_days
from core import hooks, worklist
from members import rules
from members.choices import EventKind
from members.models import Member, MemberEvent, Status

PROBATION = "members.probation"
RECOGNITION = "members.recognition"
BADGE = "members.badge"


def _probationary(user, ends_after: date | None, ends_by: date, exclude=()):
    """Probationary members whose probation ends in (ends_after, ends_by]. Probation starts at the admission
    or a later re-admission, never before `admitted_on`, so a range on `admitted_on` (a few days wider, for
    the months' ends) prefilters in SQL; the exact end is checked in Python on the few rows left."""
    months = rules.rule("PROBATION_MONTHS")
    rows = Member.objects.visible_to(user).filter(
        status=Status.PROBATIONARY, admitted_on__lte=rules.add_months(ends_by, -months) + timedelta(days=3))
    for ids in exclude:
        rows = rows.exclude(pk__in=ids)
    if ends_after is not None:  # a re-admitted member's probation starts later than `admitted_on`
        readmitted = MemberEvent.objects.filter(kind=EventKind.READMITTED).values("member_id")
        rows = rows.filter(Q(admitted_on__gt=rules.add_months(ends_after, -months) - timedelta(days=3))
                           | Q(pk__in=readmitted))
    readmissions = Prefetch("events", queryset=MemberEvent.objects.filter(kind=EventKind.READMITTED))
    for m in rows.select_related("unit").prefetch_related(readmissions).order_by("org_path", "id"):
        end = rules.end_of_probation(m.probation_started_on())
        if end <= ends_by and (ends_after is None or end > ends_after):
            yield m, end


def probations(user, today: date, horizon: date):
    """Probations still running that end by `horizon`: the cell prepares the recognition vote."""
    days = rules.rule("RECOGNITION_CONSIDER_WORKING_DAYS")
    if horizon <= today:
        return
    for m, end in _probationary(user, today, horizon):
        yield worklist.Item(PROBATION, f"Hết thời gian dự bị: {m.full_name}", end, m.unit_id, m.unit.name,
                            reverse("members-detail", args=[m.pk]), m.org_path,
                            f"Chi bộ xét công nhận đảng viên chính thức trong {days} ngày làm việc sau ngày này.")


def recognitions(user, today: date, horizon: date):
    """Probations ended, the member still dự bị: the cell's recognition vote is due within the working days
    of the rule after the end, overdue after them. Members whose recognition an app above follows step by
    step (the "members-recognition-tracked" hook: admission) are its items there, not here."""
    days = rules.rule("RECOGNITION_CONSIDER_WORKING_DAYS")
    tracked = [fn() for fn in hooks.providers("members-recognition-tracked")]
    for m, end in _probationary(user, None, today, exclude=tracked):
        due = add_working_days(end, days)
        if due <= horizon:
            yield worklist.Item(RECOGNITION, f"Xét công nhận đảng viên chính thức: {m.full_name}", due, m.unit_id,
                                m.unit.name, reverse("members-detail", args=[m.pk]), m.org_path,
                                f"Hết dự bị ngày {end:%d/%m/%Y}; chi bộ xét trong {days} ngày làm việc "
                                "sau ngày đó (Quy định 29-QĐ/TW).")


def badges_due(user, today: date, horizon: date):
    """Members due for a party badge at the next award date (3/2, 19/5, 2/9, 7/11), once it is in view: the
    committee proposes them ahead of the ceremony (`members.badges`)."""
    from members.badges import due_on  # its Word and Excel helpers are only needed here, not at start-up

    on = rules.next_award_date(today)
    if on > horizon:
        return
    url = reverse("members-badges")
    for d in due_on(Member.objects.visible_to(user).select_related("unit"), on):
        m = d.member
        yield worklist.Item(BADGE, f"Huy hiệu {d.years} năm tuổi Đảng: {m.full_name}", on, m.unit_id, m.unit.name,
                            f"{url}?ngay={on:%d/%m/%Y}", m.org_path,
                            f"Tuổi đảng {d.age} vào ngày trao {on:%d/%m/%Y}.")


def register() -> None:
    worklist.register(PROBATION, "Hết thời gian dự bị", probations)
    worklist.register(RECOGNITION, "Xét công nhận đảng viên chính thức", recognitions)
    worklist.register(BADGE, "Huy hiệu Đảng đến hạn", badges_due)
