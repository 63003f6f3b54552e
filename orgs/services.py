"""Restructuring the tree: create, rename, move, close, merge, split.

Each public function is one transaction with one audit entry: guard (the rule) → change →
`audit.record` → re-check that the writer can still see what was written. History is kept in
`OrgUnitVersion`: a change effective on day D ends the current versions on D-1 and starts new
ones on D, so the tree and every count "as of" a past date use the tree as it was then.
"""

import operator
import uuid
from datetime import date, timedelta
from functools import reduce

from django.db import connection, transaction
from django.db.models import DateField, F, Max, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from audit.services import record
from core.errors import DomainError
from core.scoping import can
from core.text import vn_date
from core.tree import END, MAX_DEPTH, SEGMENT, child_path, parent_path, subtree_q
from orgs import rules, signals
from orgs.models import GRASSROOTS_KINDS, OrgUnit, OrgUnitVersion, Succession

ACTION = "restructure"
VERSION_COLUMNS = ["unit_id", "parent_id", "kind", "name", "short_name", "path", "depth", "valid_from", "valid_to"]


# --- guards ---------------------------------------------------------------------------------------


def _check_allowed(by, *units: OrgUnit) -> None:
    """`by` may place units under each of `units` (create under it, move or merge into it)."""
    for unit in units:
        if by is not None and not can(by, ACTION, unit.path):
            raise DomainError(f"Bạn không có quyền sắp xếp tổ chức đối với “{unit.name}”.")


def _check_may_change(by, unit: OrgUnit) -> None:
    """`by` may rename, move, close, merge or split `unit` itself: a unit is set up and reshaped by the
    level above it (its parent's standing committee), so the right must cover its parent. A commune's
    officer keeps the commune's cells, not the commune; the root is changed only by whoever holds it."""
    if by is not None and not can(by, ACTION, parent_path(unit.path) or unit.path):
        raise DomainError(f"Bạn không có quyền đổi tên, chuyển, hợp nhất, chia tách hay giải thể “{unit.name}”: việc đó "
                          "do cấp trên của nó quyết định; bạn chỉ sắp xếp được các tổ chức trực thuộc đơn vị mình.")


def _check_open(unit: OrgUnit, role: str = "") -> None:
    if not unit.is_open:
        raise DomainError(
            f"{role}“{unit.name}” đã kết thúc hoạt động từ {vn_date(unit.valid_to + timedelta(days=1))}, "
            "không thể thay đổi. Hãy chọn một tổ chức đang hoạt động."
        )


def _check_date(on: date, *units: OrgUnit) -> None:
    if on > timezone.localdate():
        raise DomainError("Ngày hiệu lực không được sau ngày hôm nay.", field="on")
    for unit in units:
        last = unit.versions.order_by("-valid_from").values_list("valid_from", flat=True).first()
        start = max(d for d in (last, unit.valid_from) if d)
        if on < start:
            raise DomainError(
                f"Ngày hiệu lực {vn_date(on)} trước lần thay đổi gần nhất của “{unit.name}” "
                f"({vn_date(start)}). Hãy chọn ngày từ {vn_date(start)} trở đi.",
                field="on",
            )


def _check_placement(kind: str, parent: OrgUnit | None, name: str = "", field: str = "kind") -> None:
    # Which kinds may sit under which (orgs.rules.ALLOWED_PARENTS): every restructuring asks it.
    message = rules.placement_problem(kind, parent.kind if parent else None, name, parent.name if parent else "")
    if message:
        raise DomainError(message, field=field)


def _check_children_fit(source: OrgUnit, target_kind: str, target_name: str) -> None:
    # The open children of `source` that would end up under a unit of `target_kind`.
    for child in source.children.filter(valid_to__isnull=True).order_by("path"):
        message = rules.placement_problem(child.kind, target_kind, child.name, target_name)
        if message:
            raise DomainError(message, field="target")


def _ensure_still_visible(by, unit: OrgUnit) -> None:
    # The write must leave the object inside the writer's reach; otherwise undo it all.
    if by is not None and not OrgUnit.objects.visible_to(by, ACTION).filter(pk=unit.pk).exists():
        raise DomainError(f"Sau thay đổi, “{unit.name}” sẽ nằm ngoài phạm vi quản lý của bạn; đã hủy thao tác.")


