"""Writes to cases, discipline decisions and petitions: guard -> atomic change -> audit.

The audit entries name no member as a mention: a mention would put the entry on the member's page
(“Nhật ký thay đổi hồ sơ”), which organization officers read, and discipline is the inspection role's only.

Every refusal is a DomainError with a Vietnamese message naming the rule and how to fix it; nothing is
written then. `by` may be None only for the demo load and tests. Writing needs the "inspect" right over the
acting organization (access/rules.py).
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import record
from bodies.models import Body, Post
from core.errors import DomainError
from core.scoping import can
from core.text import vn_date
from members.choices import EventKind
from members.models import Member, MemberEvent, MemberPeriod, Status
from members.rules import add_months
from members.services import record_event
from orgs.models import OrgUnit
from oversight import authority
from oversight.models import (
    ACTION,
    AppealOutcome,
    Case,
    CaseSubject,
    DisciplineDecision,
)
from oversight.rules import (
    APPEAL_SOURCE,
    FORMS_SOURCE,
    TIME_LIMIT_SOURCE,
    VOTE_SOURCE,
    CaseType,
    Category,
    Form,
    SubjectKind,
    rule,
)


def _allowed(by, unit: OrgUnit) -> None:
    if by is not None and not can(by, ACTION, unit.path):
        raise DomainError(f"Bạn không có quyền ghi công tác kiểm tra, giám sát, kỷ luật của “{unit.name}”.")


def _not_future(day: date | None, what: str, field: str) -> None:
    if day and day > timezone.localdate():
        raise DomainError(f"{what} {vn_date(day)} chưa đến; chỉ ghi việc đã diễn ra.", field=field)


def subject_snapshot(subject) -> dict:
    """Name, unit name and path of a member or a unit as they are now, kept on the record."""
    if isinstance(subject, Member):
        return {"name": subject.full_name, "unit_name": subject.unit.name, "path": subject.org_path}
    return {"name": subject.name, "unit_name": subject.parent.name if subject.parent_id else "", "path": subject.path}


# ---- Cases ----

UBKT_ONLY = {CaseType.INSPECTION_WORK, CaseType.FINANCE, CaseType.APPEAL}


@transaction.atomic
def open_case(body: Body, *, case_type: str, content: str, opened_on: date, subjects: list, by,
              due_on: date | None = None, steps: str = "") -> Case:
    unit = body.unit
    _allowed(by, unit)
    if not subjects:
        raise DomainError("Hãy chọn ít nhất một đối tượng (tổ chức đảng hoặc đảng viên).", field="subjects")
    if not content.strip():
        raise DomainError("Hãy ghi nội dung kiểm tra, giám sát.", field="content")
    if case_type in UBKT_ONLY and body.kind != "ubkt":
        raise DomainError(f"“{CaseType(case_type).label}” là nhiệm vụ của ủy ban kiểm tra (rules.md §5; Quy định "
                          f"22-QĐ/TW, 296-QĐ/TW); “{body.name}” không phải ủy ban kiểm tra.", field="body")
    _not_future(opened_on, "Ngày bắt đầu", "opened_on")
    if due_on and due_on < opened_on:
        raise DomainError("Hạn kết thúc phải sau ngày bắt đầu.", field="due_on")
    if not body.is_open_on(opened_on):
        raise DomainError(f"“{body.name}” không hoạt động ngày {vn_date(opened_on)}.", field="opened_on")
    snaps = []
    for s in subjects:
        snap = subject_snapshot(s)
        if not snap["path"].startswith(unit.path):
            raise DomainError(f"“{snap['name']}” không thuộc “{unit.name}”: cấp ủy, ủy ban kiểm tra kiểm tra, giám sát "
                              "tổ chức và đảng viên của mình và cấp dưới (rules.md §5).", field="subjects")
        snaps.append((s, snap))
    case = Case.objects.create(case_type=case_type, body=body, unit_path=unit.path, content=content.strip(),
                               opened_on=opened_on, due_on=due_on, steps=steps.strip())
    CaseSubject.objects.bulk_create([
        CaseSubject(case=case, member=s if isinstance(s, Member) else None, unit=s if isinstance(s, OrgUnit) else None,
                    name=snap["name"], unit_name=snap["unit_name"], unit_path=snap["path"]) for s, snap in snaps])
    record("oversight.case.opened", actor=by, obj=case, unit_path=unit.path, unit_name=unit.name,
           after={"type": case_type, "body": body.name, "opened_on": opened_on.isoformat(),
                  "subjects": [snap["name"] for _, snap in snaps]})
    return case


@transaction.atomic
def add_step(case: Case, *, on: date, text: str, by) -> Case:
    _allowed(by, case.body.unit)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not text.strip():
        raise DomainError("Hãy ghi nội dung bước đã làm.", field="text")
    if on < case.opened_on:
        raise DomainError(f"Ngày {vn_date(on)} trước ngày bắt đầu ({vn_date(case.opened_on)}).", field="on")
    _not_future(on, "Ngày", "on")
    case.steps = f"{case.steps}\n{vn_date(on)}: {text.strip()}".strip()
    case.save(update_fields=["steps"])
    record("oversight.case.step", actor=by, obj=case, unit_path=case.unit_path, after={"on": on.isoformat(),
                                                                                         "text": text.strip()})
    return case


@transaction.atomic
def conclude_case(case: Case, *, concluded_on: date, violation: bool, conclusion: str, by, proposal: str = "") -> Case:
    _allowed(by, case.body.unit)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.concluded_on:
        raise DomainError(f"Cuộc này đã kết luận ngày {vn_date(case.concluded_on)}.", field="concluded_on")
    if concluded_on < case.opened_on:
        raise DomainError(f"Ngày kết luận ({vn_date(concluded_on)}) trước ngày bắt đầu ({vn_date(case.opened_on)}).",
                          field="concluded_on")
    _not_future(concluded_on, "Ngày kết luận", "concluded_on")
    if not conclusion.strip():
        raise DomainError("Hãy ghi nội dung kết luận.", field="conclusion")
    case.concluded_on, case.violation = concluded_on, violation
    case.conclusion, case.proposal = conclusion.strip(), proposal.strip()
    case.save(update_fields=["concluded_on", "violation", "conclusion", "proposal"])
    record("oversight.case.concluded", actor=by, obj=case, unit_path=case.unit_path,
           after={"concluded_on": concluded_on.isoformat(), "violation": violation, "proposal": case.proposal})
    return case


# ---- Discipline ----

def time_limit_end(form: str, violation_on: date, categories=(), new_violation_on: date | None = None,
                   deferred_days: int = 0) -> date | None:
    """The last day a decision may be taken (thời hiệu, QĐ 69 Điều 4), or None when there is no limit. The clock
    restarts at a new violation inside the period; days the case could not be considered are not counted."""
    years = rule("TIME_LIMIT_YEARS").get(form)
    if years is None or any(c in rule("NO_LIMIT_CATEGORIES") for c in categories):
        return None
    start = max(violation_on, new_violation_on or violation_on)
    return add_months(start, 12 * years) + timedelta(days=deferred_days)


def subject_kind_of(member: Member | None) -> str:
    if member is None:
        return SubjectKind.ORGANIZATION
    if member.status == Status.OFFICIAL:
        return SubjectKind.OFFICIAL
    if member.status == Status.PROBATIONARY:
        return SubjectKind.PROBATIONARY
    raise DomainError(f"{member.full_name} không còn là đảng viên ({member.get_status_display().lower()}).",
                      field="member")


def cell_vote_bounds(cell: OrgUnit, on: date) -> tuple[int, int]:
    """(least, most) the denominator of a cell's vote may be on `on` (rules-2026.md §1, third-party, likely): all its
    official members placed there that day, less at most those away on a temporary transfer and those excused from
    party activity (who count only if present). From the members' dated placements and events."""
    officials = list(MemberPeriod.objects.filter(unit=cell, status=Status.OFFICIAL).on(on)
                     .values_list("member_id", flat=True))
    away = set()
    for member_id, kind in (MemberEvent.objects.filter(member_id__in=officials, on__lte=on,
                                                       kind__in=[EventKind.EXCUSED, EventKind.RESUMED,
                                                                 EventKind.TEMP_OUT, EventKind.TEMP_BACK])
                            .order_by("on", "id").values_list("member_id", "kind")):
        if kind in (EventKind.EXCUSED, EventKind.TEMP_OUT):
            away.add(member_id)
        else:
            away.discard(member_id)
    return len(officials) - len(away), len(officials)


