"""Cases, discipline and petitions over the API. Rows come through `visible_to(user, "inspect")`: a record
outside the caller's subtree, or asked by someone without the inspection right, answers 404 like one that does
not exist, and lists and counts leave it out. Writing goes through `oversight.services`."""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from bodies.models import Body
from core.api import PageOut, PageParams, page_body, paginate
from core.errors import DomainError
from core.scoping import can, can_anywhere
from members.models import Member
from orgs.models import OrgUnit
from oversight import petitions, services
from oversight.models import ACTION, Case, DisciplineDecision, Petition, Programme, StateNotice
from oversight.rules import CaseType, Category, Form
from oversight.stats import statistics

router = Router(tags=["Kiểm tra, giám sát, kỷ luật, đơn thư"])


class SubjectOut(Schema):
    name: str
    unit_name: str
    member_id: int | None
    unit_id: int | None


class CaseOut(Schema):
    id: int
    type: str
    type_label: str
    body_id: int
    body_name: str
    content: str
    opened_on: date
    due_on: date | None
    steps: str
    concluded_on: date | None
    violation: bool | None
    conclusion: str
    proposal: str
    subjects: list[SubjectOut]


class CasePage(PageOut):
    items: list[CaseOut]


class DisciplineOut(Schema):
    id: int
    subject_kind: str
    member_id: int | None
    unit_id: int | None
    subject_name: str
    subject_unit_name: str
    form: str
    form_label: str
    deciding_unit_id: int
    deciding_body_id: int | None
    deciding_name: str
    deciding_level: str
    votes_for: int
    votes_total: int
    violation_on: date
    categories: list[str]
    reason: str
    decision_number: str
    decided_on: date
    effective_on: date
    appealed_on: date | None
    appeal_outcome: str
    lapses_on: date | None
    case_id: int | None


class DisciplinePage(PageOut):
    items: list[DisciplineOut]


class PetitionOut(Schema):
    id: int
    kind: str
    anonymous: bool
    received_on: date
    due_on: date | None
    body_id: int
    subject_name: str
    subject_unit_name: str
    content: str
    handling: str
    outcome: str
    closed_on: date | None
    case_id: int | None


class PetitionPage(PageOut):
    items: list[PetitionOut]


def _case(c: Case) -> dict:
    return {"id": c.pk, "type": c.case_type, "type_label": c.get_case_type_display(), "body_id": c.body_id,
            "body_name": c.body.name, "content": c.content, "opened_on": c.opened_on, "due_on": c.due_on,
            "steps": c.steps, "concluded_on": c.concluded_on, "violation": c.violation, "conclusion": c.conclusion,
            "proposal": c.proposal,
            "subjects": [{"name": s.name, "unit_name": s.unit_name, "member_id": s.member_id, "unit_id": s.unit_id}
                         for s in c.subjects.all()]}


def _discipline(d: DisciplineDecision) -> dict:
    out = {f: getattr(d, f) for f in DisciplineOut.model_fields if hasattr(d, f) and f not in ("lapses_on",)}
    out.update({"form_label": d.get_form_display(), "lapses_on": d.lapses_on})
    return out


def _petition(p: Petition) -> dict:
    return {f: getattr(p, f) for f in PetitionOut.model_fields}


class Filters(Schema):
    unit: int | None = Field(None, description="Chỉ các hồ sơ trong cây con của tổ chức này: theo đối tượng (kỷ luật, đơn thư, thông báo) hoặc theo tổ chức thực hiện (kiểm tra, giám sát).")
    from_: date | None = Field(None, alias="from")
    to: date | None = None


def _unit(request, pk: int) -> OrgUnit:
    """A unit in the caller's inspection reach, else 404 (as if it did not exist)."""
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk)
    if not can(request.user, ACTION, unit.path):
        raise Http404
    return unit


def _filtered(request, rows, filters: Filters, path_field: str, day_field: str):
    if filters.unit is not None:
        rows = rows.filter(**{f"{path_field}__startswith": _unit(request, filters.unit).path})
    if filters.from_:
        rows = rows.filter(**{f"{day_field}__gte": filters.from_})
    if filters.to:
        rows = rows.filter(**{f"{day_field}__lte": filters.to})
    return rows


@router.get("/inspections", response=CasePage, summary="Các cuộc kiểm tra, giám sát")
def list_cases(request, filters: Query[Filters], page: Query[PageParams]):
    rows = Case.objects.visible_to(request.user).select_related("body").prefetch_related("subjects")
    count, items = paginate(_filtered(request, rows, filters, "unit_path", "opened_on"), page)
    return page_body(request, page, count, [_case(c) for c in items])


@router.get("/inspections/{case_id}", response=CaseOut, summary="Một cuộc kiểm tra, giám sát")
def get_case(request, case_id: int):
    return _case(get_object_or_404(Case.objects.visible_to(request.user).select_related("body"), pk=case_id))


