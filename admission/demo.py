"""Candidates of the demo province (members/demo.py), written through the real services: in communes A (An Hòa)
and B (Bình Sơn), one at every step from the list to recognition, some past their deadline, so the work lists
of xa_a and xa_b show decisions, ceremonies and recognitions due and overdue. Dates count back from the day of
the load. Run once: a second run finds the demo's candidates and does nothing."""

import random
from datetime import date, timedelta

from django.db import transaction

from admission import services
from admission.models import Candidate, Proposal
from members.choices import Gender, Status
from members.demo import DEMO_CODE, REFORM
from members.models import Member, MemberPeriod
from members.names import full_name
from members.rules import add_months
from orgs.models import Kind, OrgUnit

# (the file's last step, days from the cell's vote back to today), per commune; "overdue" ones are past due.
PLAN = {
    "Xã An Hòa": [
        ("registered", 0), ("ready", 0), ("cell", 10), ("grassroots", 20), ("submitted", 34),
        ("submitted_overdue", 134), ("decided", 60), ("decided_overdue", 110), ("probation", 250),
        ("recognition_due", 500), ("recog_cell", 470), ("recognized", 540), ("referred", 40), ("refused", 150),
    ],
    "Xã Bình Sơn": [
        ("registered", 0), ("cell", 12), ("submitted", 40), ("submitted_overdue", 140), ("decided_overdue", 115),
        ("probation", 200), ("recognition_due", 510), ("recognized", 560), ("struck_off", 560), ("closed", 30),
    ],
}


def _officials(cell: OrgUnit, on: date) -> list[Member]:
    ids = (MemberPeriod.objects.filter(unit=cell, status=Status.OFFICIAL, valid_from__lte=on - timedelta(days=800))
           .on(on).values_list("member_id", flat=True))
    return list(Member.objects.filter(pk__in=list(ids), status=Status.OFFICIAL).order_by("pk")[:3])


def _candidate(rng, cell: OrgUnit, vote: date, ready: bool = True) -> Candidate:
    people = _officials(cell, vote)
    female = rng.random() < 0.45
    papers = vote - timedelta(days=45)
    fields = {
        "full_name": full_name(rng, female), "gender": Gender.FEMALE if female else Gender.MALE,
        "birth_date": vote - timedelta(days=rng.randint(20 * 365, 35 * 365)), "ethnicity": "Kinh",
        "religion": "Không", "general_education": "12/12", "occupation": rng.choice(["Giáo viên", "Nông dân",
                                                                                    "Công nhân", "Buôn bán"]),
        "registered_on": max(vote - timedelta(days=300), cell.valid_from),
        "certificate_number": f"{rng.randint(10, 999)}/CN-TTCT", "certificate_on": vote - timedelta(days=200),
        "application_on": papers, "cv_on": papers, "mass_comment_on": papers, "residence_comment_on": papers,
        "verified_on": papers if ready else None, "introduction_on": papers,
        "introducer_1": people[0], "introducer_1_since": vote - timedelta(days=800),
        "introducer_2": people[1], "introducer_2_since": vote - timedelta(days=800),
        "hometown": f"{cell.name.replace('Chi bộ ', '')}, {cell.parent.short_name or cell.parent.name}",
    }
    return services.register(cell, by=None, helpers=people[2:], **fields)


def _votes(cell, on):
    return services.official_members(cell, on)


def _committee(c: Candidate, on: date) -> dict:
    """All of the grassroots committee in favour: its posts if the bodies' demo recorded them, else 11."""
    size = services.committee_members(services.grassroots_of(c.unit), on) or 11
    return {"votes_for": size, "committee_size": size}


def _advance(c: Candidate, goal: str, vote: date) -> None:
    """Take `c` from the cell's vote on `vote` as far as `goal`."""
    cell = c.unit
    if goal in ("registered", "ready"):
        return
    if goal == "referred":
        for day in range(3):
            on = vote + timedelta(days=7 * day)
            services.cell_vote(c, on=on, votes_for=_votes(cell, on) // 2, by=None)
        return
    services.cell_vote(c, on=vote, votes_for=_votes(cell, vote), by=None)
    if goal == "closed":
        services.close(c, on=vote + timedelta(days=5), note="Chuyển nơi làm việc ra ngoài tỉnh", by=None)
        return
    if goal == "cell":
        return
    services.grassroots_vote(c, on=vote + timedelta(days=7), by=None, **_committee(c, vote + timedelta(days=7)))
    if goal == "grassroots":
        return
    received = vote + timedelta(days=14)
    services.receive(c, on=received, by=None)
    if goal in ("submitted", "submitted_overdue"):
        return
    if goal == "refused":
        services.refuse(c, on=received + timedelta(days=40), note="Chưa đủ điều kiện về lịch sử chính trị", by=None)
        return
    decided = received + timedelta(days=40)
    services.decide(c, on=decided, by=None)
    if goal in ("decided", "decided_overdue"):
        return
    ceremony = decided + timedelta(days=10)
    services.ceremony(c, on=ceremony, by=None)
    if goal in ("probation", "recognition_due"):
        return
    end = add_months(ceremony, 12)
    services.recognition_vote(c, on=end + timedelta(days=10), votes_for=_votes(cell, end + timedelta(days=10)),
                              proposal=Proposal.STRIKE_OFF if goal == "struck_off" else Proposal.RECOGNIZE, by=None)
    if goal == "recog_cell":
        return
    services.recognition_grassroots_vote(c, on=end + timedelta(days=17), by=None,
                                         **_committee(c, end + timedelta(days=17)))
    if goal == "struck_off":
        services.strike_off(c, on=end + timedelta(days=30), by=None)
    else:
        services.recognize(c, on=end + timedelta(days=30), by=None)


@transaction.atomic
def load_admission_demo(today: date | None = None) -> bool:
    """Add the candidates to the demo province; False if there is no demo or it has them already."""
    province = OrgUnit.objects.filter(code=DEMO_CODE).first()
    if province is None or Candidate.objects.filter(org_path__startswith=province.path).exists():
        return False
    today = today or date.today()
    rng = random.Random(15)
    for commune in OrgUnit.objects.filter(parent=province, kind=Kind.COMMUNE, valid_to__isnull=True):
        plan = PLAN.get(commune.short_name, [])
        cells = list(OrgUnit.objects.filter(parent=commune, kind=Kind.CELL, valid_to__isnull=True).order_by("path"))
        for i, (goal, back) in enumerate(plan):
            cell = cells[i % len(cells)]
            vote = max(today - timedelta(days=back), REFORM + timedelta(days=10))
            c = _candidate(rng, cell, vote, ready=goal != "registered")
            _advance(c, goal, vote)
    return True
