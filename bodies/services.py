"""Writes to bodies, posts, terms and congresses: guard -> atomic change -> audit -> (nothing after commit).

Every refusal is a DomainError with a Vietnamese message naming what is wrong and how to fix it;
nothing is written then. `by` may be None only for the demo load and tests.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import record
from bodies import rules
from bodies.models import Body, Congress, Post, StandingManaged
from bodies.rules import SINGLE_TITLES, TITLES_BY_BODY, BodyKind, How, Title
from core.errors import DomainError
from core.scoping import can
from core.text import vn_date
from members.models import Member, MemberPeriod
from orgs.models import OrgUnit

ACTION = "manage_bodies"


def _allowed(by, unit: OrgUnit) -> None:
    if by is not None and not can(by, ACTION, unit.path):
        raise DomainError(f"Bạn không có quyền ghi cơ quan, chức vụ, đại hội của “{unit.name}”.")


def _not_future(day: date | None, what: str, field: str) -> None:
    if day and day > timezone.localdate():
        raise DomainError(f"{what} {vn_date(day)} chưa đến; chỉ ghi việc đã diễn ra.", field=field)


@transaction.atomic
def create_body(unit: OrgUnit, *, kind: str, name: str, valid_from: date, by, symbol: str = "",
                size: int | None = None, valid_to: date | None = None) -> Body:
    _allowed(by, unit)
    if kind not in rules.body_kinds(unit.kind):
        raise DomainError(f"“{unit.get_kind_display()}” không có cơ quan loại “{BodyKind(kind).label}”.", field="kind")
    if valid_from < unit.valid_from:
        raise DomainError(f"Cơ quan không thể có trước tổ chức: “{unit.name}” hoạt động từ {vn_date(unit.valid_from)}.",
                          field="valid_from")
    if valid_to and valid_to < valid_from:
        raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="valid_to")
    body = Body.objects.create(unit=unit, kind=kind, name=name.strip(), size=size,
                               symbol=symbol.strip() or rules.default_symbol(kind, unit),
                               valid_from=valid_from, valid_to=valid_to or unit.valid_to)
    record("bodies.body.created", actor=by, obj=body, unit_path=unit.path, unit_name=unit.name,
           after={"kind": kind, "name": body.name, "symbol": body.symbol, "size": size,
                  "valid_from": valid_from.isoformat()})
    return body


def _was_member(member: Member, unit: OrgUnit, on: date) -> bool:
    """Whether `member` was an active member somewhere in `unit`'s subtree on `on` (their periods)."""
    return MemberPeriod.objects.filter(member=member, unit__path__startswith=unit.path).on(on).exists()


def check_post(body: Body, member: Member, title: str, from_on: date, to_on: date | None,
               unit: OrgUnit | None = None, exclude: int | None = None) -> None:
    """Every rule a post must keep (raises the first broken one)."""
    if unit is not None and body.unit_id != unit.pk:
        raise DomainError(f"“{body.name}” là cơ quan của “{body.unit.name}”, không phải của “{unit.name}”; "
                          "hãy chọn cơ quan của chính tổ chức này.", field="body")
    if title not in TITLES_BY_BODY[body.kind]:
        allowed = ", ".join(Title(t).label for t in TITLES_BY_BODY[body.kind])
        raise DomainError(f"“{body.name}” không có chức vụ “{Title(title).label}”; chọn một trong: {allowed}.",
                          field="title")
    if to_on is not None and to_on < from_on:
        raise DomainError(f"Ngày thôi giữ chức ({vn_date(to_on)}) trước ngày bắt đầu ({vn_date(from_on)}).",
                          field="to_on")
    _not_future(from_on, "Ngày bắt đầu", "from_on")
    if not body.is_open_on(from_on):
        span = f"{vn_date(body.valid_from)}–{vn_date(body.valid_to) if body.valid_to else 'nay'}"
        raise DomainError(f"“{body.name}” không hoạt động ngày {vn_date(from_on)} (hoạt động {span}).", field="from_on")
    if not _was_member(member, body.unit, from_on):
        raise DomainError(f"Ngày {vn_date(from_on)}, {member.full_name} không phải đảng viên đang sinh hoạt trong "
                          f"“{body.unit.name}”; chỉ đảng viên của tổ chức mới giữ chức vụ trong cơ quan của nó.",
                          field="member")
    others = Post.objects.filter(body=body).overlapping(from_on, to_on).exclude(pk=exclude)
    if others.filter(member=member).exists():
        raise DomainError(f"{member.full_name} đã có chức vụ trong “{body.name}” trong khoảng thời gian này; "
                          "hãy ghi ngày thôi giữ chức vụ cũ trước.", field="member")
    if title in SINGLE_TITLES:
        holder = others.filter(title=title).select_related("member").first()
        if holder:
            raise DomainError(f"“{body.name}” đã có {Title(title).label.lower()} {holder.member.full_name} từ "
                              f"{vn_date(holder.from_on)}; một cơ quan chỉ có một {Title(title).label.lower()} "
                              "trong cùng một ngày. Hãy ghi ngày thôi giữ chức của người trước.", field="title")
    if body.size is not None:
        taken = others.values("member").distinct().count()
        if taken >= body.size:
            raise DomainError(f"“{body.name}” chỉ có {body.size} thành viên và đã đủ ({taken}) trong khoảng thời gian "
                              "này; hãy ghi ngày thôi giữ chức của người trước hoặc sửa số thành viên.", field="member")


