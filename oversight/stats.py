"""The figures of item 5 for a subtree and a period, straight from the records: subjects inspected and
supervised by type and by body, violations found, decisions by form and by deciding level, appeals, petitions.

A case counts in the period it was opened; a subject counts under the unit of its snapshot (where it was then).
Everything is read through `visible_to(user, "inspect")`: counts leave out what the user may not see.
"""

from collections import Counter
from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from bodies.rules import BodyKind
from core.tree import subtree_q
from oversight.authority import LEVEL_LABELS
from oversight.models import (
    AppealOutcome,
    Case,
    CaseSubject,
    DisciplineDecision,
    Outcome,
    Petition,
    PetitionKind,
    Programme,
    ProgrammeItem,
)
from oversight.rules import INSPECTION, SUPERVISION, CaseType, Form, SubjectKind


def _pairs(rows, key) -> dict:
    """{key value: {"organizations": n, "members": n}} from rows of (key, is_member, n)."""
    out: dict = {}
    for r in rows:
        cell = out.setdefault(r[key], {"organizations": 0, "members": 0})
        cell["members" if r["member_set"] else "organizations"] += r["n"]
    return out


def statistics(user, unit, start: date, end: date) -> dict:
    cases = Case.objects.visible_to(user).filter(opened_on__gte=start, opened_on__lte=end)
    subjects = (CaseSubject.objects.filter(subtree_q("unit_path", unit.path), case__in=cases)
                .annotate(member_set=ExpressionWrapper(Q(member__isnull=False), output_field=BooleanField())))
    by_type = _pairs(subjects.values("case__case_type", "member_set").annotate(n=Count("id")), "case__case_type")
    by_body = _pairs(subjects.values("case__body__kind", "member_set").annotate(n=Count("id")), "case__body__kind")
    found = _pairs(subjects.filter(case__violation=True, case__concluded_on__lte=end)
                   .values("case__case_type", "member_set").annotate(n=Count("id")), "case__case_type")
    decisions = (DisciplineDecision.objects.visible_to(user).filter(subtree_q("subject_path", unit.path),
                                                                    decided_on__gte=start, decided_on__lte=end))
    forms = Counter()
    levels = Counter()
    for row in decisions.values("form", "subject_kind", "deciding_level").annotate(n=Count("id")):
        side = "organizations" if row["subject_kind"] == SubjectKind.ORGANIZATION else "members"
        forms[(row["form"], side)] += row["n"]
        levels[(row["deciding_level"], side)] += row["n"]
    appeals = (DisciplineDecision.objects.visible_to(user).filter(subtree_q("subject_path", unit.path),
                                                                  appealed_on__gte=start, appealed_on__lte=end))
    appeal_rows = Counter(dict(appeals.values_list("appeal_outcome").annotate(n=Count("id"))))
    petitions = Petition.objects.visible_to(user).filter(subtree_q("subject_path", unit.path),
                                                         received_on__gte=start, received_on__lte=end)
    pet = Counter({(k, o): n for k, o, n in petitions.values_list("kind", "outcome").annotate(n=Count("id"))})
    # Programme items planned in the period's months, by bodies of the subtree, and how many were concluded.
    items = ProgrammeItem.objects.filter(subtree_q("programme__unit_path", unit.path),
                                         programme__in=Programme.objects.visible_to(user),
                                         programme__year__gte=start.year, programme__year__lte=end.year)
    planned = [i for i in items.select_related("programme", "case")
               if start.replace(day=1) <= date(i.programme.year, i.planned_month, 1) <= end]
    def total(types) -> dict:
        return {side: sum(by_type.get(t, {}).get(side, 0) for t in types) for side in ("organizations", "members")}

    return {
        "unit": {"id": unit.pk, "name": unit.name},
        # Seed 003 reports inspections and supervision as totals and thematic supervision apart: both are here.
        "inspected": total(INSPECTION),
        "supervised": total(SUPERVISION),
        "programme": {"planned": len(planned), "done": sum(i.done for i in planned)},
        "from": start, "to": end,
        "by_type": [{"type": t.value, "label": t.label, **by_type.get(t.value, {"organizations": 0, "members": 0})}
                    for t in CaseType],
        "by_body": [{"body_kind": k.value, "label": k.label, **v} for k in BodyKind
                    if (v := by_body.get(k.value))],
        "violations_found": [{"type": t.value, "label": t.label, **found[t.value]} for t in CaseType
                             if t.value in found],
        "discipline_by_form": [{"form": f.value, "label": f.label, "organizations": forms[(f.value, "organizations")],
                                "members": forms[(f.value, "members")]} for f in Form],
        "discipline_by_level": [{"level": k, "label": v, "organizations": levels[(k, "organizations")],
                                 "members": levels[(k, "members")]} for k, v in LEVEL_LABELS.items()],
        "disciplined": {"organizations": sum(n for (f, s), n in forms.items() if s == "organizations"),
                        "members": sum(n for (f, s), n in forms.items() if s == "members")},
        "appeals": {"total": sum(appeal_rows.values()),
                    "by_outcome": [{"outcome": o.value, "label": o.label, "count": appeal_rows[o.value]}
                                   for o in AppealOutcome]},
        "petitions": [{"kind": k.value, "label": k.label, "total": sum(n for (kk, _), n in pet.items() if kk == k),
                       "by_outcome": [{"outcome": o.value, "label": o.label, "count": pet[(k.value, o.value)]}
                                      for o in Outcome]} for k in PetitionKind],
    }
