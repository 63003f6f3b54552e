"""The admission workflow: register a candidate, then each step, guard → one transaction → audit.

Every refusal is a `DomainError` with a Vietnamese message naming the rule and how to fix it; nothing is
written then. A step is refused when the file is not at the step before it (`ALLOWED`), when its day is in
the future or before the file's last step. At the ceremony the candidate becomes a member through
`members.services` (create_member, or record_event READMITTED for a former member) in the same
transaction; recognition and striking off are `record_event` too, so status, placements, party age and
the tallies follow without a second path. `by` may be None only for the demo load and tests.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from admission import eligibility, rules
from admission.models import BEFORE_CEREMONY, Candidate, Proposal, Stage, Step, StepKind
from audit.services import record
from bodies.models import Body, Post
from bodies.rules import BodyKind
from calendars.workdays import add_working_days
from core.errors import DomainError, DomainErrors
from core.scoping import can
from core.text import vn_date
from members import rules as member_rules
from members.choices import EventKind, Status
from members.models import LEFT_STATUSES, Member, MemberPeriod
from members.services import create_member, record_event
from orgs.models import Kind, OrgUnit

ACTION = "change"  # the right to write member records: organization officers, cell secretaries, administrators
CELL_KINDS = {Kind.CELL, Kind.GRASSROOTS_CELL}
K, S = StepKind, Stage

# Which steps may follow which stage (STYLE.md §6). Where the cell is itself a grassroots cell (chi bộ cơ sở)
# there is no grassroots committee's step: `_expect` drops it and allows the one after.
ALLOWED: dict[str, set[str]] = {
    S.REGISTERED: {K.CELL_VOTE, K.CLOSED},
    S.CELL_PROPOSED: {K.GRASSROOTS_VOTE, K.RECEIVED, K.CLOSED},
    S.GRASSROOTS_PROPOSED: {K.RECEIVED, K.CLOSED},
    S.SUBMITTED: {K.EXTENDED, K.DECIDED, K.REFUSED},
    S.DECIDED: {K.CEREMONY},
    S.PROBATION: {K.RECOG_CELL_VOTE},
    S.RECOG_CELL: {K.RECOG_GRASSROOTS_VOTE, K.RECOG_EXTENDED, K.RECOGNIZED, K.STRUCK_OFF},
    S.RECOG_GRASSROOTS: {K.RECOG_EXTENDED, K.RECOGNIZED, K.STRUCK_OFF},
    S.REFERRED: {K.CLOSED},
}
# The steps that need the grassroots committee's resolution first, where there is one.
_AFTER_GRASSROOTS = {K.RECEIVED, K.RECOGNIZED, K.STRUCK_OFF}
PROFILE_FIELDS = [f.name for f in Candidate._meta.concrete_fields
                  if f.name not in {"id", "unit", "org_path", "stage", "due_on", "probation_ends_on", "member",
                                    "created_at", "updated_at"}]


def ancestor_of_kinds(unit: OrgUnit, kinds) -> OrgUnit | None:
    """The nearest ancestor of `unit` (not itself) whose kind is one of `kinds`."""
    for a in reversed(list(unit.ancestors())):
        if a.pk != unit.pk and a.kind in kinds:
            return a
    return None


def grassroots_of(cell: OrgUnit) -> OrgUnit | None:
    """The grassroots organization whose committee reviews the cell's proposals; None for a chi bộ cơ sở."""
    if cell.kind == Kind.GRASSROOTS_CELL:
        return None
    return ancestor_of_kinds(cell, rules.GRASSROOTS_KINDS)


def competent_of(cell: OrgUnit, on: date) -> tuple[rules.Competent, OrgUnit | None]:
    """Who decides on `on` (admission.rules.COMPETENT_BODY) and the organization whose standing committee it is."""
    entry = rules.competent_on(on)
    return entry, ancestor_of_kinds(cell, entry.kinds) or cell.parent


def _allowed(by, unit: OrgUnit) -> None:
    if by is not None and not can(by, ACTION, unit.path):
        raise DomainError(f"Bạn không có quyền ghi hồ sơ kết nạp đảng viên của “{unit.name}”.")


