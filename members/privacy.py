"""Sensitive personal data of members: one rule for who sees which fields whole, and where.

Nghị định 13/2023/NĐ-CP Điều 2.4 and the Luật Bảo vệ dữ liệu cá nhân 2025 (in force 01/01/2026) count
party membership, religion, ethnicity, health and the citizen ID among sensitive personal data. Party
membership and ethnicity are what the record and every statistical report of the party are about, and
health is not recorded, so the fields masked here are the CCCD, the religion and the family (`SENSITIVE`).

`WHOLE` says which role sees which of them whole, over the subtree of its grant; a user with several
grants sees a field whole only for members under a grant whose role sees it. Everything that shows a
member (pages, API, Excel export, the import's pages and error file) asks `whole_fields`:

- lists (the list page, `GET /api/v1/members`) always mask: the CCCD as its last four digits;
- one member's page and `GET /api/v1/members/{id}` show the fields whole where the rule allows, the
  CCCD masked elsewhere, religion and family as "(ẩn)";
- an Excel export has the CCCD and religion columns if the user sees them whole anywhere, filled only
  for members where the rule allows (an empty cell imports back as "unchanged", a masked one would not);
- each whole view or export writes one audit entry (who, which members, when), scoped by the members'
  unit (or the common ancestor of an export's members), so the officers of that level see it;
- every such answer carries `Cache-Control: no-store` (`no_store`).

The write side (who may enter those fields) is the "sensitive" action of access.rules; a test keeps
the two in step.
"""

from collections.abc import Iterable

from django.db import transaction
from django.views.decorators.cache import never_cache

from access.rules import Role
from audit.services import record
from core.scoping import held_grants
from core.tree import common_ancestor
from orgs.models import OrgUnit

SENSITIVE = ("citizen_id", "religion", "relatives")
LABELS = {"citizen_id": "Số CCCD", "religion": "Tôn giáo", "relatives": "Quan hệ gia đình"}

# Role -> the sensitive fields it sees whole over the subtree of its grant. Organization and inspection
# officers work with identities and family (admission, transfers, verification, discipline); a cell
# secretary and a viewer recognise their members by name and the last digits of the CCCD.
WHOLE: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset(),
    Role.CELL_SECRETARY: frozenset(),
    Role.ORGANIZATION: frozenset(SENSITIVE),
    Role.INSPECTION: frozenset(SENSITIVE),
    Role.ADMIN: frozenset(SENSITIVE),
}
EVERYTHING = frozenset(SENSITIVE)
NOTHING: frozenset[str] = frozenset()

MASK = "••••••••"
HIDDEN = "(ẩn)"
EXPORT_IDS_KEPT = 50_000  # member ids kept in one export's audit entry (the count and filters say the rest)

VIEWED = "members.sensitive.viewed"
EXPORTED = "members.sensitive.exported"

# Django's never_cache: "Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private".
no_store = never_cache


def mask_cccd(value: str | None) -> str:
    """Only the last 4 digits: enough to tell two people apart in a list, useless to anyone else."""
    return f"{MASK}{value[-4:]}" if value else ""


def whole_fields(user, path: str) -> frozenset[str]:
    """The sensitive fields `user` sees whole for a member whose unit path is `path`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    fields: set[str] = set()
    for grant in held_grants(user):
        if path.startswith(grant.path):
            fields |= WHOLE.get(grant.role, NOTHING)
    return frozenset(fields)


def fields_anywhere(user) -> frozenset[str]:
    """The sensitive fields `user` sees whole for some member (an export's columns)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    return frozenset().union(*(WHOLE.get(g.role, NOTHING) for g in held_grants(user)))


def _labels(fields: Iterable[str]) -> list[str]:
    return [LABELS[f] for f in SENSITIVE if f in fields]


def record_view(user, member, fields: frozenset[str], via: str) -> None:
    """One entry for one member's sensitive fields shown whole (the page, the API, the edit form)."""
    if not fields:
        return
    with transaction.atomic():
        record(VIEWED, actor=user, obj=member, unit_path=member.org_path, unit_name=member.unit.name,
               after={"fields": _labels(fields), "via": via})


class Shown:
    """The members an export wrote whole: their common ancestor, how many, and the first ids, kept as
    rows stream by (a national export is millions of rows; their ids and paths are not held)."""

    def __init__(self):
        self.scope: str | None = None
        self.count = 0
        self.ids: list[int] = []

    def add(self, pk: int, path: str) -> None:
        self.scope = path if self.scope is None else common_ancestor(self.scope, path)
        self.count += 1
        if len(self.ids) < EXPORT_IDS_KEPT:
            self.ids.append(pk)


def record_export(user, shown: Shown, fields: frozenset[str], via: str, note: str = "") -> None:
    """One entry for an export that wrote sensitive fields whole, scoped at the common ancestor of those
    members so that the level holding all of them sees it."""
    if not shown.count or not fields:
        return
    unit = OrgUnit.objects.filter(path=shown.scope).first() if shown.scope else None
    with transaction.atomic():
        record(EXPORTED, actor=user, obj=unit or user, unit_path=shown.scope or "", unit_name=unit.name if unit else "",
               after={"fields": _labels(fields), "via": via, "count": shown.count, "member_ids": shown.ids},
               note=note[:1000])


def export_xlsx(user, queryset, via: str, note: str = "") -> bytes:
    """The Excel list of `queryset` (already `visible_to` the user) under the rule, audited."""
    from members.exporter import export_xlsx_bytes

    columns = fields_anywhere(user) & {"citizen_id", "religion"}
    shown = Shown()

    def whole(member) -> frozenset[str]:
        fields = whole_fields(user, member.org_path)
        if fields:
            shown.add(member.pk, member.org_path)
        return fields

    content = export_xlsx_bytes(queryset, include_sensitive=bool(columns), whole=whole)
    record_export(user, shown, columns, via, note)
    return content


def mask_errors(errors: list[dict], user, path: str) -> list[dict]:
    """An import's row errors as `user` may read them: a sensitive column's value masked."""
    from members.spreadsheet import COLUMNS

    headers = {c.header: c.field for c in COLUMNS if c.sensitive}
    whole = whole_fields(user, path)
    out = []
    for e in errors:
        field = headers.get(e.get("column", ""))
        if field and field not in whole and e.get("value"):
            value = str(e["value"])
            e = {**e, "value": mask_cccd(value) if field == "citizen_id" else HIDDEN}
        out.append(e)
    return out
