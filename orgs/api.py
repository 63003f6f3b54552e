"""Organization units over the API: the part of the tree a user may see, members rolled up per subtree.

Every row comes through `visible_to(request.user)`; a unit outside the user's subtree answers 404
exactly like an unknown one. With `?on=YYYY-MM-DD` a unit is shown as it was that day (name, kind,
parent and place from `OrgUnitVersion`); what the user may see that day is the rule of the pages
(`OrgUnitVersion.visible_on`): what is theirs today, and what wholly became theirs (the old communes
merged into their commune), wherever it stood then; a unit that has since gone elsewhere is not.
A day still to come is refused (422).

Officers with the right to manage the tree (`restructure`) set units up, rename, move and close them
here as on the pages, through the same services: a unit outside the caller's subtree is 404, one
inside it without the right is 403, and nothing is written either way.

The API layer of `orgs` reads `members.stats` for the roll-ups: the views and the API sit on top
of every app, the models and services of `orgs` still know nothing of members.
"""

from dataclasses import asdict
from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from core.api import PageOut, PageParams, page_body, paginate
from core.scoping import can
from core.text import fold, folded_regex
from core.tree import ancestors as ancestor_paths
from core.tree import parent_path
from members.stats import Counts, breakdown, rollup
from orgs import services
from orgs.models import Kind, OrgUnit, OrgUnitVersion

router = Router(tags=["Tổ chức đảng"])

# --- schemas ------------------------------------------------------------------------------------------


class MemberCountsOut(Schema):
    total: int = Field(description="Tổng số đảng viên trong toàn bộ cây con.")
    official: int = Field(description="Đảng viên chính thức.")
    probationary: int = Field(description="Đảng viên dự bị.")


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: Kind
    kind_label: str
    code: str
    parent_id: int | None = Field(description="Cấp trên; trống nếu là tổ chức gốc hoặc cấp trên ngoài phạm vi "
                                              "của bạn (khi đó không mở được).")
    depth: int
    is_grassroots: bool
    valid_from: date
    valid_to: date | None = Field(description="Ngày cuối cùng hoạt động; trống nếu đang hoạt động.")
    members: MemberCountsOut


class UnitPage(PageOut):
    items: list[UnitOut]


class UnitRef(Schema):
    id: int
    name: str


class BreakdownOut(Schema):
    total: int
    official: int
    probationary: int
    male: int
    female: int
    ethnic_minority: int
    age_bands: dict[str, int] = Field(description="Số đảng viên theo nhóm tuổi (tuổi tính đến hôm nay).")


class UnitDetail(UnitOut):
    breakdown: BreakdownOut | None = Field(
        description="Cơ cấu đảng viên hiện tại của cây con; trống khi hỏi số liệu tại một ngày trong quá khứ."
    )
    ancestors: list[UnitRef] = Field(description="Các cấp trên mà bạn được xem, từ gốc xuống.")
    parent_name: str | None = Field(
        None, description="Với `on` là ngày đã qua: tên cấp trên khi đó, kể cả khi nó ngoài phạm vi của bạn "
                          "(như huyện cũ): chỉ có tên, không có số liệu và không mở được."
    )
    children: list[int] = Field(description="Mã các tổ chức trực thuộc đang hoạt động (tại ngày `on`).")


class UnitFilters(Schema):
    parent: int | None = Field(None, description="Chỉ các tổ chức trực thuộc trực tiếp của tổ chức này.")
    kind: Kind | None = Field(None, description="Loại tổ chức.")
    q: str | None = Field(None, description="Tìm theo tên hoặc tên ngắn, không phân biệt dấu và hoa thường.")
    on: date | None = Field(None, description="Cây tổ chức và số đảng viên như tại ngày này (YYYY-MM-DD).")
    include_closed: bool = Field(False, description="Kèm các tổ chức đã giải thể (khi không có `on`).")


class DecisionIn(Schema):
    number: str = Field("", max_length=60, description="Số quyết định, ví dụ 125-QĐ/ĐU.")
    on: date | None = Field(None, alias="date", description="Ngày quyết định (YYYY-MM-DD).")
    body: str = Field("", max_length=120, description="Cơ quan quyết định: tên hoặc ký hiệu (BTVTU, ĐU…).")