def _not_future(on: date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise DomainError(f"Ngày {vn_date(on)} chưa đến; chỉ ghi việc đã diễn ra.", field=field)


def snapshot(c: Candidate) -> dict:
    out = {name: getattr(c, name) for name in [*PROFILE_FIELDS, "stage", "due_on", "unit_id"]}
    for name in ("introducer_1", "introducer_2", "former_member"):
        out[name] = out[name].pk if out[name] else None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in out.items()}


# --- registering and editing ---------------------------------------------------------------------------


def _check_profile(c: Candidate, by) -> None:
    problems = []
    today = timezone.localdate()
    if c.unit.kind not in CELL_KINDS:
        problems.append(DomainError(f"“{c.unit.name}” không phải chi bộ: người vào Đảng do chi bộ xem xét; hãy chọn "
                                    "chi bộ.", field="unit"))
    if not c.unit.is_open:
        problems.append(DomainError(f"“{c.unit.name}” đã kết thúc hoạt động; hãy chọn chi bộ đang hoạt động.",
                                    field="unit"))
    if c.birth_date and c.birth_date > today:
        problems.append(DomainError("Ngày sinh không được sau ngày hôm nay.", field="birth_date"))
    if c.registered_on > today:
        problems.append(DomainError(f"Ngày {vn_date(c.registered_on)} chưa đến; chỉ ghi việc đã diễn ra.",
                                    field="registered_on"))
    elif c.registered_on < c.unit.valid_from:
        problems.append(DomainError(f"“{c.unit.name}” hoạt động từ {vn_date(c.unit.valid_from)}; ngày đưa vào danh "
                                    "sách phải từ ngày đó.", field="registered_on"))
    message = member_rules.check_cccd(c.citizen_id, c.birth_date, c.gender == "nu")
    if message:
        problems.append(DomainError(message, field="citizen_id"))
    elif c.citizen_id:
        holder = Member.objects.filter(citizen_id=c.citizen_id).exclude(status__in=LEFT_STATUSES).first()
        if holder is not None:
            problems.append(DomainError(f"Số CCCD {c.citizen_id} đã có trong hồ sơ của một đảng viên đang sinh hoạt; "
                                        "người đã là đảng viên không xem xét kết nạp.", field="citizen_id"))
    if c.former_member is not None and c.former_member.status not in LEFT_STATUSES:
        problems.append(DomainError(f"{c.former_member.full_name} vẫn đang là đảng viên; chỉ kết nạp lại người đã ra "
                                    "khỏi Đảng.", field="former_member"))
    DomainErrors.raise_any(problems)


def _check_helpers(c: Candidate, helpers, on: date) -> None:
    for m in helpers:
        if m.status != Status.OFFICIAL or not m.org_path.startswith(c.unit.path):
            raise DomainError(f"{m.full_name} không phải đảng viên chính thức của “{c.unit.name}”: chi bộ phân công "
                              "đảng viên chính thức của mình giúp đỡ người vào Đảng.", field="helpers")


@transaction.atomic
def register(unit: OrgUnit, *, by, helpers=(), **fields) -> Candidate:
    """Put a non-member on the cell's list (quần chúng ưu tú, cảm tình Đảng)."""
    _allowed(by, unit)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(f"Không ghi được: {', '.join(sorted(unknown))}.")
    c = Candidate(unit=unit, **fields)
    _check_profile(c, by)
    _check_helpers(c, helpers, c.registered_on)
    c.save()
    c.helpers.set(helpers)
    record("admission.candidate.created", actor=by, obj=c, unit_path=unit.path, unit_name=unit.name,
           after=snapshot(c))
    return c


@transaction.atomic
def update(c: Candidate, changes: dict, *, by, helpers=None) -> Candidate:
    """Edit the candidate's data and dossier (not the stage: steps change that)."""
    c = Candidate.objects.select_for_update(of=("self",)).select_related("unit").get(pk=c.pk)
    _allowed(by, c.unit)
    if c.stage not in BEFORE_CEREMONY:
        raise DomainError("Người này đã được kết nạp: sửa hồ sơ đảng viên ở trang đảng viên.")
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(f"Không sửa trực tiếp được: {', '.join(sorted(unknown))}.")
    before = snapshot(c)
    for name, value in changes.items():
        setattr(c, name, value)
    _check_profile(c, by)
    if helpers is not None:
        _check_helpers(c, helpers, c.registered_on)
        c.helpers.set(helpers)
    c.save()
    after = snapshot(c)
    if before != after or helpers is not None:
        record("admission.candidate.updated", actor=by, obj=c, unit_path=c.org_path, unit_name=c.unit.name,
               before=before, after=after)
    return c