# --- version history -------------------------------------------------------------------------------


def _start_versions(units, on: date) -> None:
    """End the current version of each unit on on-1 and start one from `on` with its present state.

    `units` is a queryset, used as a subquery: a province holds thousands of units, more than an id
    list SQLite accepts at national scale. A version that itself began on `on` (two changes on one
    day) is rewritten in place.
    """
    current = OrgUnitVersion.objects.filter(unit__in=units.values("pk"), valid_to__isnull=True)
    current.filter(valid_from=on).delete()
    current.update(valid_to=on - timedelta(days=1))
    # The new versions copy the units' rows: one INSERT … SELECT, since building a model instance per
    # unit took longer than the rest of a province merge.
    copied = units.order_by().values_list("pk", "parent_id", "kind", "name", "short_name", "path", "depth",
                                          Value(on, output_field=DateField()), "valid_to")
    select, params = copied.query.sql_with_params()
    columns = ", ".join(connection.ops.quote_name(c) for c in VERSION_COLUMNS)
    with connection.cursor() as c:
        c.execute(f"INSERT INTO {OrgUnitVersion._meta.db_table} ({columns}) {select}", params)


def _move_subtree(unit: OrgUnit, new_parent: OrgUnit, on: date) -> None:
    """Rewrite the paths of `unit`'s subtree under `new_parent`; no guard, no audit."""
    old_prefix = unit.path
    new_prefix = child_path(new_parent.path, unit.pk)
    subtree = OrgUnit.objects.filter(subtree_q("path", old_prefix))
    if subtree.order_by("-depth").values_list("depth", flat=True).first() - unit.depth + new_parent.depth + 1 >= MAX_DEPTH:
        raise DomainError("Cây tổ chức sau khi chuyển sẽ quá sâu; hãy chọn cấp trên khác.")
    delta = new_parent.depth + 1 - unit.depth
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    subtree.update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1, Length("path"))),
        depth=F("depth") + delta,
    )
    signals.subtree_moved.send(sender=OrgUnit, old_prefix=old_prefix, new_prefix=new_prefix, on=on)
    _start_versions(OrgUnit.objects.filter(subtree_q("path", new_prefix), valid_to__isnull=True), on)
    unit.refresh_from_db()


def open_runs(parent: OrgUnit) -> list[tuple[str, str]]:
    """Path ranges [lo, hi) that hold the subtrees of the open children of `parent` and nothing else:
    one per run of adjacent open children in path order (closed children, which stay, split runs)."""
    runs: list[list[str]] = []
    previous_open = False
    for path, valid_to in parent.children.order_by("path").values_list("path", "valid_to"):
        if valid_to is None:
            if previous_open:
                runs[-1][1] = path + END
            else:
                runs.append([path, path + END])
        previous_open = valid_to is None
    return [(lo, hi) for lo, hi in runs]


def _paths_in(runs: list[tuple[str, str]], field: str = "path") -> Q:
    return reduce(operator.or_, (Q(**{f"{field}__gte": lo, f"{field}__lt": hi}) for lo, hi in runs))


def _move_children(source: OrgUnit, target: OrgUnit, on: date) -> None:
    """Move every open child of `source`, with its subtree, under `target`; no guard, no audit.

    What `_move_subtree` does child by child, as one rewrite for them all: a child's path is
    `source.path` plus its own segment, so putting `target.path` in place of that prefix, in every
    path under the children, gives each its path under `target`. The members' side is told once per
    run of adjacent children (`subtree_moved` with `span`). A province merged into another moves a
    hundred communes and thousands of units this way in a few statements.
    """
    runs = open_runs(source)
    if not runs:
        return
    moving = OrgUnit.objects.filter(_paths_in(runs))
    # A child at depth d+1 with descendants down to `deepest` ends up `deepest - d + target.depth` deep.
    deepest = moving.aggregate(deepest=Max("depth"))["deepest"]
    if deepest - source.depth + target.depth >= MAX_DEPTH:
        raise DomainError("Cây tổ chức sau khi chuyển sẽ quá sâu; hãy chọn cấp trên khác.")
    source.children.filter(valid_to__isnull=True).update(parent=target)
    moving.update(
        path=Concat(Value(target.path), Substr("path", len(source.path) + 1, Length("path"))),
        depth=F("depth") + (target.depth - source.depth),
    )
    for span in runs:
        signals.subtree_moved.send(sender=OrgUnit, old_prefix=source.path, new_prefix=target.path, on=on, span=span)
    moved = [(target.path + lo[len(source.path):], target.path + hi[len(source.path):]) for lo, hi in runs]
    _start_versions(OrgUnit.objects.filter(_paths_in(moved), valid_to__isnull=True), on)