def _check_cell_denominator(cell: OrgUnit, on: date, votes_total: int) -> None:
    least, most = cell_vote_bounds(cell, on)
    if most == 0:  # no dated placements for that day (records imported without their history): nothing to check
        return
    if votes_total > most:
        raise DomainError(f"Ngày {vn_date(on)}, “{cell.name}” có {most} đảng viên chính thức; tổng số biểu quyết "
                          f"({votes_total}) không thể nhiều hơn.", field="votes_total")
    if votes_total < least:
        raise DomainError(f"Tổng số để tính biểu quyết là toàn bộ {most} đảng viên chính thức của chi bộ, chỉ trừ "
                          f"người đang sinh hoạt tạm thời nơi khác và người được miễn sinh hoạt vắng mặt ({most - least}"
                          f" người): ít nhất {least}, không phải {votes_total} ({VOTE_SOURCE}).", field="votes_total")


def check_vote(form: str, votes_for: int, votes_total: int, proposal_for: int | None, proposal_total: int | None):
    if votes_total <= 0 or votes_for > votes_total:
        raise DomainError("Số phiếu tán thành phải từ 0 đến tổng số đảng viên chính thức (thành viên) của tổ chức.",
                          field="votes_for")
    if form in rule("MAJORITY_FORMS") + rule("TWO_THIRDS_FORMS") and not votes_for * 2 > votes_total:
        raise DomainError(f"{Form(form).label} cần quá một nửa số đảng viên chính thức (thành viên) tán thành: "
                          f"{votes_for}/{votes_total} chưa đủ ({VOTE_SOURCE}). Số tổng là toàn bộ đảng viên chính thức, "
                          "trừ người đang sinh hoạt tạm thời nơi khác và người được miễn sinh hoạt vắng mặt.",
                          field="votes_for")
    if form in rule("TWO_THIRDS_FORMS"):
        if not proposal_total or proposal_for is None or proposal_for > proposal_total:
            raise DomainError(f"{Form(form).label} cần ghi số đề nghị của tổ chức đảng cấp dưới ({VOTE_SOURCE}).",
                              field="proposal_for")
        if proposal_for * 3 < proposal_total * 2:
            raise DomainError(f"{Form(form).label} cần ít nhất hai phần ba đề nghị: {proposal_for}/{proposal_total} "
                              f"chưa đủ ({VOTE_SOURCE}).", field="proposal_for")


