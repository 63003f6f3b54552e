"""Bodies, posts, terms and congresses over the API. Every row comes through `visible_to`: a unit outside
the caller's subtree answers 404 like an unknown one; writing needs the "manage_bodies" right (403)."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from bodies import congresses, services
from bodies.models import Body, Congress, Post, Term
from bodies.rules import BodyKind, How, Title
from core.api import PageOut, PageParams, page_body, paginate
from core.errors import DomainError
from core.scoping import can
from members.models import Member
from orgs.models import OrgUnit

router = Router(tags=["Cơ quan, nhiệm kỳ, đại hội"])


class PostOut(Schema):
    id: int
    body_id: int
    member_id: int
    member_name: str
    title: Title
    how: How
    from_: date = Field(alias="from")
    to: date | None
    decision: str


class BodyOut(Schema):
    id: int
    unit_id: int
    kind: BodyKind
    name: str
    symbol: str
    size: int | None
    valid_from: date
    valid_to: date | None
    posts: list[PostOut] = Field(description="Các chức vụ đang giữ hôm nay.")


class BodyPage(PageOut):
    items: list[BodyOut]


class TermOut(Schema):
    id: int
    unit_id: int
    label: str
    starts_on: date
    ends_on: date | None
    expected_end: date = Field(description="Hết nhiệm kỳ theo độ dài cấu hình cho loại tổ chức (khi chưa có đại hội sau).")


class TermPage(PageOut):
    items: list[TermOut]


class CongressOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    term: str
    planned_on: date | None
    held_from: date | None
    held_to: date | None
    delegates_summoned: int | None
    delegates_present: int | None
    delegates_up: list[int]


class CongressPage(PageOut):
    items: list[CongressOut]


class PostIn(Schema):
    body: int
    member: int
    title: Title
    how: How = How.ELECTED
    from_: date = Field(alias="from")
    to: date | None = None
    decision: str = ""


class CongressIn(Schema):
    term: str = Field(description="Nhiệm kỳ mà đại hội mở ra, ví dụ 2025–2030.")
    planned_on: date | None = None
    held_from: date | None = None
    held_to: date | None = None
    delegates_summoned: int | None = Field(None, ge=0)
    delegates_present: int | None = Field(None, ge=0)
    delegates_up: list[int] = []


class BodyIn(Schema):
    kind: BodyKind
    name: str
    symbol: str = ""
    size: int | None = Field(None, ge=1)
    valid_from: date


class TermIn(Schema):
    label: str = Field(description="Ví dụ 2020–2025.")
    starts_on: date
    ends_on: date | None = None


def _unit(request, unit_id: int, write: bool = False) -> OrgUnit:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    if write and not can(request.user, services.ACTION, unit.path):
        raise HttpError(403, f"Bạn không có quyền ghi cơ quan, chức vụ, đại hội của “{unit.name}”.")
    return unit


def _post(p: Post) -> dict:
    return {"id": p.pk, "body_id": p.body_id, "member_id": p.member_id, "member_name": p.member.full_name,
            "title": p.title, "how": p.how, "from": p.from_on, "to": p.to_on, "decision": p.decision}


def _congress(c: Congress) -> dict:
    return {"id": c.pk, "unit_id": c.unit_id, "unit_name": c.unit.name, "term": c.term_label,
            "planned_on": c.planned_on, "held_from": c.held_from, "held_to": c.held_to,
            "delegates_summoned": c.delegates_summoned, "delegates_present": c.delegates_present,
            "delegates_up": [m.pk for m in c.delegates_up.all()]}


@router.get("/orgs/{unit_id}/bodies", response=BodyPage, by_alias=True, summary="Các cơ quan của một tổ chức")
def list_bodies(request, unit_id: int, page: Query[PageParams]):
    unit = _unit(request, unit_id)
    count, bodies = paginate(Body.objects.filter(unit=unit).order_by("valid_from", "kind", "id"), page)
    current = Post.objects.filter(body__in=bodies).open_on(timezone.localdate()).select_related("member")
    by_body = {}
    for p in current.order_by("from_on", "id"):
        by_body.setdefault(p.body_id, []).append(_post(p))
    items = [{"id": b.pk, "unit_id": b.unit_id, "kind": b.kind, "name": b.name, "symbol": b.symbol, "size": b.size,
              "valid_from": b.valid_from, "valid_to": b.valid_to, "posts": by_body.get(b.pk, [])} for b in bodies]
    return page_body(request, page, count, items)


@router.post("/orgs/{unit_id}/bodies", response={201: BodyOut}, by_alias=True, summary="Lập một cơ quan")
def create_body(request, unit_id: int, data: BodyIn):
    unit = _unit(request, unit_id, write=True)
    body = services.create_body(unit, kind=data.kind, name=data.name, symbol=data.symbol, size=data.size,
                                valid_from=data.valid_from, by=request.user)
    return Status(201, {"id": body.pk, "unit_id": unit.pk, "kind": body.kind, "name": body.name, "symbol": body.symbol,
                        "size": body.size, "valid_from": body.valid_from, "valid_to": body.valid_to, "posts": []})


@router.post("/orgs/{unit_id}/terms", response={201: TermOut}, summary="Ghi một nhiệm kỳ (không qua đại hội)")
def create_term(request, unit_id: int, data: TermIn):
    unit = _unit(request, unit_id, write=True)
    return Status(201, congresses.create_term(unit, label=data.label, starts_on=data.starts_on, ends_on=data.ends_on,
                                              by=request.user))


@router.get("/orgs/{unit_id}/terms", response=TermPage, summary="Các nhiệm kỳ của một tổ chức")
def list_terms(request, unit_id: int, page: Query[PageParams]):
    unit = _unit(request, unit_id)
    count, terms = paginate(Term.objects.filter(unit=unit).select_related("unit").order_by("starts_on"), page)
    return page_body(request, page, count, terms)


@router.post("/orgs/{unit_id}/posts", response={201: PostOut}, by_alias=True, summary="Ghi một chức vụ")
def create_post(request, unit_id: int, data: PostIn):
    unit = _unit(request, unit_id, write=True)
    body = Body.objects.visible_to(request.user).select_related("unit").filter(pk=data.body).first()
    if body is None:
        raise DomainError(f"Không tìm thấy cơ quan số {data.body} trong phạm vi của bạn.", field="body")
    member = Member.objects.visible_to(request.user).filter(pk=data.member).first()
    if member is None:
        raise DomainError(f"Không tìm thấy đảng viên số {data.member} trong phạm vi của bạn.", field="member")
    post = services.add_post(body, member, title=data.title, how=data.how, from_on=data.from_, to_on=data.to,
                             decision=data.decision, unit=unit, by=request.user)
    return Status(201, _post(post))


class CongressFilters(Schema):
    unit: int | None = Field(None, description="Các đại hội trong cây con của tổ chức này.")
    term: str | None = Field(None, description="Nhiệm kỳ, ví dụ 2025–2030 (dấu - cũng được).")


@router.get("/congresses", response=CongressPage, summary="Các đại hội")
def list_congresses(request, filters: Query[CongressFilters], page: Query[PageParams]):
    rows = Congress.objects.visible_to(request.user).select_related("unit").prefetch_related("delegates_up")
    if filters.unit is not None:
        rows = rows.filter(unit__path__startswith=_unit(request, filters.unit).path)
    if filters.term:
        rows = rows.filter(term_label=filters.term.strip().replace("-", "–"))
    count, items = paginate(rows.order_by("unit__path", "term_label"), page)
    return page_body(request, page, count, [_congress(c) for c in items])


class ProgressOut(Schema):
    term: str
    held: list[dict]
    not_held: list[dict]


@router.get("/congresses/progress", response=ProgressOut, summary="Tổ chức đã và chưa đại hội")
def congress_progress(request, unit: int | None = None, term: str = "2025–2030", kind: str | None = None):
    """Trong cây con của `unit` (mặc định: tổ chức cao nhất bạn được xem), các tổ chức đã và chưa họp đại hội
    nhiệm kỳ `term`; `kind` chỉ lấy một loại tổ chức (ví dụ `xa`, `chi_bo`). Không có `kind`: mọi loại trừ chi bộ."""
    top = OrgUnit.objects.tops_for(request.user).order_by("path").first()
    root = _unit(request, unit if unit is not None else (top.pk if top else 0))
    label = term.strip().replace("-", "–")
    units = OrgUnit.objects.visible_to(request.user).subtree(root)
    done = congresses.progress(units, label, kinds=[kind] if kind else None)

    def row(u, c):
        return {"unit_id": u.pk, "name": u.name, "kind": u.kind,
                "held_to": c.held_to if c else None, "planned_on": c.planned_on if c else None}

    return {"term": label, "held": [row(*x) for x in done.held], "not_held": [row(*x) for x in done.not_held]}


@router.post("/orgs/{unit_id}/congresses", response={201: CongressOut}, summary="Dự kiến hoặc ghi đại hội")
def create_congress(request, unit_id: int, data: CongressIn):
    unit = _unit(request, unit_id, write=True)
    delegates = list(Member.objects.visible_to(request.user).filter(pk__in=data.delegates_up))
    if len(delegates) != len(set(data.delegates_up)):
        raise DomainError("Có đại biểu dự đại hội cấp trên không tìm thấy trong phạm vi của bạn.", field="delegates_up")
    congress = congresses.save_congress(unit, term_label=data.term, planned_on=data.planned_on,
                                        held_from=data.held_from, held_to=data.held_to,
                                        delegates_summoned=data.delegates_summoned,
                                        delegates_present=data.delegates_present, delegates_up=delegates,
                                        by=request.user)
    return Status(201, _congress(congress))
