"""Party members over the API: the list (Vietnamese order, the page's filters), the full record,
create and edit, the dated history, and import/export of spreadsheets.

Every row comes through `visible_to(request.user)`; a member or unit outside the user's subtree
answers 404. CCCD, religion and family follow `members.privacy`: the list masks the CCCD, one
member's record has them whole where the rule allows (and writes that to the audit log), masked or
left out elsewhere. Every answer here carries `Cache-Control: no-store`.
"""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from core.api import PageOut, PageParams, page_body, paginate
from core.errors import DomainErrors
from members import leaving, privacy, services
from members.choices import EventKind, Gender, LeaveReason
from members.choices import Status as MemberStatus
from members.filters import MemberFilterForm
from members.models import ImportJob, Member
from orgs.api import UnitRef
from orgs.models import OrgUnit

router = Router(tags=["Đảng viên"])
router.add_decorator(privacy.no_store, mode="view")  # every answer here is about members


# --- schemas ------------------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    full_name: str
    gender: Gender
    birth_date: date
    ethnicity: str
    status: MemberStatus
    status_label: str
    unit: UnitRef = Field(description="Chi bộ (tổ chức) đang sinh hoạt.")
    admitted_on: date | None = Field(description="Ngày vào Đảng (quyết định kết nạp).")
    recognized_on: date | None = Field(description="Ngày chính thức.")
    position: str
    party_positions: str
    citizen_id: str | None = Field(description="Số CCCD; trong danh sách luôn che bớt (4 số cuối); trong hồ sơ một "
                                               "người đầy đủ nếu vai trò của bạn được xem (có ghi nhật ký).")


class MemberPage(PageOut):
    items: list[MemberOut]


class RelativeOut(Schema):
    relation: str
    full_name: str
    birth_year: int | None
    occupation: str
    residence: str


class PartyAgeOut(Schema):
    years: int
    months: int
    text: str


class MemberDetail(MemberOut):
    birth_name: str
    alias: str
    birthplace: str
    hometown: str
    hometown_old: str
    permanent_address: str
    current_address: str
    religion: str | None
    phone: str
    email: str
    general_education: str
    professional_qualification: str
    degree: str
    academic_title: str
    political_theory: str
    state_management: str
    foreign_languages: str
    occupation: str
    workplace: str
    party_card_number: str
    admission_place: str
    over_age_consent_number: str = Field(description="Số văn bản đồng ý kết nạp người trên 60 tuổi.")
    over_age_consent_on: date | None = Field(description="Ngày văn bản đồng ý kết nạp người trên 60 tuổi.")
    managed_by: str
    notes: str
    is_excused: bool
    party_age: PartyAgeOut
    relatives: list[RelativeOut] | None = Field(description="Quan hệ gia đình; chỉ khi bạn có quyền xem.")


class ProfileIn(Schema):
    """Profile fields; on PATCH send only those that change."""

    full_name: str | None = None
    birth_name: str | None = None
    alias: str | None = None
    gender: Gender | None = None
    birth_date: date | None = None
    birthplace: str | None = None
    hometown: str | None = None
    hometown_old: str | None = None
    permanent_address: str | None = None
    current_address: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    citizen_id: str | None = None
    phone: str | None = None
    email: str | None = None
    general_education: str | None = None
    professional_qualification: str | None = None
    degree: str | None = None
    academic_title: str | None = None
    political_theory: str | None = None
    state_management: str | None = None
    foreign_languages: str | None = None
    occupation: str | None = None
    workplace: str | None = None
    position: str | None = None
    party_card_number: str | None = None
    admitted_on: date | None = None
    admission_place: str | None = None
    over_age_consent_number: str | None = Field(None, description="Số văn bản đồng ý của Ban Thường vụ Tỉnh ủy/"
                                                "Thành ủy khi kết nạp người đã quá 60 tuổi.")
    over_age_consent_on: date | None = Field(None, description="Ngày của văn bản đồng ý đó (trước ngày kết nạp).")
    recognized_on: date | None = None
    party_positions: str | None = None
    managed_by: str | None = None
    notes: str | None = None


class MemberIn(ProfileIn):
    unit_id: int
    status: MemberStatus = MemberStatus.PROBATIONARY
    full_name: str
    gender: Gender
    birth_date: date
    admitted_on: date


class EventUnitRef(Schema):
    id: int | None = Field(description="Trống nếu tổ chức ngoài phạm vi của bạn: khi đó chỉ có tên.")
    name: str


class EventOut(Schema):
    id: int
    kind: EventKind
    kind_label: str
    on: date
    unit: EventUnitRef
    status_after: MemberStatus
    decision_number: str
    note: str
    reason: str = Field("", description="Lý do ra khỏi Đảng (mã), nếu có.")