# --- public services ------------------------------------------------------------------------------


def _check_parent_covers(parent: OrgUnit, on: date, until: date | None) -> None:
    """The parent must have existed over the whole life of the new unit: from `on` to `until` (None:
    to this day). A parent closed today still takes a unit of a past term that ended while it was open."""
    if on < parent.valid_from:
        raise DomainError(
            f"Ngày bắt đầu hoạt động {vn_date(on)} trước ngày cấp trên “{parent.name}” bắt đầu hoạt động "
            f"({vn_date(parent.valid_from)}). Hãy chọn ngày từ {vn_date(parent.valid_from)} trở đi.",
            field="on",
        )
    if parent.valid_to is not None and (until is None or until > parent.valid_to):
        raise DomainError(
            f"Cấp trên “{parent.name}” đã kết thúc hoạt động từ {vn_date(parent.valid_to + timedelta(days=1))}: "
            f"chỉ có thể khai báo tổ chức trực thuộc đã hoạt động và kết thúc trong thời gian "
            f"{vn_date(parent.valid_from)}–{vn_date(parent.valid_to)}. Hãy nhập ngày kết thúc hoạt động "
            "hoặc chọn cấp trên đang hoạt động.",
            field="valid_to" if until is not None else "on",
        )


def _check_life(on: date, until: date | None) -> None:
    today = timezone.localdate()
    if on > today:
        raise DomainError(f"Ngày bắt đầu hoạt động {vn_date(on)} chưa đến; hãy nhập ngày đã qua hoặc hôm nay.",
                          field="on")
    if until is not None and until < on:
        raise DomainError(f"Ngày kết thúc hoạt động {vn_date(until)} trước ngày bắt đầu {vn_date(on)}.",
                          field="valid_to")
    if until is not None and until >= today:
        raise DomainError("Ngày kết thúc hoạt động phải là một ngày đã qua; tổ chức còn hoạt động thì để trống.",
                          field="valid_to")


def _create(parent: OrgUnit | None, *, kind: str, name: str, on: date, short_name: str = "", code: str = "",
            issuer_abbr: str = "", is_grassroots: bool | None = None, valid_to: date | None = None,
            decision_number: str = "", decision_date: date | None = None, decision_body: str = "") -> OrgUnit:
    if not name.strip():
        raise DomainError("Hãy nhập tên tổ chức.", field="name")
    _check_placement(kind, parent, name.strip())
    if parent is not None:
        _check_parent_covers(parent, on, valid_to)
    if parent is not None and parent.depth + 1 >= MAX_DEPTH:
        raise DomainError("Cây tổ chức quá sâu; hãy chọn cấp trên khác.")
    unit = OrgUnit.objects.create(
        kind=kind,
        name=name.strip(),
        short_name=short_name.strip(),
        code=code.strip(),
        issuer_abbr=issuer_abbr,
        is_grassroots=kind in GRASSROOTS_KINDS if is_grassroots is None else is_grassroots,
        parent=parent,
        path="~" + uuid.uuid4().hex[: SEGMENT * 2],  # placeholder until the id is known
        depth=0 if parent is None else parent.depth + 1,
        valid_from=on,
        valid_to=valid_to,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        decision_body=decision_body.strip(),
    )
    unit.path = child_path(parent.path if parent else "", unit.pk)
    unit.save(update_fields=["path"])
    _start_versions(OrgUnit.objects.filter(pk=unit.pk), on)  # copies valid_to: a past unit's one version
    return unit