@router.get("/discipline", response=DisciplinePage, summary="Các quyết định kỷ luật")
def list_discipline(request, filters: Query[Filters], page: Query[PageParams]):
    rows = DisciplineDecision.objects.visible_to(request.user)
    count, items = paginate(_filtered(request, rows, filters, "subject_path", "decided_on"), page)
    return page_body(request, page, count, [_discipline(d) for d in items])


@router.get("/discipline/{decision_id}", response=DisciplineOut, summary="Một quyết định kỷ luật")
def get_discipline(request, decision_id: int):
    return _discipline(get_object_or_404(DisciplineDecision.objects.visible_to(request.user), pk=decision_id))


@router.get("/petitions", response=PetitionPage, summary="Đơn thư")
def list_petitions(request, filters: Query[Filters], page: Query[PageParams]):
    rows = Petition.objects.visible_to(request.user)
    count, items = paginate(_filtered(request, rows, filters, "subject_path", "received_on"), page)
    return page_body(request, page, count, [_petition(p) for p in items])


@router.get("/petitions/{petition_id}", response=PetitionOut, summary="Một đơn thư")
def get_petition(request, petition_id: int):
    return _petition(get_object_or_404(Petition.objects.visible_to(request.user), pk=petition_id))


class StatsParams(Schema):
    unit: int
    from_: date = Field(alias="from")
    to: date


@router.get("/oversight/statistics", summary="Số liệu kiểm tra, giám sát, kỷ luật, đơn thư của một kỳ")
def get_statistics(request, params: Query[StatsParams]):
    """Trong cây con của `unit` (theo nơi đối tượng sinh hoạt khi ghi hồ sơ), từ `from` đến `to` (YYYY-MM-DD)."""
    if params.to < params.from_:
        raise DomainError("Ngày kết thúc kỳ phải sau ngày bắt đầu.", field="to")
    return statistics(request.user, _unit(request, params.unit), params.from_, params.to)


# ---- Writes ----

def _writer(request) -> None:
    if not can_anywhere(request.user, ACTION):
        raise HttpError(403, "Chỉ cán bộ kiểm tra ghi công tác kiểm tra, giám sát, kỷ luật và đơn thư.")


def _body(request, pk: int) -> Body:
    body = Body.objects.visible_to(request.user).select_related("unit").filter(pk=pk).first()
    if body is None or not can(request.user, ACTION, body.unit.path):
        raise DomainError(f"Không tìm thấy cơ quan số {pk} trong phạm vi kiểm tra của bạn.", field="body")
    return body


def _member(request, pk: int | None) -> Member | None:
    if pk is None:
        return None
    member = Member.objects.visible_to(request.user, ACTION).filter(pk=pk).first()
    if member is None:
        raise DomainError(f"Không tìm thấy đảng viên số {pk} trong phạm vi của bạn.", field="member")
    return member


def _subject_unit(request, pk: int | None) -> OrgUnit | None:
    if pk is None:
        return None
    unit = OrgUnit.objects.visible_to(request.user, ACTION).filter(pk=pk).first()
    if unit is None:
        raise DomainError(f"Không tìm thấy tổ chức số {pk} trong phạm vi của bạn.", field="unit")
    return unit


class CaseIn(Schema):
    type: CaseType
    body: int
    content: str
    opened_on: date
    due_on: date | None = None
    members: list[int] = []
    units: list[int] = []


class ConcludeIn(Schema):
    concluded_on: date
    violation: bool
    conclusion: str
    proposal: str = ""


class DisciplineIn(Schema):
    form: Form
    member: int | None = None
    unit: int | None = None
    deciding_unit: int
    deciding_body: int | None = Field(None, description="Để trống khi chi bộ quyết định tại cuộc họp chi bộ.")
    votes_for: int = Field(ge=0)
    votes_total: int = Field(ge=1)
    proposal_for: int | None = Field(None, ge=0)
    proposal_total: int | None = Field(None, ge=1)
    violation_on: date
    new_violation_on: date | None = None
    deferred_days: int = Field(0, ge=0)
    categories: list[Category] = []
    reason: str
    decision_number: str
    decided_on: date
    effective_on: date | None = None
    case: int | None = None


class PetitionIn(Schema):
    kind: str
    body: int
    received_on: date
    content: str
    member: int | None = None
    unit: int | None = None
    anonymous: bool = False
    sender: str = ""


@router.post("/inspections", response={201: CaseOut}, summary="Mở một cuộc kiểm tra, giám sát")
def create_case(request, data: CaseIn):
    _writer(request)
    subjects = [_member(request, m) for m in data.members] + [_subject_unit(request, u) for u in data.units]
    case = services.open_case(_body(request, data.body), case_type=data.type, content=data.content,
                              opened_on=data.opened_on, due_on=data.due_on, subjects=subjects, by=request.user)
    return Status(201, _case(case))