class EventIn(Schema):
    kind: EventKind
    on: date
    unit_id: int | None = Field(None, description="Chi bộ mới (chuyển sinh hoạt, chuyển đến).")
    decision_number: str = ""
    note: str = ""
    status_after: MemberStatus | None = Field(None, description="Với chuyển đến: chính thức hay dự bị.")
    reason: LeaveReason = Field(LeaveReason.NONE, description="Lý do ra khỏi Đảng: với xóa tên, khai trừ, xin ra "
                                "khỏi Đảng, hoặc với kết nạp lại khi lúc ra chưa ghi (Quy định 232-QĐ/TW, mục 3.5).")


class HistoryOut(Schema):
    party_age: PartyAgeOut
    events: list[EventOut]


class JobOut(Schema):
    id: int
    state: str
    state_label: str
    dry_run: bool
    total_rows: int
    processed_rows: int
    percent: int
    created_count: int
    updated_count: int
    unchanged_count: int
    message: str
    errors: list[dict] = Field(description="Lỗi từng dòng: row, column, value, message.")


# --- helpers ------------------------------------------------------------------------------------------


def _out(member: Member, user, detail: bool = False) -> dict:
    """A member as the API answers: lists mask, one record is whole where `members.privacy` allows
    (and is audited)."""
    whole = privacy.whole_fields(user, member.org_path) if detail else privacy.NOTHING
    data = {name: getattr(member, name) for name in MemberDetail.model_fields if hasattr(member, name)}
    data["status_label"] = member.get_status_display()
    data["unit"] = {"id": member.unit_id, "name": member.unit.name}
    if "citizen_id" not in whole:
        data["citizen_id"] = privacy.mask_cccd(member.citizen_id) or member.citizen_id
    if detail:
        age = member.party_age(timezone.localdate())
        data["party_age"] = {"years": age.years, "months": age.months, "text": str(age)}
        data["religion"] = member.religion if "religion" in whole else None
        data["relatives"] = list(member.relatives.values(*RelativeOut.model_fields)) if "relatives" in whole else None
        privacy.record_view(user, member, whole, "API")
    return data


def _visible(request, member_id: int, action: str = "view") -> Member:
    return get_object_or_404(Member.objects.visible_to(request.user, action).select_related("unit"), pk=member_id)


def _filters(request) -> MemberFilterForm:
    """The list's filters from the query string; invalid ones answer 422 like any bad parameter."""
    form = MemberFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        raise ValidationError([{"loc": ["query", name], "type": "form", "vn": " ".join(errors)}
                               for name, errors in form.errors.items()])
    return form


# --- import and export ----------------------------------------------------------------------------------


def _job(job: ImportJob) -> dict:
    data = {name: getattr(job, name) for name in JobOut.model_fields if hasattr(job, name)}
    data["state_label"] = job.get_state_display()
    return data


@router.post("/import", response={202: JobOut}, summary="Nhập đảng viên từ Excel")
def import_members(request, file: File[UploadedFile], unit: Form[int], dry_run: Form[bool] = False):
    """Tải lên tệp .xlsx hoặc .csv (UTF-8) theo mẫu; kiểm tra toàn bộ trước khi ghi (có lỗi thì không ghi gì).
    Theo dõi tiến độ và lỗi tại GET /members/import/{id}."""
    from members.tasks import start_import

    target = get_object_or_404(OrgUnit.objects.visible_to(request.user, "change"), pk=unit)
    job = start_import(file, request.user, target, dry_run=dry_run)
    return Status(202, _job(job))


# Before "/import/{job_id}": routes are matched in the order they are declared, and that one would
# take "template.xlsx" for a job id and answer 422.
@router.get("/import/template.xlsx", summary="Tải tệp mẫu nhập đảng viên")
def import_template(request):
    from members.exporter import template_xlsx

    return _file(template_xlsx(request.user), "mau-nhap-dang-vien.xlsx")


@router.get("/import/{job_id}", response=JobOut, summary="Tiến độ và kết quả một lần nhập")
def import_status(request, job_id: int):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user).filter(user=request.user), pk=job_id)
    job.errors = privacy.mask_errors(job.errors, request.user, job.org_path)  # as the page and error file
    return _job(job)


@router.get("/export.xlsx", summary="Xuất danh sách ra Excel")
def export_list_xlsx(request):
    """Cùng bộ lọc như danh sách; cột CCCD và tôn giáo chỉ có khi bạn được xem (có ghi nhật ký)."""
    form = _filters(request)
    return _file(privacy.export_xlsx(request.user, form.apply(), "API", note=request.GET.urlencode()),
                 "danh-sach-dang-vien.xlsx")


# --- list, detail, create, edit -----------------------------------------------------------------------