# --- steps ---------------------------------------------------------------------------------------------


def _last_day(c: Candidate) -> date:
    last = c.steps.order_by("-on", "-id").values_list("on", flat=True).first()
    return max(last, c.registered_on) if last else c.registered_on


def _expect(c: Candidate, kind: str) -> None:
    allowed = set(ALLOWED.get(c.stage, set()))
    if grassroots_of(c.unit) is None:  # a chi bộ cơ sở: no grassroots committee's step
        allowed -= {K.GRASSROOTS_VOTE, K.RECOG_GRASSROOTS_VOTE}
    elif c.stage in (S.CELL_PROPOSED, S.RECOG_CELL):
        allowed -= _AFTER_GRASSROOTS
    if kind not in allowed:
        nexts = ", ".join(StepKind(k).label.lower() for k in StepKind.values if k in allowed) or "không còn bước nào"
        raise DomainError(f"Chưa thể ghi “{StepKind(kind).label.lower()}”: hồ sơ đang ở bước “{c.get_stage_display()}”. "
                          f"Bước có thể ghi tiếp: {nexts}.", field="kind")


def _begin(c: Candidate, kind: str, on: date, by) -> tuple[Candidate, dict]:
    """Lock the file, check the right, the order and the day; return it fresh with its state before."""
    c = Candidate.objects.select_for_update(of=("self",)).select_related("unit", "member").get(pk=c.pk)
    _allowed(by, c.unit)
    _expect(c, kind)
    _not_future(on)
    last = _last_day(c)
    if on < last:
        raise DomainError(f"Ngày {vn_date(on)} trước bước trước đó của hồ sơ ({vn_date(last)}); hãy ghi các bước theo "
                          "thứ tự thời gian.", field="on")
    return c, {"stage": c.stage, "due_on": c.due_on.isoformat() if c.due_on else None}


def _finish(c: Candidate, step: Step, before: dict, by) -> Step:
    c.save(update_fields=["stage", "due_on", "probation_ends_on", "member", "updated_at"])
    record(f"admission.candidate.{step.kind}", actor=by, obj=c, unit_path=c.org_path, unit_name=c.unit.name,
           before=before, after={"stage": c.stage, "due_on": c.due_on.isoformat() if c.due_on else None,
                                 "on": step.on.isoformat(), "votes_for": step.votes_for, "eligible": step.eligible,
                                 "passed": step.passed, "number": step.number},
           note=" ".join(x for x in (step.number, step.note) if x))
    if by is not None and not can(by, "view", c.org_path):
        raise DomainError("Sau thay đổi, hồ sơ sẽ nằm ngoài phạm vi quản lý của bạn; đã hủy thao tác.")
    return step


def _number(c: Candidate, kind: str, on: date, by, typed: str) -> tuple[str, int | None]:
    """The paper's number: as typed (issued outside the system), else the next in its issuer's register
    (admission.paperwork, documents.services) in this transaction; refused when neither can be had."""
    if typed.strip():
        return typed.strip(), None
    from admission.paperwork import issuer, number_for  # the paperwork reads this module's tree helpers

    document = number_for(c, kind, on, by)
    if document is None:
        unit, _body = issuer(c, kind, on)
        where = f" của “{unit.name}”" if unit else ""
        raise DomainError(f"Hãy ghi số văn bản: bạn không cấp số trong sổ văn bản{where}.", field="number")
    return document.symbol, document.pk


def official_members(cell: OrgUnit, on: date) -> int:
    """The cell's official members on `on`, from the members' placements (members.MemberPeriod)."""
    return (MemberPeriod.objects.filter(unit=cell, status=Status.OFFICIAL).on(on)
            .values("member_id").distinct().count())


def committee_members(unit: OrgUnit, on: date) -> int:
    """Members of `unit`'s committee (cấp ủy) on `on`, from the posts recorded in `bodies`; 0 if none recorded."""
    bodies = Body.objects.filter(unit=unit, kind=BodyKind.COMMITTEE).open_on(on)
    return Post.objects.filter(body__in=bodies).open_on(on).values("member_id").distinct().count()