@transaction.atomic
def decide(*, deciding_unit: OrgUnit, deciding_body: Body | None, form: str, member: Member | None = None,
           subject_unit: OrgUnit | None = None, votes_for: int, votes_total: int, violation_on: date,
           decision_number: str, decided_on: date, effective_on: date | None = None, reason: str, by,
           categories=(), proposal_for: int | None = None, proposal_total: int | None = None,
           new_violation_on: date | None = None, deferred_days: int = 0, case: Case | None = None
           ) -> DisciplineDecision:
    """Record a discipline decision after checking every rule; khai trừ ends the membership in the same
    transaction (members.services.record_event)."""
    _allowed(by, deciding_unit)
    if (member is None) == (subject_unit is None):
        raise DomainError("Hãy chọn đúng một đối tượng: một đảng viên hoặc một tổ chức đảng.", field="member")
    effective_on = effective_on or decided_on
    categories = list(categories)
    if member is not None:
        member = Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=member.pk)
    kind = subject_kind_of(member)
    subject = member or subject_unit
    name = subject.full_name if member else subject.name
    if form not in rule("FORMS_BY_SUBJECT")[kind]:
        may = ", ".join(Form(f).label.lower() for f in rule("FORMS_BY_SUBJECT")[kind])
        raise DomainError(f"{SubjectKind(kind).label} chỉ có thể bị {may} ({FORMS_SOURCE}); "
                          f"“{Form(form).label}” không áp dụng cho {name}.", field="form")
    if form == Form.REMOVAL and not Post.objects.filter(member=member).open_on(decided_on).exists():
        raise DomainError(f"{name} không giữ chức vụ nào trong các cơ quan của Đảng ngày {vn_date(decided_on)}: cách "
                          f"chức chỉ áp dụng với người đang giữ chức vụ ({FORMS_SOURCE}).", field="form")
    if not decision_number.strip():
        raise DomainError("Hãy ghi số quyết định.", field="decision_number")
    if not reason.strip():
        raise DomainError("Hãy ghi lý do kỷ luật.", field="reason")
    _not_future(decided_on, "Ngày quyết định", "decided_on")
    _not_future(effective_on, "Ngày công bố", "effective_on")
    if decided_on < violation_on:
        raise DomainError(f"Ngày quyết định ({vn_date(decided_on)}) trước ngày vi phạm ({vn_date(violation_on)}).",
                          field="decided_on")
    if case is not None and decided_on < case.opened_on:
        raise DomainError(f"Ngày quyết định ({vn_date(decided_on)}) trước ngày bắt đầu cuộc kiểm tra "
                          f"({vn_date(case.opened_on)}).", field="decided_on")
    if effective_on < decided_on:
        raise DomainError("Ngày công bố (có hiệu lực) không thể trước ngày quyết định.", field="effective_on")
    end = time_limit_end(form, violation_on, categories, new_violation_on, deferred_days)
    if end is not None and decided_on > end:
        years = rule("TIME_LIMIT_YEARS")[form]
        raise DomainError(f"Đã hết thời hiệu xử lý kỷ luật: vi phạm mức {Form(form).label.lower()} có thời hiệu "
                          f"{years} năm ({TIME_LIMIT_SOURCE}), tính từ {vn_date(max(violation_on, new_violation_on or violation_on))}"
                          f" đến {vn_date(end)}; quyết định ngày {vn_date(decided_on)} là quá hạn. Nếu có vi phạm mới "
                          "hoặc thời gian chưa xem xét kỷ luật, hãy ghi để tính lại.", field="violation_on")
    authority.check(unit=deciding_unit, body=deciding_body, on=decided_on, form=form, member=member,
                    subject_unit=subject_unit, categories=categories)
    if deciding_body is None:  # the cell's own meeting: its members are the denominator
        _check_cell_denominator(deciding_unit, decided_on, votes_total)
    check_vote(form, votes_for, votes_total, proposal_for, proposal_total)
    same = DisciplineDecision.objects.filter(violation_on=violation_on).exclude(appeal_outcome=AppealOutcome.CANCELLED)
    same = same.filter(member=member) if member else same.filter(unit=subject_unit)
    first = same.first()
    if first is not None:
        raise DomainError(f"Vi phạm ngày {vn_date(violation_on)} của {name} đã bị kỷ luật ({first.get_form_display().lower()}"
                          f", quyết định {first.decision_number}); một vi phạm chỉ bị xử lý một lần. Nếu cấp trên thay "
                          "đổi hình thức, hãy ghi kết quả giải quyết khiếu nại.", field="violation_on")
    snap = subject_snapshot(subject)
    d = DisciplineDecision.objects.create(
        case=case, subject_kind=kind, member=member, unit=subject_unit, subject_name=snap["name"],
        subject_unit_name=snap["unit_name"], subject_path=snap["path"], form=form, deciding_unit=deciding_unit,
        deciding_body=deciding_body, deciding_name=authority.decider_label(deciding_unit, deciding_body),
        deciding_level=authority.level_of(deciding_unit, decided_on), body_path=deciding_unit.path,
        votes_for=votes_for, votes_total=votes_total, proposal_for=proposal_for, proposal_total=proposal_total,
        violation_on=violation_on, new_violation_on=new_violation_on, deferred_days=deferred_days,
        categories=[c for c in categories if c in Category.values], reason=reason.strip(),
        decision_number=decision_number.strip(), decided_on=decided_on, effective_on=effective_on)
    record("oversight.discipline.decided", actor=by, obj=d, unit_path=snap["path"], unit_path_2=deciding_unit.path,
           unit_name=snap["unit_name"],
           after={"form": form, "subject": snap["name"], "by": d.deciding_name, "number": d.decision_number,
                  "decided_on": decided_on.isoformat(), "effective_on": effective_on.isoformat()})
    if form == Form.EXPULSION:
        # The membership ends with the member's own history event, kept in step with tallies and periods. The
        # member service's "change" right is the organization officers'; the inspection officer's right was
        # checked above, and this decision's audit entry names them.
        record_event(member, EventKind.EXPELLED, on=effective_on, by=None, decision_number=d.decision_number,
                     note=f"{d.deciding_name}: {d.reason}"[:255])
    return d