@transaction.atomic
def create_unit(parent: OrgUnit | None, *, kind: str, name: str, on: date, by, valid_to: date | None = None,
                **fields) -> OrgUnit:
    """Set up a unit under `parent` from day `on`, with the decision that did (`decision_*` fields).

    With `valid_to` (its last day, past) the unit is one of a past term that has closed since: it may
    sit under a parent closed today, as long as that parent existed over the unit's whole life."""
    if parent is not None:
        _check_allowed(by, parent)
    elif by is not None and not by.is_superuser:
        raise DomainError("Chỉ quản trị hệ thống được tạo tổ chức gốc.")
    if by is not None:  # the seeding and the tests build trees of any date; people enter past facts only
        _check_life(on, valid_to)
    code = fields.get("code", "").strip()
    if code and OrgUnit.objects.filter(code=code).exists():
        raise DomainError(f"Mã tổ chức “{code}” đã được dùng cho tổ chức khác; hãy chọn mã khác.", field="code")
    unit = _create(parent, kind=kind, name=name, on=on, valid_to=valid_to, **fields)
    record("orgs.unit.created", actor=by, obj=unit, unit_path=unit.path, unit_name=unit.name, after=unit.snapshot())
    return unit


@transaction.atomic
def rename_unit(unit: OrgUnit, *, name: str, short_name: str = "", on: date, by) -> OrgUnit:
    _check_open(unit)
    _check_may_change(by, unit)
    _check_date(on, unit)
    if not name.strip():
        raise DomainError("Hãy nhập tên mới.", field="name")
    before = unit.snapshot()
    unit.name, unit.short_name = name.strip(), short_name.strip()
    unit.save(update_fields=["name", "short_name"])
    _start_versions(OrgUnit.objects.filter(pk=unit.pk), on)
    record("orgs.unit.renamed", actor=by, obj=unit, unit_path=unit.path, unit_name=unit.name,
           before=before, after=unit.snapshot())
    return unit


@transaction.atomic
def move_unit(unit: OrgUnit, new_parent: OrgUnit, *, on: date, by) -> OrgUnit:
    _check_open(unit)
    _check_open(new_parent, "Cấp trên mới ")
    _check_may_change(by, unit)
    _check_allowed(by, new_parent)
    if unit.parent_id is None:
        raise DomainError("Không thể chuyển tổ chức gốc.")
    if new_parent.path.startswith(unit.path):
        raise DomainError(
            f"Không thể chuyển “{unit.name}” vào “{new_parent.name}” vì đó là chính nó hoặc tổ chức cấp dưới của nó."
        )
    if new_parent.pk == unit.parent_id:
        raise DomainError(f"“{unit.name}” đã trực thuộc “{new_parent.name}”.")
    _check_placement(unit.kind, new_parent, unit.name, field="new_parent")
    _check_date(on, unit, new_parent)
    before = unit.snapshot()
    old_path = unit.path
    _move_subtree(unit, new_parent, on)
    record("orgs.unit.moved", actor=by, obj=unit, unit_path=unit.path, unit_path_2=old_path, unit_name=unit.name,
           before=before, after=unit.snapshot())
    _ensure_still_visible(by, unit)
    return unit


@transaction.atomic
def close_unit(unit: OrgUnit, *, on: date, by, note: str = "") -> OrgUnit:
    """End the unit's activity: `on` is the first day it no longer exists."""
    _check_open(unit)
    _check_may_change(by, unit)
    _check_date(on, unit)
    if unit.children.filter(valid_to__isnull=True).exists():
        raise DomainError(
            f"“{unit.name}” còn tổ chức trực thuộc đang hoạt động. Hãy chuyển hoặc hợp nhất chúng trước."
        )
    signals.unit_closing.send(sender=OrgUnit, unit=unit, on=on)
    before = unit.snapshot()
    _end(unit, on)
    record("orgs.unit.closed", actor=by, obj=unit, unit_path=unit.path, unit_name=unit.name,
           before=before, after=unit.snapshot(), note=note)
    return unit


def _end(unit: OrgUnit, on: date) -> None:
    last_day = on - timedelta(days=1)
    unit.valid_to = last_day
    unit.save(update_fields=["valid_to"])
    OrgUnitVersion.objects.filter(unit=unit, valid_to__isnull=True, valid_from=on).delete()
    OrgUnitVersion.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=last_day)


def merge_preview(source: OrgUnit, target: OrgUnit) -> dict:
    """What a merge would move: the open children of `source` (members are counted by the caller)."""
    return {"children": list(source.children.filter(valid_to__isnull=True).order_by("path"))}