def _vote(c: Candidate, kind: str, on: date, votes_for: int, eligible: int, who: str, by, *, number: str,
          note: str, proposal: str = "", next_stage: str) -> Step:
    if votes_for < 0:
        raise DomainError("Số tán thành không được âm.", field="votes_for")
    if votes_for > eligible:
        raise DomainError(f"Số tán thành ({votes_for}) lớn hơn số {who} ngày {vn_date(on)} ({eligible}); hãy kiểm tra "
                          "lại biên bản.", field="votes_for")
    passed = rules.enough_votes(votes_for, eligible)
    step = Step.objects.create(candidate=c, kind=kind, on=on, votes_for=votes_for, eligible=eligible, passed=passed,
                               proposal=proposal, number=number.strip(), note=note.strip(), by=by)
    if passed:
        c.stage = next_stage
    else:
        failed = c.steps.filter(kind=kind, passed=False).count()
        if failed >= rules.rule("MAX_FAILED_VOTES"):
            c.stage, c.due_on = S.REFERRED, None
    return step


@transaction.atomic
def cell_vote(c: Candidate, *, on: date, votes_for: int, by, number: str = "", note: str = "") -> Step:
    """The cell's resolution proposing admission: at least 2/3 of its official members on that day in favour.
    Refused while the candidate is not eligible on that day (admission.eligibility)."""
    c, before = _begin(c, K.CELL_VOTE, on, by)
    DomainErrors.raise_any(eligibility.problems(c, on))
    eligible = official_members(c.unit, on)
    if eligible == 0:
        raise DomainError(f"Ngày {vn_date(on)} “{c.unit.name}” không có đảng viên chính thức nào trong hồ sơ; không thể "
                          "biểu quyết.", field="on")
    step = _vote(c, K.CELL_VOTE, on, votes_for, eligible, "đảng viên chính thức của chi bộ", by, number=number,
                 note=note, next_stage=S.CELL_PROPOSED)
    if step.passed and not step.number:  # the cell's resolution proposing admission gets the cell's next NQ number
        step.number, step.document_id = _number(c, K.CELL_VOTE, on, by, "")
        step.save(update_fields=["number", "document_id"])
    return _finish(c, step, before, by)


def _committee_size(unit: OrgUnit, on: date, typed: int | None) -> int:
    recorded = committee_members(unit, on)
    if recorded:
        return recorded
    if not typed:
        raise DomainError(f"Chưa ghi cấp ủy viên của “{unit.name}” ngày {vn_date(on)} (trang Cơ quan, đại hội); hãy nhập "
                          "số cấp ủy viên.", field="eligible")
    return typed


@transaction.atomic
def grassroots_vote(c: Candidate, *, on: date, votes_for: int, by, committee_size: int | None = None,
                    number: str = "", note: str = "") -> Step:
    """The grassroots committee's resolution: at least 2/3 of its members (cấp ủy viên) in favour."""
    c, before = _begin(c, K.GRASSROOTS_VOTE, on, by)
    eligible = _committee_size(grassroots_of(c.unit), on, committee_size)
    step = _vote(c, K.GRASSROOTS_VOTE, on, votes_for, eligible, "cấp ủy viên", by, number=number, note=note,
                 next_stage=S.GRASSROOTS_PROPOSED)
    return _finish(c, step, before, by)


@transaction.atomic
def receive(c: Candidate, *, on: date, by, note: str = "") -> Step:
    """The competent committee receives the proposal: its decision is due DECISION_WORKING_DAYS later."""
    c, before = _begin(c, K.RECEIVED, on, by)
    c.stage, c.due_on = S.SUBMITTED, add_working_days(on, rules.rule("DECISION_WORKING_DAYS"))
    entry, unit = competent_of(c.unit, on)
    note = note.strip() or f"{entry.description}{' của ' + unit.name if unit else ''}"
    step = Step.objects.create(candidate=c, kind=K.RECEIVED, on=on, note=note[:255], by=by)
    return _finish(c, step, before, by)


def _extend(c: Candidate, kind: str, on: date, days: int, by, note: str) -> Step:
    if c.steps.filter(kind=kind).exists():
        raise DomainError("Thời gian xem xét đã được gia hạn một lần; quy định chỉ cho gia hạn một lần.", field="kind")
    if c.due_on and on > c.due_on:
        raise DomainError(f"Hạn đã hết ngày {vn_date(c.due_on)}; việc gia hạn phải quyết định trong thời hạn.",
                          field="on")
    if not note.strip():
        raise DomainError("Hãy ghi lý do gia hạn (trường hợp đặc biệt).", field="note")
    c.due_on = add_working_days(c.due_on or on, days)
    return Step.objects.create(candidate=c, kind=kind, on=on, note=note.strip()[:255], by=by)