@transaction.atomic
def appeal(decision: DisciplineDecision, *, appealed_on: date, appeal_to: str, by) -> DisciplineDecision:
    _allowed(by, decision.deciding_unit)
    d = DisciplineDecision.objects.select_for_update().get(pk=decision.pk)
    if d.appealed_on:
        raise DomainError(f"Quyết định này đã có khiếu nại ngày {vn_date(d.appealed_on)}.", field="appealed_on")
    _not_future(appealed_on, "Ngày khiếu nại", "appealed_on")
    if appealed_on < d.effective_on:
        raise DomainError("Ngày khiếu nại trước ngày công bố quyết định.", field="appealed_on")
    if appealed_on > d.appeal_deadline:
        raise DomainError(f"Quá thời hạn khiếu nại: trong một tháng kể từ khi nhận quyết định ({APPEAL_SOURCE}), tức "
                          f"đến {vn_date(d.appeal_deadline)}; khiếu nại ngày {vn_date(appealed_on)} không được xem xét.",
                          field="appealed_on")
    if not appeal_to.strip():
        raise DomainError("Hãy ghi cấp ủy hoặc ủy ban kiểm tra cấp trên nhận khiếu nại.", field="appeal_to")
    d.appealed_on, d.appeal_to = appealed_on, appeal_to.strip()
    d.save(update_fields=["appealed_on", "appeal_to"])
    record("oversight.discipline.appealed", actor=by, obj=d, unit_path=d.subject_path, unit_path_2=d.body_path,
           after={"appealed_on": appealed_on.isoformat(), "to": d.appeal_to})
    return d


