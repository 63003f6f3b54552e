"""Transfers over the API. A transfer is seen by the officers of both units (`visible_to` on both paths): one
outside both subtrees answers 404 like an unknown one. Each step needs the `change` right on its side
(the sending unit starts and cancels, the receiving unit presents, accepts and refuses): 403 without it."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api import PageOut, PageParams, page_body, paginate
from core.scoping import can
from members.models import Member
from orgs.models import OrgUnit
from transfers import services
from transfers.models import Kind, Purpose, Transfer
from transfers.models import Status as Step

router = Router(tags=["Chuyển sinh hoạt đảng"])


class TransferOut(Schema):
    id: int
    member_id: int
    member_name: str
    kind: Kind
    purpose: Purpose
    status: Step
    from_unit_id: int
    from_unit_name: str
    to_unit_id: int | None
    to_name: str = Field(description="Tên tổ chức nơi đến (trong hoặc ngoài hệ thống).")
    reason_on: date
    decision_number: str
    started_on: date
    present_due: date = Field(description="Hạn nộp giấy giới thiệu: 30 ngày làm việc sau ngày giới thiệu.")
    present_overdue: bool
    presented_on: date | None
    late_reason: str
    accepted_on: date | None
    temp_from: date | None
    temp_until: date | None
    returned_on: date | None
    closed_on: date | None
    closed_reason: str
    letter_symbol: str


class TransferPage(PageOut):
    items: list[TransferOut]


class Filters(Schema):
    direction: str | None = Field(None, description="`di` (chuyển đi từ phạm vi của bạn) hoặc `den` (chuyển đến).")
    status: Step | None = None
    kind: Kind | None = None
    open: bool | None = Field(None, description="true: chỉ các việc chưa xong.")


class StartIn(Schema):
    member: int
    kind: Kind
    purpose: Purpose
    to_unit: int | None = Field(None, description="Tổ chức nơi đến trong hệ thống (chi bộ hoặc đảng ủy).")
    to_outside: str = Field("", description="Tên tổ chức đảng nơi đến ngoài hệ thống (khi không có to_unit).")
    reason_on: date = Field(description="Ngày quyết định có hiệu lực hoặc ngày chuyển nơi ở.")
    started_on: date = Field(description="Ngày giới thiệu (ngày của giấy giới thiệu).")
    decision_number: str = ""
    temp_from: date | None = None
    temp_until: date | None = None
    note: str = ""


class PresentIn(Schema):
    on: date
    late_reason: str = ""


class AcceptIn(Schema):
    on: date
    unit: int | None = Field(None, description="Chi bộ nơi đảng viên sinh hoạt (khi giấy gửi đến một đảng ủy).")
    late_reason: str = ""


class CloseIn(Schema):
    on: date
    reason: str


def _out(t: Transfer, today: date | None = None) -> dict:
    from django.utils import timezone

    today = today or timezone.localdate()
    return {"id": t.pk, "member_id": t.member_id, "member_name": t.member.full_name, "kind": t.kind,
            "purpose": t.purpose, "status": t.status, "from_unit_id": t.from_unit_id, "from_unit_name": t.from_unit.name,
            "to_unit_id": t.to_unit_id, "to_name": t.destination, "reason_on": t.reason_on,
            "decision_number": t.decision_number, "started_on": t.started_on, "present_due": t.present_due,
            "present_overdue": t.present_overdue(today), "presented_on": t.presented_on, "late_reason": t.late_reason,
            "accepted_on": t.accepted_on, "temp_from": t.temp_from, "temp_until": t.temp_until,
            "returned_on": t.returned_on, "closed_on": t.closed_on, "closed_reason": t.closed_reason,
            "letter_symbol": t.letter_symbol}


def _rows(request):
    return Transfer.objects.visible_to(request.user).select_related("member", "from_unit", "to_unit")


def _transfer(request, pk: int) -> Transfer:
    return get_object_or_404(_rows(request), pk=pk)


def _side(request, unit: OrgUnit) -> None:
    if not can(request.user, services.ACTION, unit.path):
        raise HttpError(403, f"Bạn không có quyền ghi việc chuyển sinh hoạt của “{unit.name}”.")


@router.get("", response=TransferPage, summary="Các việc chuyển sinh hoạt đảng")
def list_transfers(request, filters: Query[Filters], page: Query[PageParams]):
    rows = _rows(request)
    rows = rows.direction(request.user, filters.direction or "")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.open:
        rows = rows.open()
    count, items = paginate(rows.order_by("-started_on", "-id"), page)
    return page_body(request, page, count, [_out(t) for t in items])


@router.get("/{transfer_id}", response=TransferOut, summary="Một việc chuyển sinh hoạt")
def get_transfer(request, transfer_id: int):
    return _out(_transfer(request, transfer_id))


@router.post("", response={201: TransferOut}, summary="Bắt đầu chuyển sinh hoạt (cấp giấy giới thiệu)")
def start_transfer(request, data: StartIn):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("unit"), pk=data.member)
    _side(request, member.unit)
    to_unit = None
    if data.to_unit is not None:
        # Any open unit of the system may receive; only its name is shown to the sender.
        to_unit = get_object_or_404(OrgUnit.objects.all(), pk=data.to_unit)
    t = services.start(member, kind=data.kind, purpose=data.purpose, to_unit=to_unit, to_outside=data.to_outside,
                       reason_on=data.reason_on, started_on=data.started_on, decision_number=data.decision_number,
                       temp_from=data.temp_from, temp_until=data.temp_until, note=data.note, by=request.user)
    return Status(201, _out(_transfer(request, t.pk)))


@router.post("/{transfer_id}/present", response=TransferOut, summary="Ghi ngày nộp giấy giới thiệu")
def present(request, transfer_id: int, data: PresentIn):
    t = _transfer(request, transfer_id)
    _side(request, services._receiver_side(t))
    services.present(t, on=data.on, late_reason=data.late_reason, by=request.user)
    return _out(_transfer(request, t.pk))


@router.post("/{transfer_id}/accept", response=TransferOut, summary="Tiếp nhận đảng viên")
def accept(request, transfer_id: int, data: AcceptIn):
    t = _transfer(request, transfer_id)
    _side(request, services._receiver_side(t))
    unit = None
    if data.unit is not None:
        unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=data.unit)
    services.accept(t, on=data.on, unit=unit, late_reason=data.late_reason, by=request.user)
    return _out(_transfer(request, t.pk))


@router.post("/{transfer_id}/refuse", response=TransferOut, summary="Không tiếp nhận")
def refuse(request, transfer_id: int, data: CloseIn):
    t = _transfer(request, transfer_id)
    _side(request, services._receiver_side(t))
    services.refuse(t, on=data.on, reason=data.reason, by=request.user)
    return _out(_transfer(request, t.pk))


@router.post("/{transfer_id}/cancel", response=TransferOut, summary="Hủy việc chuyển sinh hoạt")
def cancel(request, transfer_id: int, data: CloseIn):
    t = _transfer(request, transfer_id)
    _side(request, t.from_unit)
    services.cancel(t, on=data.on, reason=data.reason, by=request.user)
    return _out(_transfer(request, t.pk))


@router.post("/{transfer_id}/return", response=TransferOut, summary="Ghi ngày trở về (tạm thời)")
def record_return(request, transfer_id: int, data: PresentIn):
    t = _transfer(request, transfer_id)
    _side(request, t.from_unit)
    services.record_return(t, on=data.on, by=request.user)
    return _out(_transfer(request, t.pk))