class UnitIn(Schema):
    parent: int = Field(description="Tổ chức cấp trên, trong phạm vi bạn quản lý.")
    name: str = Field(max_length=255)
    short_name: str = Field("", max_length=120)
    kind: Kind
    code: str = Field("", max_length=40)
    valid_from: date = Field(description="Ngày bắt đầu hoạt động; có thể là ngày đã qua.")
    valid_to: date | None = Field(None, description="Ngày cuối hoạt động, chỉ với tổ chức của nhiệm kỳ trước "
                                                    "đã kết thúc (cấp trên phải hoạt động suốt thời gian đó).")
    decision: DecisionIn | None = None


class RenameIn(Schema):
    name: str = Field(max_length=255)
    short_name: str = Field("", max_length=120)
    on: date = Field(description="Ngày hiệu lực.")


class MoveIn(Schema):
    parent: int = Field(description="Cấp trên mới.")
    on: date = Field(description="Ngày hiệu lực.")


class CloseIn(Schema):
    on: date = Field(description="Ngày đầu tiên tổ chức không còn hoạt động.")
    note: str = Field("", max_length=1000, description="Số quyết định, lý do.")


# --- queries ------------------------------------------------------------------------------------------


def _is_past(on: date | None) -> bool:
    """Whether `on` asks for a past day; a day still to come is refused, as on the pages."""
    if on is not None and on > timezone.localdate():
        raise HttpError(422, f"Ngày {on.isoformat()} chưa đến, chưa có số liệu. Hãy hỏi hôm nay "
                             f"({timezone.localdate().isoformat()}) hoặc một ngày đã qua.")
    return on is not None and on < timezone.localdate()