@transaction.atomic
def add_post(body: Body, member: Member, *, title: str, from_on: date, by, how: str = How.ELECTED,
             to_on: date | None = None, decision: str = "", unit: OrgUnit | None = None,
             congress: Congress | None = None) -> Post:
    _allowed(by, body.unit)
    body = Body.objects.select_for_update().select_related("unit").get(pk=body.pk)  # one writer per body
    check_post(body, member, title, from_on, to_on, unit=unit)
    if congress is None and how == How.ELECTED:
        congress = electing_congress(body, from_on)
    post = Post.objects.create(body=body, member=member, title=title, how=how, from_on=from_on, to_on=to_on,
                               decision=decision.strip(), congress=congress)
    record("bodies.post.created", actor=by, obj=post, unit_path=body.unit.path, unit_name=body.unit.name,
           after=post.snapshot(), mentions=[(member, member.org_path)])
    sync_positions(member)
    return post


def electing_congress(body: Body, from_on: date) -> Congress | None:
    """The congress whose results an elected post is: the body's organization's congress that closed the day
    before the post begins (or that day, when the first meeting is held during the congress, rules.md §6)."""
    return (Congress.objects.filter(unit=body.unit_id, held_to__in=[from_on, from_on - timedelta(days=1)])
            .order_by("-held_to").first())


@transaction.atomic
def end_post(post: Post, *, to_on: date, by, decision: str = "") -> Post:
    _allowed(by, post.body.unit)
    if post.to_on is not None:
        raise DomainError(f"Chức vụ này đã kết thúc ngày {vn_date(post.to_on)}.", field="to_on")
    if to_on < post.from_on:
        raise DomainError(f"Ngày thôi giữ chức ({vn_date(to_on)}) trước ngày bắt đầu ({vn_date(post.from_on)}).",
                          field="to_on")
    before = post.snapshot()
    post.to_on = to_on
    if decision:
        post.decision = f"{post.decision}; {decision}".strip("; ")
    post.save(update_fields=["to_on", "decision"])
    record("bodies.post.ended", actor=by, obj=post, unit_path=post.body.unit.path, unit_name=post.body.unit.name,
           before=before, after=post.snapshot(), mentions=[(post.member, post.member.org_path)])
    sync_positions(post.member)
    return post


def positions_text(member: Member, on: date | None = None) -> str:
    """“Bí thư Chi ủy …; Ủy viên Ban Thường vụ …”: the member's posts held on `on` (today)."""
    on = on or timezone.localdate()
    posts = Post.objects.filter(member=member).open_on(on).select_related("body").order_by("from_on", "id")
    return "; ".join(f"{p.get_title_display()} {p.body.name}" for p in posts)


def sync_positions(member: Member) -> None:
    """Fill the free-text “chức vụ Đảng” from the posts held today. With none held, a text written from the
    posts is cleared; any other old text is kept (it cannot be matched to a post: the data-quality page lists
    it)."""
    text = positions_text(member)[:255]
    if not text:
        ours = {f"{p.get_title_display()} {p.body.name}" for p in Post.objects.filter(member=member).select_related("body")}
        if not member.party_positions or not set(member.party_positions.split("; ")) <= ours:
            return
    if text != member.party_positions:
        Member.objects.filter(pk=member.pk).update(party_positions=text)
        member.party_positions = text


@transaction.atomic
def mark_managed(member: Member, body: Body, *, from_on: date, by, to_on: date | None = None) -> StandingManaged:
    """Mark a member “do Ban Thường vụ quản lý” by `body` (a standing committee) from `from_on`."""
    _allowed(by, body.unit)
    if body.kind != BodyKind.STANDING:
        raise DomainError(f"“{body.name}” không phải Ban Thường vụ.", field="body")
    if not _was_member(member, body.unit, from_on):
        raise DomainError(f"Ngày {vn_date(from_on)}, {member.full_name} không phải đảng viên đang sinh hoạt trong "
                          f"“{body.unit.name}”.", field="member")
    if StandingManaged.objects.filter(member=member, body=body).overlapping(from_on, to_on).exists():
        raise DomainError(f"{member.full_name} đã thuộc diện “{body.name}” quản lý trong khoảng thời gian này.",
                          field="member")
    mark = StandingManaged.objects.create(member=member, body=body, from_on=from_on, to_on=to_on)
    record("bodies.managed.created", actor=by, obj=member, unit_path=member.org_path, unit_name=body.unit.name,
           after={"body": body.name, "from_on": from_on.isoformat()})
    return mark
