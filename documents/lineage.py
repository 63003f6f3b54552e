"""What a document has been turned into down the tree, and who has not acted on it yet (issue 16 item 2, 3).

The lineage is read level by level along `implements` (one query per level: 21-KL/TW → the provincial plan →
the commune plans → …), only among the documents the user sees. The organizations expected to concretize a
document are the party committees (not cells: a cell disseminates, it does not write a plan) directly under
an organization that has one; those without a document of their own in the lineage are listed. For a
document issued outside the system (no unit) the expected ones are the user's own top units.

Coverage ("quán triệt ở 100% chi bộ"): of the open cells under a unit, how many have recorded a
dissemination of any document of the lineage, and the members who attended of those cells' totals.
"""

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from documents.models import Dissemination, Document
from orgs.models import CELL_KINDS, OrgUnit

MAX_DEPTH = 12  # the tree's levels; a cycle is refused when links are written, this only bounds the walk


@dataclass
class Node:
    document: Document
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


def lineage(document: Document, user) -> Node:
    root = Node(document)
    nodes, frontier = {document.pk: root}, [root]
    for _ in range(MAX_DEPTH):
        below = (Document.objects.visible_to(user).filter(implements__in=[n.document.pk for n in frontier])
                 .select_related("unit").order_by("unit__path", "issued_on", "id"))
        frontier = []
        for d in below:
            if d.pk in nodes:
                continue
            node = nodes[d.pk] = Node(d)
            nodes[d.implements_id].children.append(node)
            frontier.append(node)
        if not frontier:
            break
    _mark_missing(list(nodes.values()), user)
    return root


def _mark_missing(nodes: list[Node], user) -> None:
    acted = {n.document.unit_id for n in nodes if n.document.unit_id}
    committees = OrgUnit.objects.visible_to(user).open_on(timezone.localdate()).exclude(kind__in=CELL_KINDS)
    seen = set()
    for node in nodes:
        unit_id = node.document.unit_id
        if unit_id in seen:
            continue  # a unit with two documents in the lineage: its committees are listed once
        seen.add(unit_id)
        if unit_id is None:
            expected = OrgUnit.objects.tops_for(user).exclude(kind__in=CELL_KINDS)
        else:
            expected = committees.filter(parent_id=unit_id)
        node.missing = [u for u in expected.order_by("path") if u.pk not in acted]


def documents_of(root: Node) -> list[Document]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node.document)
        stack.extend(node.children)
    return out


def coverage(documents: list[Document], unit: OrgUnit, user, limit: int = 200) -> Coverage:
    """Cells under `unit` (open today, seen by `user`) that disseminated any of `documents`."""
    cells = (OrgUnit.objects.visible_subtree(user, unit.path).open_on(timezone.localdate())
             .filter(kind__in=CELL_KINDS))
    records = Dissemination.objects.visible_subtree(user, unit.path).filter(document__in=documents)
    at_cells = records.filter(unit__kind__in=CELL_KINDS).values("unit_id")
    covered = cells.filter(pk__in=at_cells)
    sums = records.aggregate(attended=Sum("attended"), total=Sum("total"))
    return Coverage(cells=cells.count(), covered=covered.count(), attended=sums["attended"] or 0,
                    total=sums["total"] or 0, without=list(cells.exclude(pk__in=at_cells).order_by("path")[:limit]))
