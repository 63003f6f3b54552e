"""Which kinds of party organization may sit under which: the shape of the tree, with its source.

The tree of rules.md §9 (294-QĐ/TW, in force from 01/7/2025; likely): Trung ương → đảng bộ tỉnh/thành phố
and đảng ủy trực thuộc Trung ương → đảng bộ xã/phường/đặc khu and the đảng ủy trực thuộc tỉnh → tổ chức cơ sở
đảng (đảng bộ cơ sở, chi bộ cơ sở) → đảng bộ bộ phận → chi bộ trực thuộc → tổ đảng. A commune đảng bộ may itself
be the grassroots level (208-QĐ/TW, rules-2026.md §2), so cells and đảng bộ bộ phận may sit directly under it.
The huyện level is kept for the tree as it was before 01/7/2025 (closed units, the old communes under it).
A chi bộ has no sub-organizations but its tổ đảng (Điều lệ Đảng Điều 24; rules-2026.md, HD 03-HD/TW).

Overridable like the members' rules: settings RULES_OVERRIDES {"orgs.ALLOWED_PARENTS": {"chi_bo": ["xa", …]}}.
"""

from django.conf import settings

from orgs.models import Kind

_PROVINCIAL = {Kind.PROVINCE, Kind.UNDER_CENTRAL}
_ABOVE_GRASSROOTS = {Kind.COMMUNE, Kind.DISTRICT, Kind.UNDER_PROVINCE, *_PROVINCIAL}

# kind of the child -> kinds its parent may have
ALLOWED_PARENTS: dict[str, set[str]] = {
    Kind.CENTRAL: set(),
    Kind.PROVINCE: {Kind.CENTRAL},
    Kind.UNDER_CENTRAL: {Kind.CENTRAL},
    Kind.UNDER_PROVINCE: {Kind.PROVINCE},
    Kind.DISTRICT: {Kind.PROVINCE},
    Kind.COMMUNE: {Kind.PROVINCE, Kind.DISTRICT},
    Kind.GRASSROOTS_COMMITTEE: _ABOVE_GRASSROOTS,
    Kind.GRASSROOTS_CELL: _ABOVE_GRASSROOTS,
    Kind.SUB_COMMITTEE: {Kind.GRASSROOTS_COMMITTEE, Kind.COMMUNE},
    Kind.CELL: {Kind.GRASSROOTS_COMMITTEE, Kind.SUB_COMMITTEE, Kind.COMMUNE},
    Kind.GROUP: {Kind.CELL, Kind.GRASSROOTS_CELL},
}
# Kinds that may head a tree of their own (a national, provincial or single-organization installation);
# the ones inside a grassroots organization never do.
ROOT_KINDS = set(Kind) - {Kind.SUB_COMMITTEE, Kind.CELL, Kind.GROUP}


def allowed_parents(kind: str) -> set[str]:
    overrides = getattr(settings, "RULES_OVERRIDES", {}).get("orgs.ALLOWED_PARENTS", {})
    return set(overrides[kind]) if kind in overrides else ALLOWED_PARENTS.get(kind, set())


def placement_problem(kind: str, parent_kind: str | None, name: str = "", parent_name: str = "") -> str | None:
    """None if a unit of `kind` may sit under one of `parent_kind` (None: at the root), else the Vietnamese
    message that says why not and what may."""
    label = Kind(kind).label if kind in Kind.values else kind
    what = f"“{name}” ({label.lower()})" if name else label
    if parent_kind is None:
        if kind in ROOT_KINDS:
            return None
        return f"{what} phải trực thuộc một tổ chức đảng; hãy chọn cấp trên."
    allowed = allowed_parents(kind)
    if parent_kind in allowed:
        return None
    parent_label = Kind(parent_kind).label if parent_kind in Kind.values else parent_kind
    where = f"“{parent_name}” ({parent_label.lower()})" if parent_name else parent_label.lower()
    fits = ", ".join(sorted(Kind(k).label.lower() for k in allowed if k in Kind.values)) or "không tổ chức nào"
    return (f"{what} không thể trực thuộc {where}: theo Điều lệ Đảng và Quy định 294-QĐ/TW, "
            f"{label.lower()} chỉ trực thuộc {fits}.")