@router.post("/inspections/{case_id}/conclusion", response=CaseOut, summary="Kết luận một cuộc kiểm tra, giám sát")
def conclude(request, case_id: int, data: ConcludeIn):
    _writer(request)
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("body__unit"), pk=case_id)
    return _case(services.conclude_case(case, concluded_on=data.concluded_on, violation=data.violation,
                                        conclusion=data.conclusion, proposal=data.proposal, by=request.user))


@router.post("/discipline", response={201: DisciplineOut}, summary="Ghi một quyết định kỷ luật")
def create_discipline(request, data: DisciplineIn):
    _writer(request)
    deciding_unit = _subject_unit(request, data.deciding_unit)
    body = _body(request, data.deciding_body) if data.deciding_body is not None else None
    case = (get_object_or_404(Case.objects.visible_to(request.user), pk=data.case) if data.case else None)
    d = services.decide(deciding_unit=deciding_unit, deciding_body=body, form=data.form,
                        member=_member(request, data.member), subject_unit=_subject_unit(request, data.unit),
                        votes_for=data.votes_for, votes_total=data.votes_total, proposal_for=data.proposal_for,
                        proposal_total=data.proposal_total, violation_on=data.violation_on,
                        new_violation_on=data.new_violation_on, deferred_days=data.deferred_days,
                        categories=data.categories, reason=data.reason, decision_number=data.decision_number,
                        decided_on=data.decided_on, effective_on=data.effective_on, case=case, by=request.user)
    return Status(201, _discipline(d))


@router.post("/petitions", response={201: PetitionOut}, summary="Nhận một đơn thư")
def create_petition(request, data: PetitionIn):
    _writer(request)
    p = petitions.receive_petition(_body(request, data.body), kind=data.kind, received_on=data.received_on,
                                  content=data.content, member=_member(request, data.member),
                                  subject_unit=_subject_unit(request, data.unit), anonymous=data.anonymous,
                                  sender=data.sender, by=request.user)
    return Status(201, _petition(p))


class StateNoticeOut(Schema):
    id: int
    member_id: int
    subject_name: str
    subject_unit_name: str
    issuer: str
    measure: str
    decided_on: date
    received_on: date
    days_late: int = Field(description="Số ngày chậm so với thời hạn 5 ngày (0: đúng hạn).")
    note: str


class StateNoticePage(PageOut):
    items: list[StateNoticeOut]


class StateNoticeIn(Schema):
    member: int
    issuer: str
    measure: str
    decided_on: date
    received_on: date
    note: str = ""


class NewViolationIn(Schema):
    on: date


def _notice(n: StateNotice) -> dict:
    return {f: getattr(n, f) for f in StateNoticeOut.model_fields}


@router.get("/state-notices", response=StateNoticePage, summary="Thông báo kỷ luật của cơ quan nhà nước, đoàn thể")
def list_notices(request, filters: Query[Filters], page: Query[PageParams]):
    rows = StateNotice.objects.visible_to(request.user)
    count, items = paginate(_filtered(request, rows, filters, "subject_path", "received_on"), page)
    return page_body(request, page, count, [_notice(n) for n in items])


@router.post("/state-notices", response={201: StateNoticeOut}, summary="Ghi một thông báo")
def create_notice(request, data: StateNoticeIn):
    _writer(request)
    member = _member(request, data.member)
    n = petitions.record_state_notice(member, issuer=data.issuer, measure=data.measure, decided_on=data.decided_on,
                                     received_on=data.received_on, note=data.note, by=request.user)
    return Status(201, _notice(n))


@router.post("/discipline/{decision_id}/new-violation", response=DisciplineOut,
             summary="Ghi tái phạm hoặc vi phạm mới (quyết định không tự chấm dứt hiệu lực)")
def new_violation(request, decision_id: int, data: NewViolationIn):
    _writer(request)
    d = get_object_or_404(DisciplineDecision.objects.visible_to(request.user).select_related("deciding_unit"),
                          pk=decision_id)
    return _discipline(services.record_new_violation(d, on=data.on, by=request.user))


class ProgrammeItemOut(Schema):
    id: int
    case_type: str
    content: str
    planned_month: int
    case_id: int | None
    done: bool


class ProgrammeOut(Schema):
    id: int
    body_id: int
    body_name: str
    year: int
    adopted_on: date
    items: list[ProgrammeItemOut]


class ProgrammePage(PageOut):
    items: list[ProgrammeOut]


@router.get("/oversight/programmes", response=ProgrammePage, summary="Chương trình kiểm tra, giám sát năm")
def list_programmes(request, page: Query[PageParams], year: int | None = None):
    rows = Programme.objects.visible_to(request.user).select_related("body").prefetch_related("items__case")
    if year is not None:
        rows = rows.filter(year=year)
    count, items = paginate(rows, page)
    return page_body(request, page, count, [
        {"id": p.pk, "body_id": p.body_id, "body_name": p.body.name, "year": p.year, "adopted_on": p.adopted_on,
         "items": [{"id": i.pk, "case_type": i.case_type, "content": i.content, "planned_month": i.planned_month,
                    "case_id": i.case_id, "done": i.done} for i in p.items.all()]} for p in items])
