"""Commendations and "Dân vận khéo" models: guard -> atomic change -> audit; suggestions and counts.

Suggestions follow HD 06-HD/TW §19.2 (rules-2026.md §3, certain): the grassroots committee's certificate
(giấy khen) for a year rated excellent; the superior standing committee's certificate for five years running;
the provincial standing committee's merit (bằng khen) for five years running.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count

from assessment import checks, results
from assessment.models import (
    AwardKind,
    Commendation,
    MobilizationModel,
    ModelField,
    ModelStatus,
    Rating,
    RecognitionLevel,
)
from assessment.rules import Level, Subject
from audit.services import record
from bodies.models import Body
from core.errors import DomainError
from core.text import vn_date
from core.tree import subtree_q
from members.models import Member
from orgs.models import OrgUnit


@transaction.atomic
def commend(*, by, kind: str, issuer: str, decision_number: str, decided_on: date, reason: str,
            member: Member | None = None, unit: OrgUnit | None = None, body: Body | None = None,
            year: int | None = None, streak: int | None = None) -> Commendation:
    if (member is None) == (unit is None):
        raise DomainError("Hãy chọn một tập thể hoặc một cá nhân được khen thưởng.", field="member")
    subject_unit = member.unit if member is not None else unit
    checks.allowed(by, subject_unit, "ghi khen thưởng")
    if kind not in AwardKind.values:
        raise DomainError("Hãy chọn hình thức khen thưởng.", field="kind")
    for value, name, label in ((issuer, "issuer", "cơ quan khen thưởng"), (decision_number, "decision_number",
                                                                            "số quyết định"), (reason, "reason",
                                                                                               "thành tích")):
        if not value.strip():
            raise DomainError(f"Hãy ghi {label}.", field=name)
    checks.not_future(decided_on, "Ngày quyết định", "decided_on")
    if year is not None and year > decided_on.year:
        raise DomainError(f"Khen thưởng thành tích năm {year} không thể quyết định trước năm đó "
                          f"({vn_date(decided_on)}).", field="year")
    same = Commendation.objects.filter(kind=kind, year=year, issuer=issuer.strip())
    same = same.filter(member=member) if member is not None else same.filter(recipient_unit=unit)
    if year is not None and same.exists():
        raise DomainError(f"Đã ghi {AwardKind(kind).label.lower()} của “{issuer.strip()}” cho thành tích năm {year}.",
                          field="kind")
    c = Commendation.objects.create(member=member, recipient_unit=unit, subject_unit=subject_unit, kind=kind,
                                    issuer=issuer.strip(), body=body, decision_number=decision_number.strip(),
                                    decided_on=decided_on, reason=reason.strip(), year=year, streak=streak)
    record("assessment.commendation.created", actor=by, obj=c, unit_path=subject_unit.path,
           unit_name=subject_unit.name, after={"kind": kind, "issuer": c.issuer, "decision": c.decision_number,
                                                "on": decided_on.isoformat(), "year": year},
           mentions=[(member, member.org_path)] if member is not None else [])
    return c


@dataclass
class Suggestion:
    kind: str
    who: str
    unit_name: str
    ground: str
    issuer: str
    member_id: int | None
    unit_id: int | None
    years: int


def suggestions(unit: OrgUnit, user, year: int, limit: int = 300) -> list[Suggestion]:
    """What the records suggest for `year` in `unit`'s subtree, less what was already recorded."""
    done_members = set(Commendation.objects.filter(year=year).values_list("member_id", "kind", "streak"))
    done_units = set(Commendation.objects.filter(year=year).values_list("recipient_unit_id", "kind", "streak"))
    out = []
    for subject in Subject.values:
        members = subject == Subject.MEMBERS
        done = done_members if members else done_units
        for s in results.streaks(unit, user, year, subject):
            key = s.member_id if members else s.unit_id
            for kind, issuer in ((AwardKind.CERTIFICATE, "Ban Thường vụ cấp ủy cấp trên trực tiếp"),
                                 (AwardKind.MERIT, "Ban Thường vụ Tỉnh ủy")):
                if (key, kind, s.years) not in done:
                    out.append(Suggestion(kind, s.name, s.unit_name, f"{s.years} năm liền hoàn thành xuất sắc nhiệm vụ",
                                          issuer, s.member_id, s.unit_id, s.years))
        rows = (Rating.objects.visible_to(user).filter(subtree_q("subject_unit__path", unit.path), round__year=year,
                                                       round__subject=subject, result=Level.EXCELLENT)
                .select_related("member", "unit", "subject_unit").order_by("subject_unit__path", "id")[:limit])
        for r in rows:
            key = r.member_id if members else r.unit_id
            if (key, AwardKind.CERTIFICATE, None) not in done:
                out.append(Suggestion(AwardKind.CERTIFICATE, r.subject_name, r.subject_unit.name,
                                      f"Hoàn thành xuất sắc nhiệm vụ năm {year}",
                                      "Đảng ủy cơ sở / chi bộ cơ sở", r.member_id, r.unit_id, 1))
    return out[:limit]


