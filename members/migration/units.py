"""`to_chuc.csv`: the units, checked, numbered and given their paths in depth-first order."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core import bulk
from core.tree import MAX_DEPTH, child_path
from members.migration.files import UNIT_COLUMNS, Report, rows_of
from members.spreadsheet import CellError, choice, key, parse_date, tidy
from orgs.models import GRASSROOTS_KINDS, Kind, OrgUnit, OrgUnitVersion
from orgs.rules import placement_problem


@dataclass(slots=True)
class UnitRow:
    line: int
    code: str
    parent: str
    name: str
    short_name: str
    kind: str
    issuer_abbr: str
    is_grassroots: bool
    valid_from: date
    valid_to: date | None
    id: int = 0
    path: str = ""
    depth: int = 0



_KIND = choice(tuple((value, str(label)) for value, label in Kind.choices))
_YES = {"co", "x", "1", "true", "yes"}


def read_units(path: Path, report: Report) -> list[UnitRow]:
    """Every unit, checked, with ids and paths given in depth-first order (ids, paths and the
    order members are stored in then follow the tree: a subtree is one stretch of every table)."""
    file = path.name
    units: dict[str, UnitRow] = {}
    for line, r in rows_of(path, report, UNIT_COLUMNS):
        try:
            kind = _KIND(r["kind"]) if r["kind"] else ""
            unit = UnitRow(line, r["code"].upper(), r["parent"].upper(), tidy(r["name"]), tidy(r["short_name"]),
                           kind, r["issuer_abbr"], False, None, None)
            unit.is_grassroots = key(r["is_grassroots"]) in _YES if r["is_grassroots"] else kind in GRASSROOTS_KINDS
            unit.valid_from = parse_date(r["valid_from"]) if r["valid_from"] else None
            unit.valid_to = parse_date(r["valid_to"]) if r["valid_to"] else None
        except CellError as e:
            report.error(file, line, "", "", e.message)
            continue
        for label, ok in (("Mã tổ chức", unit.code), ("Tên", unit.name), ("Loại", unit.kind),
                          ("Ngày thành lập", unit.valid_from)):
            if not ok:
                report.error(file, line, label, "", f"Thiếu “{label}”.")
        if unit.valid_to and unit.valid_from and unit.valid_to < unit.valid_from:
            report.error(file, line, "Ngày kết thúc", unit.valid_to, "Ngày kết thúc trước ngày thành lập.")
        if unit.code in units:
            report.error(file, line, "Mã tổ chức", unit.code, f"Mã tổ chức trùng với dòng {units[unit.code].line}.")
        elif unit.code:
            units[unit.code] = unit
    children: dict[str, list[UnitRow]] = {}
    for unit in units.values():
        if unit.parent and unit.parent not in units:
            report.error(file, unit.line, "Mã cấp trên", unit.parent, "Không có tổ chức nào mang mã cấp trên này.")
        children.setdefault(unit.parent, []).append(unit)
    ordered: list[UnitRow] = []
    stack = list(reversed(children.get("", [])))
    while stack:  # depth first, children in file order
        unit = stack.pop()
        parent = units.get(unit.parent)
        unit.id = len(ordered) + 1
        unit.depth = parent.depth + 1 if parent else 0
        unit.path = child_path(parent.path if parent else "", unit.id)
        if unit.depth >= MAX_DEPTH:
            report.error(file, unit.line, "Mã cấp trên", unit.parent, f"Cây tổ chức sâu quá {MAX_DEPTH} cấp.")
        if unit.kind:  # the restructuring services' rule of which kind sits under which (orgs.rules)
            message = placement_problem(unit.kind, parent.kind if parent else None, unit.name,
                                        parent.name if parent else "")
            if message:
                report.error(file, unit.line, "Loại", Kind(unit.kind).label, message)
        ordered.append(unit)
        stack.extend(reversed(children.get(unit.code, [])))
    if report.ok and len(ordered) < len(units):
        for unit in units.values():
            if not unit.id:
                report.error(file, unit.line, "Mã cấp trên", unit.parent, "Tổ chức nằm trong một vòng cấp trên – cấp "
                                                                          "dưới (A thuộc B, B lại thuộc A).")
    return ordered


def write_units(units: list[UnitRow]) -> None:
    by_code = {u.code: u for u in units}
    cols = ["id", "kind", "name", "short_name", "code", "issuer_abbr", "is_grassroots", "parent_id", "path", "depth",
            "valid_from", "valid_to", "decision_number", "decision_body"]
    bulk.insert_rows(OrgUnit._meta.db_table, cols, (
        (u.id, u.kind, u.name, u.short_name, u.code, u.issuer_abbr, u.is_grassroots,
         by_code[u.parent].id if u.parent else None, u.path, u.depth, u.valid_from, u.valid_to, "", "")
        for u in units))
    cols = ["unit_id", "parent_id", "kind", "name", "short_name", "path", "depth", "valid_from", "valid_to"]
    bulk.insert_rows(OrgUnitVersion._meta.db_table, cols, (
        (u.id, by_code[u.parent].id if u.parent else None, u.kind, u.name, u.short_name, u.path, u.depth,
         u.valid_from, u.valid_to) for u in units))