@transaction.atomic
def extend(c: Candidate, *, on: date, by, note: str = "") -> Step:
    """Extend the decision's deadline once, by at most DECISION_EXTENSION_WORKING_DAYS."""
    c, before = _begin(c, K.EXTENDED, on, by)
    step = _extend(c, K.EXTENDED, on, rules.rule("DECISION_EXTENSION_WORKING_DAYS"), by, note)
    return _finish(c, step, before, by)


def _vote_day(c: Candidate, kind: str) -> date | None:
    return c.steps.filter(kind=kind, passed=True).order_by("-on").values_list("on", flat=True).first()


@transaction.atomic
def decide(c: Candidate, *, on: date, by, number: str = "", received_on: date | None = None, note: str = "") -> Step:
    """The admission decision; the ceremony is due CEREMONY_WORKING_DAYS after the cell receives it."""
    c, before = _begin(c, K.DECIDED, on, by)
    received_on = received_on or on
    if received_on < on:
        raise DomainError("Ngày chi bộ nhận quyết định không thể trước ngày quyết định.", field="received_on")
    _not_future(received_on, "received_on")
    voted = _vote_day(c, K.CELL_VOTE)
    if voted and member_rules.over_admission_age(c.birth_date, voted) and c.over_age_consent_on \
            and c.over_age_consent_on > on:
        raise DomainError(f"Văn bản đồng ý kết nạp người trên {member_rules.rule('MAX_ADMISSION_AGE_YEARS')} tuổi "
                          f"({vn_date(c.over_age_consent_on)}) phải có trước ngày quyết định kết nạp ({vn_date(on)}) "
                          "(Quy định thi hành Điều lệ Đảng, mục 1).", field="on")
    c.stage, c.due_on = S.DECIDED, add_working_days(received_on, rules.rule("CEREMONY_WORKING_DAYS"))
    number, document = _number(c, K.DECIDED, on, by, number)
    step = Step.objects.create(candidate=c, kind=K.DECIDED, on=on, number=number, received_on=received_on,
                               note=note.strip()[:255], document_id=document, by=by)
    return _finish(c, step, before, by)


@transaction.atomic
def refuse(c: Candidate, *, on: date, by, number: str = "", note: str = "") -> Step:
    """The competent committee does not agree to admit: the file ends; the cell is told."""
    c, before = _begin(c, K.REFUSED, on, by)
    c.stage, c.due_on = S.REFUSED, None
    step = Step.objects.create(candidate=c, kind=K.REFUSED, on=on, number=number.strip(), note=note.strip()[:255],
                               by=by)
    return _finish(c, step, before, by)


def _member_fields(c: Candidate, on: date) -> dict:
    return {"full_name": c.full_name, "gender": c.gender, "birth_date": c.birth_date, "ethnicity": c.ethnicity,
            "religion": c.religion, "citizen_id": c.citizen_id or None, "hometown": c.hometown,
            "current_address": c.current_address, "phone": c.phone, "general_education": c.general_education,
            "professional_qualification": c.professional_qualification, "degree": c.degree,
            "political_theory": c.political_theory, "occupation": c.occupation, "workplace": c.workplace,
            "over_age_consent_number": c.over_age_consent_number, "over_age_consent_on": c.over_age_consent_on,
            "admitted_on": on, "admission_place": c.unit.name}