def commendation_counts(unit: OrgUnit, user, year: int) -> dict:
    rows = (Commendation.objects.visible_to(user).filter(subtree_q("subject_unit__path", unit.path),
                                                         decided_on__year=year))
    counts = {"collective": rows.filter(recipient_unit__isnull=False).count(),
              "individual": rows.filter(member__isnull=False).count()}
    counts["by_kind"] = {r["kind"]: r["n"] for r in rows.values("kind").annotate(n=Count("id"))}
    return counts


ORDER = [ModelStatus.REGISTERED, ModelStatus.ASSESSED, ModelStatus.RECOGNIZED]


@transaction.atomic
def register_model(unit: OrgUnit, *, by, name: str, field: str, owner: str, year: int, registered_on: date,
                   collective: bool = True, member: Member | None = None, evidence: str = "") -> MobilizationModel:
    checks.allowed(by, unit, "đăng ký mô hình “Dân vận khéo”")
    if field not in ModelField.values:
        raise DomainError("Hãy chọn lĩnh vực: kinh tế; văn hóa – xã hội; quốc phòng – an ninh; xây dựng hệ thống "
                          "chính trị.", field="field")
    if not name.strip() or not owner.strip():
        raise DomainError("Hãy ghi tên mô hình và chủ mô hình.", field="name" if not name.strip() else "owner")
    checks.not_future(registered_on, "Ngày đăng ký", "registered_on")
    if MobilizationModel.objects.filter(unit=unit, year=year, name__iexact=name.strip()).exists():
        raise DomainError(f"“{unit.name}” đã đăng ký mô hình “{name.strip()}” năm {year}.", field="name")
    m = MobilizationModel.objects.create(unit=unit, name=name.strip(), field=field, owner=owner.strip(), year=year,
                                         registered_on=registered_on, collective=collective, member=member,
                                         evidence=evidence.strip())
    record("assessment.model.registered", actor=by, obj=m, unit_path=unit.path, unit_name=unit.name,
           after={"name": m.name, "field": field, "owner": m.owner, "year": year})
    return m


@transaction.atomic
def advance_model(model: MobilizationModel, *, by, status: str, on: date, level: str = "",
                  evidence: str = "") -> MobilizationModel:
    """Registered -> assessed -> recognized (with the level that recognizes it), one step at a time."""
    model = MobilizationModel.objects.select_for_update(of=("self",)).select_related("unit").get(pk=model.pk)
    checks.allowed(by, model.unit, "cập nhật mô hình “Dân vận khéo”")
    if status not in ORDER or ORDER.index(status) != ORDER.index(model.status) + 1:
        raise DomainError(f"Mô hình đang “{model.get_status_display()}”: bước tiếp theo là "
                          f"“{ORDER[min(ORDER.index(model.status) + 1, 2)].label}”.", field="status")
    checks.not_future(on, "Ngày", "on")
    last = model.assessed_on or model.registered_on
    if on < last:
        raise DomainError(f"Ngày {vn_date(on)} trước bước trước ({vn_date(last)}).", field="on")
    if status == ModelStatus.RECOGNIZED and level not in RecognitionLevel.values:
        raise DomainError("Hãy chọn cấp công nhận mô hình.", field="level")
    before = {"status": model.status}
    model.status = status
    if status == ModelStatus.ASSESSED:
        model.assessed_on = on
    else:
        model.recognized_on, model.level = on, level
    if evidence.strip():
        model.evidence = f"{model.evidence}\n{evidence.strip()}".strip()
    model.save()
    record("assessment.model.advanced", actor=by, obj=model, unit_path=model.unit.path, unit_name=model.unit.name,
           before=before, after={"status": status, "on": on.isoformat(), "level": level})
    return model


def model_counts(unit: OrgUnit, user, year: int | None = None) -> list[dict]:
    """Per field: registered, assessed, recognized (the models of `unit`'s subtree, of `year` if given)."""
    rows = MobilizationModel.objects.visible_to(user).filter(subtree_q("unit__path", unit.path))
    if year is not None:
        rows = rows.filter(year=year)
    got = {(r["field"], r["status"]): r["n"] for r in rows.values("field", "status").annotate(n=Count("id"))}
    return [{"field": f, "label": label, **{s: got.get((f, s), 0) for s in ModelStatus.values},
             "total": sum(got.get((f, s), 0) for s in ModelStatus.values)} for f, label in ModelField.choices]