@transaction.atomic
def settle_appeal(decision: DisciplineDecision, *, outcome: str, on: date, by) -> DisciplineDecision:
    _allowed(by, decision.deciding_unit)
    d = DisciplineDecision.objects.select_for_update().get(pk=decision.pk)
    if not d.appealed_on:
        raise DomainError("Quyết định này chưa có khiếu nại.", field="outcome")
    if d.appeal_outcome:
        raise DomainError("Khiếu nại này đã được giải quyết.", field="outcome")
    if outcome not in AppealOutcome.values or not outcome:
        raise DomainError("Hãy chọn kết quả giải quyết khiếu nại.", field="outcome")
    if on < d.appealed_on:
        raise DomainError("Ngày giải quyết trước ngày khiếu nại.", field="on")
    _not_future(on, "Ngày giải quyết", "on")
    d.appeal_outcome, d.appeal_decided_on = outcome, on
    d.save(update_fields=["appeal_outcome", "appeal_decided_on"])
    record("oversight.discipline.appeal_settled", actor=by, obj=d, unit_path=d.subject_path, unit_path_2=d.body_path,
           after={"outcome": outcome, "on": on.isoformat()})
    return d


@transaction.atomic
def record_new_violation(decision: DisciplineDecision, *, on: date, by) -> DisciplineDecision:
    """A repeat or a new violation while the decision is in force: it will not lapse by itself (QĐ 69 Điều 2.5)."""
    _allowed(by, decision.deciding_unit)
    d = DisciplineDecision.objects.select_for_update().get(pk=decision.pk)
    if d.repeated_on:
        raise DomainError(f"Đã ghi vi phạm mới ngày {vn_date(d.repeated_on)}.", field="on")
    _not_future(on, "Ngày vi phạm mới", "on")
    if on < d.effective_on:
        raise DomainError("Vi phạm mới phải sau ngày quyết định có hiệu lực.", field="on")
    if d.lapses_on and on >= d.lapses_on:
        raise DomainError(f"Quyết định đã hết hiệu lực ngày {vn_date(d.lapses_on)}; vi phạm sau đó là một vụ mới.",
                          field="on")
    d.repeated_on = on
    d.save(update_fields=["repeated_on"])
    record("oversight.discipline.repeated", actor=by, obj=d, unit_path=d.subject_path, unit_path_2=d.body_path,
           after={"repeated_on": on.isoformat()})
    return d