def _parents_in_reach(user, shapes, past: bool) -> set[int]:
    """The parents of `shapes` the user may open: a parent outside reach is given no id (a unit's page
    names it at most). Today a parent's path is its child's minus one segment, so no query; on a past
    day reach is where the parent is now, looked up once for the page."""
    ids = {s.parent_id for s in shapes} - {None}
    if not past:
        return {s.parent_id for s in shapes if s.parent_id and can(user, "view", parent_path(s.path))}
    return set(OrgUnit.objects.inherited_by(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _item(unit: OrgUnit, shape: OrgUnit | OrgUnitVersion, counts, parents: set[int]) -> dict:
    """One unit for the API; `shape` is the unit itself, or its version on the asked day; `parents`
    the parent ids the user may open."""
    return {
        "id": unit.pk,
        "name": shape.name,
        "short_name": shape.short_name,
        "kind": shape.kind,
        "kind_label": Kind(shape.kind).label,
        "code": unit.code,
        "parent_id": shape.parent_id if shape.parent_id in parents else None,
        "depth": shape.depth,
        "is_grassroots": unit.is_grassroots,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "members": asdict(counts),
    }


# --- endpoints ----------------------------------------------------------------------------------------


@router.get("", response=UnitPage, summary="Danh sách tổ chức đảng")
def list_units(request, filters: Query[UnitFilters], page: Query[PageParams]):
    """Các tổ chức bạn được xem, theo thứ tự cây, mỗi tổ chức kèm số đảng viên cộng dồn cả cây con.

    Mặc định là các tổ chức đang hoạt động; với `on` là cây tổ chức như tại ngày đó.
    """
    user = request.user
    past = _is_past(filters.on)
    if filters.on is None:
        rows = OrgUnit.objects.visible_to(user)
        if not filters.include_closed:
            rows = rows.open()
    else:
        rows = OrgUnitVersion.objects.visible_on(user, filters.on).select_related("unit")
    if filters.parent is not None:
        get_object_or_404(OrgUnit.objects.inherited_by(user) if past else OrgUnit.objects.visible_to(user),
                          pk=filters.parent)
        rows = rows.filter(parent_id=filters.parent)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.q and fold(filters.q):
        pattern = folded_regex(filters.q)
        rows = rows.filter(Q(name__iregex=pattern) | Q(short_name__iregex=pattern))
    count, page_rows = paginate(rows.order_by("path", "pk"), page)
    pairs = [(row, row) if isinstance(row, OrgUnit) else (row.unit, row) for row in page_rows]
    counts = rollup([unit for unit, _ in pairs], user, filters.on)  # one roll-up for the whole page
    parents = _parents_in_reach(user, [shape for _, shape in pairs], past)
    return page_body(request, page, count, [_item(unit, shape, counts[unit.pk], parents) for unit, shape in pairs])


@router.get("/{unit_id}", response=UnitDetail, summary="Chi tiết một tổ chức đảng")
def get_unit(request, unit_id: int, on: date | None = None):
    """Một tổ chức với số đảng viên cộng dồn, cơ cấu đảng viên, các cấp trên và tổ chức trực thuộc.

    Với `on` (YYYY-MM-DD): tổ chức và số đảng viên như tại ngày đó; 404 nếu khi đó nó không hoạt động.
    """
    user = request.user
    past = _is_past(on)
    unit = get_object_or_404(OrgUnit.objects.inherited_by(user) if past else OrgUnit.objects.visible_to(user),
                             pk=unit_id)
    if on is None:
        shape, tree, id_field = unit, OrgUnit.objects.visible_to(user), "pk"
        children = Q(parent=unit, valid_to__isnull=True)
    else:
        tree, id_field = OrgUnitVersion.objects.visible_on(user, on).select_related("unit"), "unit_id"
        shape = get_object_or_404(tree, unit=unit)
        children = Q(parent=unit)
    # Ancestors and children in one query (every request of a node costs this); ancestors are
    # prefixes of the path, so path order is root first, and invisible ones drop out.
    near = (tree.filter(Q(path__in=ancestor_paths(shape.path)[:-1]) | children).order_by("path")
            .values_list(id_field, "name", "path"))
    if past:
        counts, figures = rollup([unit], user, on)[unit.pk], None
    else:  # today's breakdown holds the roll-up's three counts: one tally read, not two
        figures = breakdown(unit, user)
        counts = Counts(figures.total, figures.official, figures.probationary)
    item = _item(unit, shape, counts, _parents_in_reach(user, [shape], past))
    item["breakdown"] = figures and asdict(figures)
    item["ancestors"] = [{"id": pk, "name": name} for pk, name, path in near if len(path) < len(shape.path)]
    item["children"] = [pk for pk, _name, path in near if len(path) > len(shape.path)]
    if past and shape.parent_id:  # where the unit stood that day belongs to its history: named only
        item["parent_name"] = (OrgUnitVersion.objects.on(on).filter(unit_id=shape.parent_id)
                               .values_list("name", flat=True).first())
    return item


# --- managing the tree ----------------------------------------------------------------------------------


def _manageable(request, unit_id: int) -> OrgUnit:
    """The unit if the caller may manage the tree there: 404 outside their subtree, 403 without the right."""
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    if not can(request.user, services.ACTION, unit.path):
        raise HttpError(403, f"Bạn không có quyền quản lý cây tổ chức tại “{unit.name}”.")
    return unit


def _written(request, unit: OrgUnit) -> dict:
    return _item(unit, unit, rollup([unit], request.user)[unit.pk],
                 _parents_in_reach(request.user, [unit], past=False))


@router.post("", response={201: UnitOut}, summary="Thành lập một tổ chức đảng")
def create_unit(request, data: UnitIn):
    """Thành lập tổ chức trực thuộc `parent` từ ngày `valid_from`, theo quyết định `decision`
    (`number`, `date`, `body`). Với `valid_to`: tổ chức của nhiệm kỳ trước, nay đã kết thúc hoạt động."""
    parent = _manageable(request, data.parent)
    decision = data.decision or DecisionIn()
    unit = services.create_unit(parent, kind=data.kind, name=data.name, short_name=data.short_name,
                                code=data.code, on=data.valid_from, valid_to=data.valid_to, by=request.user,
                                decision_number=decision.number, decision_date=decision.on,
                                decision_body=decision.body)
    return Status(201, _written(request, unit))


@router.post("/{unit_id}/rename", response=UnitOut, summary="Đổi tên một tổ chức đảng")
def rename_unit(request, unit_id: int, data: RenameIn):
    unit = services.rename_unit(_manageable(request, unit_id), name=data.name, short_name=data.short_name,
                                on=data.on, by=request.user)
    return _written(request, unit)


@router.post("/{unit_id}/move", response=UnitOut, summary="Chuyển một tổ chức đảng sang cấp trên khác")
def move_unit(request, unit_id: int, data: MoveIn):
    unit = _manageable(request, unit_id)
    unit = services.move_unit(unit, _manageable(request, data.parent), on=data.on, by=request.user)
    return _written(request, unit)


@router.post("/{unit_id}/close", response=UnitOut, summary="Giải thể / kết thúc hoạt động một tổ chức đảng")
def close_unit(request, unit_id: int, data: CloseIn):
    unit = services.close_unit(_manageable(request, unit_id), on=data.on, note=data.note, by=request.user)
    return _written(request, unit)