@transaction.atomic
def ceremony(c: Candidate, *, on: date, by, note: str = "") -> Step:
    """The admission ceremony: the candidate becomes a probationary member of the cell from that day (a former
    member is re-admitted on their own record); probation runs 12 months (members.rules.end_of_probation) and
    the cell's recognition vote is due RECOGNITION_CONSIDER_WORKING_DAYS after it ends."""
    c, before = _begin(c, K.CEREMONY, on, by)
    decision = c.steps.filter(kind=K.DECIDED).order_by("-on").first()
    if decision and decision.received_on and on < decision.received_on:
        raise DomainError(f"Lễ kết nạp ({vn_date(on)}) trước ngày chi bộ nhận quyết định ({vn_date(decision.received_on)}).",
                          field="on")
    if c.due_on and on > c.due_on and not note.strip():
        raise DomainError(f"Lễ kết nạp sau hạn {vn_date(c.due_on)} ({rules.rule('CEREMONY_WORKING_DAYS')} ngày làm việc "
                          "từ khi nhận quyết định, Quy định 232-QĐ/TW mục 4.1) cần ý kiến đồng ý của cấp ủy cấp trên "
                          "trực tiếp: hãy ghi số, ngày văn bản đó vào ô ghi chú.", field="note")
    number = decision.number if decision else ""
    if c.former_member is not None:
        record_event(c.former_member, EventKind.READMITTED, on=on, by=by, unit=c.unit, decision_number=number,
                     note="Lễ kết nạp lại", reason=c.readmission_reason)
        c.member = c.former_member
    else:
        c.member = create_member(unit=c.unit, by=by, status=Status.PROBATIONARY, **_member_fields(c, on))
        c.member.events.filter(kind=EventKind.ADMITTED).update(decision_number=number[:60],
                                                               note=f"Lễ kết nạp ngày {vn_date(on)}")
    c.probation_ends_on = member_rules.end_of_probation(on)
    c.stage = S.PROBATION
    c.due_on = add_working_days(c.probation_ends_on, member_rules.rule("RECOGNITION_CONSIDER_WORKING_DAYS"))
    step = Step.objects.create(candidate=c, kind=K.CEREMONY, on=on, note=note.strip()[:255], by=by)
    return _finish(c, step, before, by)


@transaction.atomic
def recognition_vote(c: Candidate, *, on: date, votes_for: int, by, proposal: str = Proposal.RECOGNIZE,
                     number: str = "", note: str = "") -> Step:
    """The cell's resolution after probation: recognize or strike off, at least 2/3 of its official members;
    the decision is due RECOGNITION_DECISION_WORKING_DAYS after it."""
    c, before = _begin(c, K.RECOG_CELL_VOTE, on, by)
    if on < c.probation_ends_on:
        raise DomainError(f"Chưa hết {member_rules.rule('PROBATION_MONTHS')} tháng dự bị: hết ngày "
                          f"{vn_date(c.probation_ends_on)} (Điều lệ Đảng Điều 5); chi bộ xét từ ngày đó.", field="on")
    if c.member.status != Status.PROBATIONARY:
        raise DomainError(f"{c.member.full_name} không còn là đảng viên dự bị ({c.member.get_status_display().lower()}).")
    eligible = official_members(c.member.unit, on)  # the cell the member is in now (a move during probation)
    step = _vote(c, K.RECOG_CELL_VOTE, on, votes_for, eligible, "đảng viên chính thức của chi bộ", by,
                 number=number, note=note, proposal=proposal, next_stage=S.RECOG_CELL)
    if step.passed:
        c.due_on = add_working_days(on, rules.rule("RECOGNITION_DECISION_WORKING_DAYS"))
    return _finish(c, step, before, by)


@transaction.atomic
def recognition_grassroots_vote(c: Candidate, *, on: date, votes_for: int, by, committee_size: int | None = None,
                                number: str = "", note: str = "") -> Step:
    c, before = _begin(c, K.RECOG_GRASSROOTS_VOTE, on, by)
    eligible = _committee_size(grassroots_of(c.unit), on, committee_size)
    proposal = c.steps.filter(kind=K.RECOG_CELL_VOTE, passed=True).order_by("-on").values_list("proposal", flat=True)
    due = c.due_on
    step = _vote(c, K.RECOG_GRASSROOTS_VOTE, on, votes_for, eligible, "cấp ủy viên", by, number=number, note=note,
                 proposal=proposal.first() or Proposal.RECOGNIZE, next_stage=S.RECOG_GRASSROOTS)
    if c.stage != S.REFERRED:
        c.due_on = due
    return _finish(c, step, before, by)


@transaction.atomic
def extend_recognition(c: Candidate, *, on: date, by, note: str = "") -> Step:
    c, before = _begin(c, K.RECOG_EXTENDED, on, by)
    step = _extend(c, K.RECOG_EXTENDED, on, rules.rule("RECOGNITION_EXTENSION_WORKING_DAYS"), by, note)
    return _finish(c, step, before, by)