@router.get("", response=MemberPage, summary="Danh sách đảng viên")
def list_members(request, page: Query[PageParams], unit: int | None = None, q: str | None = None,
                 status: str | None = None):
    """Đảng viên bạn được xem, xếp theo tên kiểu Việt Nam (tên, rồi tên đệm, rồi họ).

    Mặc định chỉ người đang sinh hoạt (dự bị và chính thức); `status=tat_ca` để lấy tất cả.
    Nhận cùng các bộ lọc như trang danh sách: `gender`, `age_min`, `age_max`, `ethnicity`
    (`thieu_so` = mọi dân tộc thiểu số), `religion`, `general_education`, `political_theory`,
    `party_age_min`, `position`, `sort` (`ten`, `chi_bo`, `tuoi_dang`), `on` (YYYY-MM-DD: những người
    sinh hoạt trong phạm vi của bạn vào ngày đã qua đó, như cây tổ chức của ngày đó).
    """
    if unit is not None:
        units = OrgUnit.objects.inherited_by(request.user) if request.GET.get("on") else OrgUnit.objects.visible_to(request.user)
        get_object_or_404(units, pk=unit)
    form = _filters(request)
    count, members = paginate(form.apply().select_related("unit"), page, count=form.counted_total())
    return page_body(request, page, count, [_out(m, request.user) for m in members])


@router.get("/{member_id}", response=MemberDetail, summary="Hồ sơ một đảng viên")
def get_member(request, member_id: int):
    return _out(_visible(request, member_id), request.user, detail=True)


@router.post("", response={201: MemberDetail}, summary="Thêm đảng viên")
def create_member(request, data: MemberIn):
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=data.unit_id)
    fields = data.dict(exclude={"unit_id", "status"}, exclude_none=True)
    member = services.create_member(unit=unit, status=data.status, by=request.user, **fields)
    return Status(201, _out(member, request.user, detail=True))


def _update(request, member_id: int, changes: dict):
    member = _visible(request, member_id)
    member = services.update_member(member, changes, by=request.user)
    return _out(member, request.user, detail=True)


@router.patch("/{member_id}", response=MemberDetail, summary="Sửa một phần hồ sơ")
def patch_member(request, member_id: int, data: ProfileIn):
    return _update(request, member_id, data.dict(exclude_unset=True))


@router.put("/{member_id}", response=MemberDetail, summary="Thay toàn bộ hồ sơ")
def put_member(request, member_id: int, data: MemberIn):
    """Mọi trường hồ sơ; trường bỏ trống được xóa. Chi bộ và trạng thái chỉ đổi qua sự kiện."""
    changes = {name: getattr(data, name) for name in ProfileIn.model_fields}
    changes = {k: ("" if v is None and k not in ("citizen_id", "recognized_on", "over_age_consent_on") else v)
               for k, v in changes.items()}
    return _update(request, member_id, changes)


# --- history --------------------------------------------------------------------------------------------


@router.get("/{member_id}/history", response=HistoryOut, summary="Quá trình sinh hoạt đảng")
def member_history(request, member_id: int):
    member = _visible(request, member_id)
    age = member.party_age(timezone.localdate())
    events = list(member.events.select_related("unit").order_by("on", "id"))
    # Where the member was belongs to their history: a unit outside the user's reach is named, with
    # no id to open it by (as on the member's page).
    reachable = set(OrgUnit.objects.inherited_by(request.user).filter(pk__in={e.unit_id for e in events})
                    .values_list("pk", flat=True))
    return {
        "party_age": {"years": age.years, "months": age.months, "text": str(age)},
        "events": [{"id": e.pk, "kind": e.kind, "kind_label": e.get_kind_display(), "on": e.on,
                    "unit": {"id": e.unit_id if e.unit_id in reachable else None, "name": e.unit.name},
                    "status_after": e.status_after,
                    "decision_number": e.decision_number, "note": e.note, "reason": e.reason} for e in events],
    }


@router.post("/{member_id}/events", response={201: EventOut}, summary="Ghi một sự kiện")
def add_event(request, member_id: int, data: EventIn):
    member = _visible(request, member_id)
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=data.unit_id) if data.unit_id else None
    DomainErrors.raise_any(leaving.decision_problems(data.kind, data.decision_number))
    e = services.record_event(member, data.kind, on=data.on, unit=unit, by=request.user,
                              decision_number=data.decision_number, note=data.note,
                              status_after=data.status_after or "", reason=data.reason)
    return Status(201, {"id": e.pk, "kind": e.kind, "kind_label": e.get_kind_display(), "on": e.on,
                        "unit": {"id": e.unit_id, "name": e.unit.name}, "status_after": e.status_after,
                        "decision_number": e.decision_number, "note": e.note, "reason": e.reason})


def _file(content: bytes, filename: str) -> HttpResponse:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