@transaction.atomic
def merge_units(source: OrgUnit, target: OrgUnit, *, on: date, by, note: str = "") -> OrgUnit:
    """Merge `source` into `target` from day `on`: its children and members move, it closes."""
    if source.pk == target.pk:
        raise DomainError("Không thể hợp nhất một tổ chức vào chính nó.")
    _check_open(source)
    _check_open(target, "Tổ chức nhận ")
    _check_may_change(by, source)
    _check_allowed(by, target)
    if target.path.startswith(source.path):
        raise DomainError(f"Không thể hợp nhất “{source.name}” vào tổ chức cấp dưới của chính nó.")
    if source.path.startswith(target.path):
        raise DomainError(f"Không thể hợp nhất “{source.name}” vào tổ chức cấp trên của nó; hãy giải thể hoặc chuyển.")
    _check_children_fit(source, target.kind, target.name)
    _check_date(on, source, target)
    before = source.snapshot()
    children = list(source.children.filter(valid_to__isnull=True))
    _move_children(source, target, on)
    moved = {}
    signals.unit_merged.send(sender=OrgUnit, source=source, target=target, on=on, moved=moved)
    _end(source, on)
    Succession.objects.create(predecessor=source, successor=target, on=on)
    after = {**source.snapshot(), "merged_into": target.pk, "merged_into_name": target.name,
             "children_moved": [c.pk for c in children], **moved}
    record("orgs.unit.merged", actor=by, obj=source, unit_path=target.path, unit_path_2=source.path,
           unit_name=f"{source.name} → {target.name}", before=before, after=after, note=note)
    _ensure_still_visible(by, target)
    return target


@transaction.atomic
def split_unit(source: OrgUnit, parts: list[dict], *, on: date, by, close_source: bool = False,
               note: str = "") -> list[OrgUnit]:
    """Split `source` into new sibling units from day `on`.

    Each part: {"name", "kind", "short_name"?, "children": [unit ids], "members": [member ids]}.
    Children and members not named in any part stay with `source`; if `close_source`, nothing
    may stay behind.
    """
    _check_open(source)
    _check_may_change(by, source)
    if source.parent is None:
        raise DomainError("Không thể chia tách tổ chức gốc.")
    _check_date(on, source)
    if not parts:
        raise DomainError("Hãy khai báo ít nhất một tổ chức mới.")
    open_children = {c.pk: c for c in source.children.filter(valid_to__isnull=True)}
    seen: set[int] = set()
    for part in parts:
        if not (part.get("name") or "").strip():
            raise DomainError("Mỗi tổ chức mới cần có tên.")
        for cid in part.get("children", []):
            if cid not in open_children:
                raise DomainError(f"Tổ chức mã {cid} không phải tổ chức trực thuộc đang hoạt động của “{source.name}”.")
            if cid in seen:
                raise DomainError(f"Tổ chức “{open_children[cid].name}” được giao cho hai tổ chức mới.")
            seen.add(cid)
            child = open_children[cid]
            message = rules.placement_problem(child.kind, part.get("kind") or source.kind, child.name, part["name"])
            if message:
                raise DomainError(message, field="kind")
    if close_source and seen != set(open_children):
        left = ", ".join(c.name for k, c in open_children.items() if k not in seen)
        raise DomainError(f"Muốn giải thể “{source.name}” thì phải giao hết tổ chức trực thuộc; còn lại: {left}.")
    before = source.snapshot()
    created, assignments = [], {}
    for part in parts:
        unit = _create(source.parent, kind=part.get("kind") or source.kind, name=part["name"],
                       short_name=part.get("short_name", ""), on=on)
        for cid in part.get("children", []):
            _move_subtree(open_children[cid], unit, on)
        for mid in part.get("members", []):
            assignments[mid] = unit
        created.append(unit)
    Succession.objects.bulk_create([Succession(predecessor=source, successor=unit, on=on) for unit in created])
    signals.unit_split.send(sender=OrgUnit, source=source, assignments=assignments, on=on,
                            close_source=close_source)
    if close_source:
        signals.unit_closing.send(sender=OrgUnit, unit=source, on=on)
        _end(source, on)
    after = {**source.snapshot(), "new_units": [{"id": u.pk, "name": u.name} for u in created],
             "members_moved": len(assignments)}
    record("orgs.unit.split", actor=by, obj=source, unit_path=source.path, unit_name=source.name,
           before=before, after=after, note=note)
    for unit in created:
        _ensure_still_visible(by, unit)
    return created