@transaction.atomic
def recognize(c: Candidate, *, on: date, by, number: str = "", note: str = "") -> Step:
    """The decision recognizing the member as official, as of the day probation ended, however late it comes
    (Quy định 29-QĐ/TW, kept by 208-QĐ/TW)."""
    c, before = _begin(c, K.RECOGNIZED, on, by)
    number, document = _number(c, K.RECOGNIZED, on, by, number)
    record_event(c.member, EventKind.RECOGNIZED, on=c.probation_ends_on, by=by, decision_number=number[:60],
                 note=f"Quyết định ngày {vn_date(on)}")
    c.stage, c.due_on = S.RECOGNIZED, None
    step = Step.objects.create(candidate=c, kind=K.RECOGNIZED, on=on, number=number, note=note.strip()[:255],
                               document_id=document, by=by)
    return _finish(c, step, before, by)


@transaction.atomic
def strike_off(c: Candidate, *, on: date, by, number: str = "", note: str = "") -> Step:
    """The decision striking an unfit probationary member off the list (Điều lệ Đảng Điều 5), from its day."""
    c, before = _begin(c, K.STRUCK_OFF, on, by)
    number, document = _number(c, K.STRUCK_OFF, on, by, number)
    record_event(c.member, EventKind.STRUCK_OFF, on=on, by=by, decision_number=number[:60],
                 note="Xóa tên khỏi danh sách đảng viên dự bị")
    c.stage, c.due_on = S.STRUCK_OFF, None
    step = Step.objects.create(candidate=c, kind=K.STRUCK_OFF, on=on, number=number, note=note.strip()[:255],
                               document_id=document, by=by)
    return _finish(c, step, before, by)


@transaction.atomic
def close(c: Candidate, *, on: date, by, note: str = "") -> Step:
    """Stop following a candidate before a decision (withdrew, moved away, or after the level above answered a
    referral)."""
    c, before = _begin(c, K.CLOSED, on, by)
    if not note.strip():
        raise DomainError("Hãy ghi lý do dừng xem xét.", field="note")
    c.stage, c.due_on = S.CLOSED, None
    step = Step.objects.create(candidate=c, kind=K.CLOSED, on=on, note=note.strip()[:255], by=by)
    return _finish(c, step, before, by)


# Each step by its kind, for the page's form and the API: the fields each takes besides `on` and `by`.
STEPS = {
    K.CELL_VOTE: (cell_vote, ("votes_for", "number", "note")),
    K.GRASSROOTS_VOTE: (grassroots_vote, ("votes_for", "committee_size", "number", "note")),
    K.RECEIVED: (receive, ("note",)),
    K.EXTENDED: (extend, ("note",)),
    K.DECIDED: (decide, ("number", "received_on", "note")),
    K.REFUSED: (refuse, ("number", "note")),
    K.CEREMONY: (ceremony, ("note",)),
    K.RECOG_CELL_VOTE: (recognition_vote, ("votes_for", "proposal", "number", "note")),
    K.RECOG_GRASSROOTS_VOTE: (recognition_grassroots_vote, ("votes_for", "committee_size", "number", "note")),
    K.RECOG_EXTENDED: (extend_recognition, ("note",)),
    K.RECOGNIZED: (recognize, ("number", "note")),
    K.STRUCK_OFF: (strike_off, ("number", "note")),
    K.CLOSED: (close, ("note",)),
}


def next_steps(c: Candidate) -> list[str]:
    """The steps the file may take now, in the order of StepKind."""
    allowed = []
    for kind in StepKind.values:
        try:
            _expect(c, kind)
        except DomainError:
            continue
        allowed.append(kind)
    return allowed


def do_step(c: Candidate, kind: str, *, on: date, by, **data) -> Step:
    """Run the step `kind` with the fields it takes from `data` (others ignored; empty ones left out)."""
    if kind not in STEPS:
        raise DomainError("Bước không hợp lệ.", field="kind")
    fn, names = STEPS[kind]
    if "votes_for" in names and data.get("votes_for") is None:
        raise DomainError("Hãy nhập số đảng viên (cấp ủy viên) tán thành.", field="votes_for")
    kwargs = {n: data[n] for n in names if data.get(n) not in (None, "")}
    return fn(c, on=on, by=by, **kwargs)
