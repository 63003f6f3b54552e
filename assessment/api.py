"""Classification over the API. Every row comes through `visible_to`: a unit, round or rating outside the
caller's subtree answers 404 like an unknown one; writing needs the "change" right (403)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from assessment import results, services
from assessment.checks import ACTION
from assessment.models import Rating, Round
from assessment.rules import LABELS, Level, Subject
from bodies.models import Body
from core.api import PageOut, PageParams, page_body, paginate
from core.errors import DomainError
from core.scoping import can
from core.tree import subtree_q
from members.models import Member
from orgs.models import OrgUnit

router = Router(tags=["Đánh giá, xếp loại chất lượng"])


class LevelOut(Schema):
    level: str
    label: str
    count: int
    percent: float


class SummaryOut(Schema):
    total: int
    levels: list[LevelOut]


class RoundOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    year: int
    subject: Subject
    title: str
    self_due: date | None
    proposal_due: date | None
    decision_due: date | None
    published_on: date | None
    ratings: int


class RoundPage(PageOut):
    items: list[RoundOut]


class RatingOut(Schema):
    id: int
    round_id: int
    member_id: int | None
    unit_id: int | None
    subject_name: str
    subject_unit_id: int
    self_score: Decimal | None
    self_level: str
    proposed_level: str
    proposed_score: Decimal | None
    decided_level: str
    result: str
    result_label: str
    body_id: int | None
    decided_on: date | None
    reason: str
    published: bool


class RatingPage(PageOut):
    items: list[RatingOut]


class RoundIn(Schema):
    unit: int
    year: int
    subject: Subject
    title: str = ""
    self_due: date | None = None
    proposal_due: date | None = None
    decision_due: date | None = None


class SelfIn(Schema):
    member: int | None = Field(None, description="Đảng viên (đợt đánh giá đảng viên).")
    unit: int | None = Field(None, description="Tổ chức đảng (đợt đánh giá tổ chức).")
    score: Decimal = Field(description="Thang 100 điểm.")
    level: Level
    text: str = ""
    reason: str = Field("", description="Bắt buộc khi mức khác khung điểm.")
    on: date | None = None


class ProposalIn(Schema):
    level: Level
    score: Decimal | None = None
    note: str = ""
    reason: str = ""
    on: date | None = None


class DecisionIn(Schema):
    level: Level
    body: int
    on: date
    score: Decimal | None = None
    reason: str = ""
    disqualifiers: list[str] = []


def _unit(request, unit_id: int) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)


def _round(request, round_id: int, write: bool = False) -> Round:
    round_ = get_object_or_404(Round.objects.visible_to(request.user).select_related("unit"), pk=round_id)
    if write and not can(request.user, ACTION, round_.unit.path):
        raise HttpError(403, f"Bạn không có quyền ghi kết quả đánh giá, xếp loại của “{round_.unit.name}”.")
    return round_


def _rating(request, rating_id: int) -> Rating:
    rating = get_object_or_404(Rating.objects.visible_to(request.user).select_related(
        "member", "unit", "subject_unit", "round"), pk=rating_id)
    return rating


def _round_out(r: Round, n: int | None = None) -> dict:
    return {"id": r.pk, "unit_id": r.unit_id, "unit_name": r.unit.name, "year": r.year, "subject": r.subject,
            "title": str(r), "self_due": r.self_due, "proposal_due": r.proposal_due, "decision_due": r.decision_due,
            "published_on": r.published_on, "ratings": n if n is not None else r.ratings.count()}


def _rating_out(r: Rating) -> dict:
    return {"id": r.pk, "round_id": r.round_id, "member_id": r.member_id, "unit_id": r.unit_id,
            "subject_name": r.subject_name, "subject_unit_id": r.subject_unit_id, "self_score": r.self_score,
            "self_level": r.self_level, "proposed_level": r.proposed_level, "proposed_score": r.proposed_score,
            "decided_level": r.decided_level, "result": r.result, "result_label": LABELS.get(r.result, ""),
            "body_id": r.body_id, "decided_on": r.decided_on, "reason": r.reason, "published": r.published}


@router.get("/summary", response=SummaryOut, summary="Phân bố xếp loại của một tổ chức (cả cây con) trong một năm")
def summary(request, unit: int | None = None, year: int | None = None, subject: Subject = Subject.MEMBERS):
    """Số lượng và tỷ lệ theo từng mức của cả cây con `unit` (mặc định: tổ chức cao nhất bạn được xem) năm `year`
    (mặc định: năm trước); các tỷ lệ làm tròn 2 chữ số theo phần dư lớn nhất, cộng lại đúng 100."""
    if unit is None:
        top = OrgUnit.objects.tops_for(request.user).order_by("path").first()
        unit = top.pk if top else 0
    year = year if year is not None else timezone.localdate().year - 1
    return results.distribution(_unit(request, unit), request.user, year, subject).as_dict()


class RoundFilters(Schema):
    unit: int | None = Field(None, description="Các đợt của tổ chức này và cây con của nó.")
    year: int | None = None
    subject: Subject | None = None


@router.get("/rounds", response=RoundPage, summary="Các đợt đánh giá, xếp loại")
def list_rounds(request, filters: Query[RoundFilters], page: Query[PageParams]):
    rows = Round.objects.visible_to(request.user).select_related("unit").annotate(n=Count("ratings"))
    if filters.unit is not None:
        rows = rows.filter(subtree_q("unit__path", _unit(request, filters.unit).path))
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    if filters.subject is not None:
        rows = rows.filter(subject=filters.subject)
    count, items = paginate(rows.order_by("-year", "unit__path", "subject", "id"), page)
    return page_body(request, page, count, [_round_out(r, r.n) for r in items])


@router.post("/rounds", response={201: RoundOut}, summary="Mở một đợt đánh giá")
def create_round(request, data: RoundIn):
    unit = _unit(request, data.unit)
    if not can(request.user, ACTION, unit.path):
        raise HttpError(403, f"Bạn không có quyền mở đợt đánh giá của “{unit.name}”.")
    round_ = services.create_round(unit, year=data.year, subject=data.subject, title=data.title,
                                   self_due=data.self_due, proposal_due=data.proposal_due,
                                   decision_due=data.decision_due, by=request.user)
    return Status(201, _round_out(round_, 0))


@router.get("/rounds/{round_id}", response=RoundOut, summary="Một đợt đánh giá")
def get_round(request, round_id: int):
    return _round_out(_round(request, round_id))


@router.get("/rounds/{round_id}/ratings", response=RatingPage, summary="Các phiếu của một đợt")
def list_ratings(request, round_id: int, page: Query[PageParams]):
    round_ = _round(request, round_id)
    rows = (Rating.objects.visible_to(request.user).filter(round=round_)
            .select_related("member", "unit").order_by("subject_unit__path", "id"))
    count, items = paginate(rows, page)
    return page_body(request, page, count, [_rating_out(r) for r in items])


@router.post("/rounds/{round_id}/ratings", response={201: RatingOut}, summary="Tự đánh giá (mở phiếu)")
def self_assess(request, round_id: int, data: SelfIn):
    round_ = _round(request, round_id, write=True)
    member = unit = None
    if data.member is not None:
        member = Member.objects.visible_to(request.user).filter(pk=data.member).first()
        if member is None:
            raise DomainError(f"Không tìm thấy đảng viên số {data.member} trong phạm vi của bạn.", field="member")
    if data.unit is not None:
        unit = OrgUnit.objects.visible_to(request.user).filter(pk=data.unit).first()
        if unit is None:
            raise DomainError(f"Không tìm thấy tổ chức số {data.unit} trong phạm vi của bạn.", field="unit")
    rating = services.self_assess(round_, member=member, unit=unit, score=data.score, level=data.level,
                                  text=data.text, reason=data.reason, on=data.on, by=request.user)
    return Status(201, _rating_out(rating))


@router.post("/ratings/{rating_id}/proposal", response=RatingOut, summary="Chi bộ / tập thể đề xuất mức")
def propose(request, rating_id: int, data: ProposalIn):
    rating = _rating(request, rating_id)
    if not can(request.user, ACTION, rating.subject_unit.path):
        raise HttpError(403, "Bạn không có quyền ghi đề xuất xếp loại này.")
    return _rating_out(services.propose(rating, level=data.level, score=data.score, note=data.note,
                                        reason=data.reason, on=data.on, by=request.user))


@router.post("/ratings/{rating_id}/decision", response=RatingOut, summary="Cấp có thẩm quyền quyết định mức")
def decide(request, rating_id: int, data: DecisionIn):
    rating = _rating(request, rating_id)
    body = Body.objects.visible_to(request.user).filter(pk=data.body).first()
    if body is None:
        raise DomainError(f"Không tìm thấy cơ quan số {data.body} trong phạm vi của bạn.", field="body")
    if not can(request.user, ACTION, body.unit.path):
        raise HttpError(403, f"Bạn không có quyền quyết định thay “{body.name}”.")
    return _rating_out(services.decide(rating, level=data.level, body=body, on=data.on, score=data.score,
                                       reason=data.reason, disqualifiers=data.disqualifiers, by=request.user))


@router.post("/rounds/{round_id}/publish", response=RoundOut, summary="Công bố kết quả một đợt")
def publish(request, round_id: int):
    round_ = _round(request, round_id, write=True)
    return _round_out(services.publish(round_, by=request.user))
