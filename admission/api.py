"""Candidates over the API: the list (same envelope and scoping as /members), one file with its steps, creating
a candidate and each step. A candidate outside the caller's subtree answers 404 like a missing one; writing
needs the right to change member records there (403)."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from admission import queries, services
from admission.models import Candidate, Exception_, Introduction, Proposal, Stage, StepKind
from core.api import PageOut, PageParams, page_body, paginate
from core.errors import DomainError
from core.scoping import can
from members import privacy
from members.choices import Gender
from members.models import Member
from orgs.api import UnitRef
from orgs.models import OrgUnit

router = Router(tags=["Kết nạp đảng viên"])
router.add_decorator(privacy.no_store, mode="view")


class CandidateOut(Schema):
    id: int
    full_name: str
    gender: Gender
    birth_date: date
    unit: UnitRef = Field(description="Chi bộ xem xét kết nạp.")
    registered_on: date
    stage: Stage
    stage_label: str
    due_on: date | None = Field(description="Hạn của bước tiếp theo (ngày làm việc theo quy định).")
    overdue: bool
    probation_ends_on: date | None
    member_id: int | None = Field(description="Hồ sơ đảng viên, từ lễ kết nạp.")
    citizen_id: str | None = Field(description="Số CCCD; trong danh sách che bớt.")


class CandidatePage(PageOut):
    items: list[CandidateOut]


class StepOut(Schema):
    id: int
    kind: StepKind
    kind_label: str
    on: date
    votes_for: int | None
    eligible: int | None
    passed: bool
    proposal: str
    number: str
    received_on: date | None
    note: str
    document_id: int | None


class CandidateDetail(CandidateOut):
    ethnicity: str
    religion: str | None
    hometown: str
    current_address: str
    phone: str
    general_education: str
    education_exception: str
    professional_qualification: str
    degree: str
    political_theory: str
    occupation: str
    workplace: str
    over_age_consent_number: str
    over_age_consent_on: date | None
    former_member_id: int | None
    readmission_reason: str
    helpers: list[int]
    certificate_number: str
    certificate_on: date | None
    application_on: date | None
    cv_on: date | None
    mass_comment_on: date | None
    residence_comment_on: date | None
    verified_on: date | None
    introduction: Introduction
    introduction_on: date | None
    introducer_1_id: int | None
    introducer_1_since: date | None
    introducer_2_id: int | None
    introducer_2_since: date | None
    notes: str
    steps: list[StepOut]
    next_steps: list[StepKind] = Field(description="Các bước có thể ghi tiếp.")


class CandidateIn(Schema):
    unit_id: int
    registered_on: date
    full_name: str
    gender: Gender
    birth_date: date
    citizen_id: str = ""
    ethnicity: str = "Kinh"
    religion: str = ""
    hometown: str = ""
    current_address: str = ""
    phone: str = ""
    general_education: str = ""
    education_exception: Exception_ = Exception_.NONE
    professional_qualification: str = ""
    occupation: str = ""
    workplace: str = ""
    over_age_consent_number: str = ""
    over_age_consent_on: date | None = None
    former_member_id: int | None = None
    helpers: list[int] = []
    certificate_number: str = ""
    certificate_on: date | None = None
    application_on: date | None = None
    cv_on: date | None = None
    mass_comment_on: date | None = None
    residence_comment_on: date | None = None
    verified_on: date | None = None
    introduction: Introduction = Introduction.TWO_MEMBERS
    introduction_on: date | None = None
    introducer_1_id: int | None = None
    introducer_1_since: date | None = None
    introducer_2_id: int | None = None
    introducer_2_since: date | None = None
    notes: str = ""


class StepIn(Schema):
    on: date
    votes_for: int | None = Field(None, ge=0, description="Số tán thành (với nghị quyết của chi bộ, đảng ủy).")
    committee_size: int | None = Field(None, ge=1, description="Số cấp ủy viên, khi chưa ghi ở trang Cơ quan.")
    proposal: Proposal | None = Field(None, description="Với nghị quyết chi bộ xét công nhận: công nhận hay xóa tên.")
    number: str = Field("", description="Số văn bản, số quyết định.")
    received_on: date | None = Field(None, description="Với quyết định kết nạp: ngày chi bộ nhận quyết định.")
    note: str = ""


class Filters(Schema):
    unit: int | None = Field(None, description="Chỉ trong cây con của tổ chức này.")
    stage: str = Field("", description="Một bước (mã), hoặc `dang_mo` cho mọi hồ sơ chưa kết thúc.")
    overdue: bool = Field(False, description="Chỉ hồ sơ đã quá hạn bước tiếp theo.")
    q: str = Field("", description="Tìm theo họ tên.")


def _out(c: Candidate, today: date, user=None, detail: bool = False) -> dict:
    whole = privacy.whole_fields(user, c.org_path) if detail else privacy.NOTHING
    data = {name: getattr(c, name) for name in CandidateDetail.model_fields if hasattr(c, name)}
    data.update({"unit": {"id": c.unit_id, "name": c.unit.name}, "stage_label": c.get_stage_display(),
                 "overdue": c.overdue(today), "member_id": c.member_id,
                 "citizen_id": c.citizen_id if "citizen_id" in whole else (privacy.mask_cccd(c.citizen_id) or None)})
    if detail:
        data["religion"] = c.religion if "religion" in whole else None
        data["helpers"] = [m.pk for m in c.helpers.all()]
        data["steps"] = [{**{n: getattr(s, n) for n in StepOut.model_fields if hasattr(s, n)},
                          "kind_label": s.get_kind_display()} for s in c.steps.all()]
        data["next_steps"] = services.next_steps(c)
        privacy.record_view(user, c, whole - {"relatives"}, "API")
    return data


def _candidate(request, pk: int, write: bool = False) -> Candidate:
    c = get_object_or_404(Candidate.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if write and not can(request.user, services.ACTION, c.org_path):
        raise HttpError(403, f"Bạn không có quyền ghi hồ sơ kết nạp đảng viên của “{c.unit.name}”.")
    return c


def _members(request, ids, field: str) -> list[Member]:
    ids = [i for i in ids if i is not None]
    found = list(Member.objects.visible_to(request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("Có đảng viên không tìm thấy trong phạm vi của bạn.", field=field)
    return found


@router.get("", response=CandidatePage, summary="Danh sách người được xem xét kết nạp")
def list_candidates(request, page: Query[PageParams], filters: Query[Filters]):
    """Người bạn được xem (theo cây tổ chức), xếp theo chi bộ rồi họ tên; lọc theo tổ chức, bước, quá hạn."""
    unit = None
    if filters.unit is not None:
        unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=filters.unit)
    if filters.stage and filters.stage != "dang_mo" and filters.stage not in Stage.values:
        raise HttpError(422, f"Bước “{filters.stage}” không có; dùng một trong: dang_mo, {', '.join(Stage.values)}.")
    today = timezone.localdate()
    rows = queries.filtered(request.user, unit=unit, stage=filters.stage, overdue=filters.overdue, q=filters.q,
                            today=today)
    count, items = paginate(rows, page)
    return page_body(request, page, count, [_out(c, today) for c in items])


@router.get("/{candidate_id}", response=CandidateDetail, summary="Hồ sơ một người được xem xét kết nạp")
def get_candidate(request, candidate_id: int):
    c = _candidate(request, candidate_id)
    return _out(c, timezone.localdate(), request.user, detail=True)


@router.post("", response={201: CandidateDetail}, summary="Đưa một người vào danh sách xem xét kết nạp")
def create_candidate(request, data: CandidateIn):
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=data.unit_id)
    if not can(request.user, services.ACTION, unit.path):
        raise HttpError(403, f"Bạn không có quyền ghi hồ sơ kết nạp đảng viên của “{unit.name}”.")
    fields = data.dict(exclude={"unit_id", "helpers", "former_member_id", "introducer_1_id", "introducer_2_id"})
    for name in ("former_member", "introducer_1", "introducer_2"):
        pk = getattr(data, f"{name}_id")
        fields[name] = _members(request, [pk], name)[0] if pk is not None else None
    helpers = _members(request, data.helpers, "helpers")
    c = services.register(unit, by=request.user, helpers=helpers, **fields)
    return Status(201, _out(c, timezone.localdate(), request.user, detail=True))


@router.post("/{candidate_id}/steps/{kind}", response={201: CandidateDetail},
             summary="Ghi một bước: nghị quyết, nhận hồ sơ, gia hạn, quyết định, lễ kết nạp, công nhận…")
def add_step(request, candidate_id: int, kind: StepKind, data: StepIn):
    """`kind`: chi_bo, dang_uy_co_so, nhan_ho_so, gia_han, quyet_dinh, khong_ket_nap, le_ket_nap, chi_bo_cn,
    dang_uy_co_so_cn, gia_han_cn, cong_nhan, xoa_ten, dung. Sai thứ tự, ngày trước bước trước hoặc ngày chưa
    đến, số tán thành lớn hơn số người được biểu quyết: 400 với thông báo và không ghi gì."""
    c = _candidate(request, candidate_id, write=True)
    services.do_step(c, kind, by=request.user, **data.dict())
    c.refresh_from_db()
    return Status(201, _out(c, timezone.localdate(), request.user, detail=True))
