"""What a document has been turned into down the tree, and who has not acted on it yet (issue 16 item 2, 3).

The lineage is read along `implements` in one recursive query (21-KL/TW → the provincial plan → the
commune plans → …), only among the documents the user sees. The organizations expected to concretize a
document are the party committees (not cells: a cell disseminates, it does not write a plan) directly under
an organization that has one; those without a document of their own in the lineage are listed. For a
document issued outside the system (no unit) the expected ones are the user's own top units.

Coverage ("quán triệt ở 100% chi bộ"): of the open cells under a unit, how many have recorded a
dissemination of any document of the lineage, and the members who attended of those cells' totals.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from documents.models import Dissemination, Document
from documents.symbols import format_symbol
from orgs.models import CELL_KINDS, OrgUnit

# What the page and the API show of each document below the root, read as plain rows: a central document's
# lineage holds thousands, and building model instances (every field, every foreign key cache) was most of
# its time (W8).
FIELDS = ("id", "unit_id", "implements_id", "doc_type", "number", "issuer", "issued_on", "title", "status",
          "unit__name", "unit__path")


@dataclass(frozen=True)
class UnitRef:
    pk: int
    name: str
    path: str


@dataclass(frozen=True)
class DocRow:
    """A document of the lineage, with the attributes of `Document` that pages and the API read."""

    pk: int
    unit_id: int | None
    implements_id: int | None
    doc_type: str
    number: int
    issuer: str
    issued_on: date
    title: str
    status: str
    unit: UnitRef | None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def symbol(self) -> str:
        return format_symbol(self.number, self.doc_type, self.issuer)

    @classmethod
    def of(cls, row: tuple) -> "DocRow":
        *fields, name, path = row
        return cls(*fields, unit=UnitRef(fields[1], name, path) if fields[1] else None)  # the tree's levels; a cycle is refused when links are written, this only bounds the walk


@dataclass
class Node:
    document: "Document | DocRow"
    children: list["Node"] = field(default_factory=list)
    missing: list[OrgUnit] = field(default_factory=list)  # committees right below without a document yet


@dataclass
class Coverage:
    cells: int
    covered: int
    attended: int
    total: int
    without: list[OrgUnit]

    @property
    def cells_percent(self) -> float | None:
        return round(100 * self.covered / self.cells, 1) if self.cells else None

    @property
    def members_percent(self) -> float | None:
        return round(100 * self.attended / self.total, 1) if self.total else None


# The documents implementing one, at any depth: one recursive query (UNION, not UNION ALL, so that even a
# cycle written around the service would end). PostgreSQL and SQLite both take a WITH inside IN (…).
DOWN = ("WITH RECURSIVE down(id) AS (SELECT id FROM documents_document WHERE implements_id = %s UNION "
        "SELECT d.id FROM documents_document d JOIN down ON d.implements_id = down.id) SELECT id FROM down")


def lineage(document: Document, user) -> Node:
    """The documents implementing `document` that `user` sees, as a tree, with the committees yet to act."""
    rows = (Document.objects.visible_to(user).filter(pk__in=RawSQL(DOWN, [document.pk]))
            .order_by("unit__path", "issued_on", "id"))
    root = Node(document)
    nodes = {document.pk: root}
    for d in (DocRow.of(r) for r in rows.values_list(*FIELDS)):
        nodes[d.pk] = Node(d)
    for node in list(nodes.values())[1:]:
        parent = nodes.get(node.document.implements_id)
        if parent is not None:  # one whose parent the user does not see is not shown either
            parent.children.append(node)
    _mark_missing(root, rows, user)
    return root


def _mark_missing(root: Node, rows, user) -> None:
    """Under each unit of the lineage, its committees (not cells) with no document in it: one query for all."""
    acted = rows.values("unit_id")
    committees = (OrgUnit.objects.visible_to(user).open_on(timezone.localdate()).exclude(kind__in=CELL_KINDS)
                  .exclude(pk__in=acted))
    if root.document.unit_id is None:
        # The user's top units without a document, unless listed under their parent's document already.
        root.missing = list(OrgUnit.objects.tops_for(user).exclude(kind__in=CELL_KINDS).exclude(pk__in=acted)
                            .exclude(parent_id__in=acted).order_by("path"))
        below_root = []
    else:
        below_root = [root.document.unit_id]
    below: dict[int, list[OrgUnit]] = {}
    for unit in committees.filter(Q(parent_id__in=acted) | Q(parent_id__in=below_root)).order_by("path"):
        below.setdefault(unit.parent_id, []).append(unit)
    seen = set()
    stack = [root]
    while stack:  # a unit with two documents in the lineage has its committees listed once, under the first
        node = stack.pop(0)
        stack.extend(node.children)
        unit_id = node.document.unit_id
        if unit_id is None or unit_id in seen:
            continue
        seen.add(unit_id)
        node.missing = below.get(unit_id, [])


def documents_of(root: Node) -> list[int]:
    """The ids of every document of the lineage."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node.document.pk)
        stack.extend(node.children)
    return out


def coverage(documents: list[int], unit: OrgUnit, user, limit: int = 200) -> Coverage:
    """Cells under `unit` (open today, seen by `user`) that disseminated any of `documents`."""
    cells = (OrgUnit.objects.visible_subtree(user, unit.path).open_on(timezone.localdate())
             .filter(kind__in=CELL_KINDS))
    records = Dissemination.objects.visible_subtree(user, unit.path).filter(document_id__in=documents)
    at_cells = records.filter(unit__kind__in=CELL_KINDS).values("unit_id")
    covered = cells.filter(pk__in=at_cells)
    sums = records.aggregate(attended=Sum("attended"), total=Sum("total"))
    return Coverage(cells=cells.count(), covered=covered.count(), attended=sums["attended"] or 0,
                    total=sums["total"] or 0, without=list(cells.exclude(pk__in=at_cells).order_by("path")[:limit]))
