"""Pages of the organization tree: the tree browser, a unit's page, the restructuring forms.

Every unit comes through `OrgUnit.objects.visible_to(user, ...)`: a unit outside the user's
subtree is a 404, as if it did not exist. The tree is drawn one level at a time (htmx loads a
node's children when it is opened); each level's member counts come from one `rollup` call for
the whole list of siblings, never one per node.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import DateTimeField, Exists, F, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode

from audit.models import AuditEntry
from core.errors import DomainError
from core.htmx import login_required, partial_or_page
from core.planner import Unindexed
from core.scoping import can, can_anywhere
from core.text import fold, folded_regex
from core.tree import ancestors
from members.models import Member
from members.stats import Counts, breakdown, rollup
from orgs import forms, services
from orgs.models import OrgUnit, OrgUnitVersion

SEARCH_LIMIT = 50
AUDIT_SHOWN = 10  # latest audit entries on a unit's page


@dataclass
class Node:
    """One line of the tree: the unit as it was on the day shown, with its roll-up."""

    unit: OrgUnit
    name: str
    kind: str
    closed: bool  # no longer open on the day shown
    counts: Counts = field(default_factory=Counts)
    has_children: bool = False


# --- the tree as it is now or as it was on a day -------------------------------------------------


def _rows(user, units, day: date | None, show_closed: bool) -> list[Node]:
    """Nodes for `units` (visible OrgUnits) as they were on `day` (None: now)."""
    nodes = []
    if day is None:
        for u in units:
            if show_closed or u.is_open:
                nodes.append(Node(u, u.name, u.get_kind_display(), closed=not u.is_open))
        return nodes
    units = {u.pk: u for u in units}
    for v in OrgUnitVersion.objects.visible_on(user, day).filter(unit_id__in=list(units)):
        nodes.append(Node(units.pop(v.unit_id), v.name, v.get_kind_display(), closed=False))
    if show_closed:  # units that had already ended by that day keep their last name
        nodes += [Node(u, u.name, u.get_kind_display(), closed=True) for u in units.values()
                  if u.valid_to is not None and u.valid_to < day]
    return nodes


def _children_units(user, parent_ids, day: date | None, show_closed: bool):
    """Visible units that were children of `parent_ids` on `day` (None: now)."""
    visible = OrgUnit.objects.visible_to(user)
    if day is None:
        units = visible.filter(parent_id__in=parent_ids)
        return units if show_closed else units.open()
    # Parents as they were that day: a cell merged away since still hangs under its old parent.
    then = OrgUnitVersion.objects.visible_on(user, day).filter(parent_id__in=parent_ids).values("unit_id")
    units = visible.filter(pk__in=then)
    if show_closed:
        units = units | visible.filter(parent_id__in=parent_ids, valid_to__lt=day)
    return units


def _parents_with_children(user, parents: list[OrgUnit], day: date | None, show_closed: bool) -> set[int]:
    """Which of `parents` have at least one child to show (to draw the expand arrow).

    One EXISTS per parent, a single probe of the parent index, rather than reading every child (a
    province's hundred communes hold 7,000 units; a DISTINCT over them cost 4 ms of each tree page).
    Today's children of a unit in reach are all in reach (a grant covers whole subtrees, as in
    `visible_subtree`), so the parents are checked here and the probes need no path range, which
    made PostgreSQL read the 7,000 anyway. For a past day the tree of that day decides.
    """
    if day is None:
        ids = [u.pk for u in parents if can(user, "view", u.path)]
        children = OrgUnit.objects.filter(parent_id=OuterRef("pk"))
        has_children = Exists(children if show_closed else children.open())
    else:
        ids = [u.pk for u in parents]  # nodes of that day's tree, read through `visible_on`
        has_children = Exists(OrgUnitVersion.objects.visible_on(user, day).filter(parent_id=OuterRef("pk")))
        if show_closed:  # units that had already ended by that day still hang under their last parent
            ended = OrgUnit.objects.visible_to(user).filter(parent_id=OuterRef("pk"), valid_to__lt=day)
            has_children |= Exists(ended)
    return set(OrgUnit.objects.filter(pk__in=ids).filter(has_children).order_by().values_list("pk", flat=True))


def build_nodes(user, units, day: date | None, show_closed: bool) -> list[Node]:
    """Nodes for one list of siblings: one roll-up call, one query for "has children"."""
    nodes = _rows(user, units, day, show_closed)
    counts = rollup([n.unit for n in nodes], user, on=day)
    with_children = _parents_with_children(user, [n.unit for n in nodes], day, show_closed)
    for node in nodes:
        node.counts = counts[node.unit.pk]
        node.has_children = node.unit.pk in with_children
    nodes.sort(key=lambda n: (n.closed, fold(n.name)))
    return nodes


def _tree_query(day: date | None, show_closed: bool) -> str:
    params = {}
    if day:
        params["ngay"] = day.strftime("%d/%m/%Y")
    if show_closed:
        params["da_giai_the"] = "1"
    return urlencode(params)


@login_required
def tree(request):
    filters = forms.TreeFilterForm(request.GET or None)
    day, show_closed, q = filters.values()
    user = request.user
    if fold(q):
        # Diacritics and case do not matter: "an hoa" finds "Đảng bộ xã An Hòa" (as the API does).
        pattern = folded_regex(q)
        units = OrgUnit.objects.visible_to(user).filter(Q(name__iregex=pattern) | Q(short_name__iregex=pattern))
        if not show_closed:
            units = units.open_on(day) if day else units.open()
        nodes = build_nodes(user, units.order_by("path")[:SEARCH_LIMIT], day, show_closed)
    else:
        # Only the top units come with the page; every level below loads when its node is opened.
        nodes = build_nodes(user, OrgUnit.objects.tops_for(user), day, show_closed)
    context = {"filters": filters, "nodes": nodes, "day": day, "q": q, "searching": bool(fold(q)),
               "search_limit": SEARCH_LIMIT, "tree_query": _tree_query(day, show_closed)}
    return render(request, partial_or_page(request, "orgs/tree.html", "tree"), context)


@login_required
def children(request, pk: int):
    """The children of one node, as <li> items for htmx to put under it."""
    parent = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk)
    day, show_closed, _q = forms.TreeFilterForm(request.GET or None).values()
    units = _children_units(request.user, [parent.pk], day, show_closed)
    nodes = build_nodes(request.user, units, day, show_closed)
    return render(request, "orgs/tree.html#node-list",
                  {"nodes": nodes, "day": day, "tree_query": _tree_query(day, show_closed)})


# --- one unit ------------------------------------------------------------------------------------


def _latest_entries(user, unit: OrgUnit) -> list[AuditEntry]:
    """The last AUDIT_SHOWN audit entries about the unit's subtree: where the change happened, or the
    other place a move or merge touched. The ten latest of both are among the ten latest of each.

    One query per path field, each one range on that field's index (`visible_subtree`: the unit is
    visible, so all of its subtree is), so a page reads only its subtree's entries. One query ORing
    both fields with the user's own ranges left SQLite to read and sort the whole log, or walk it
    from the newest, for a commune's ten: 50 ms instead of 3 ms once W4 has written 100,000 entries.
    """
    found = {}
    # `unit_path_2` is filled only by moves and merges: few rows at any size, so its range is read and
    # sorted. SQLite, without statistics of the grown log, walked the date index through all of it
    # instead (51 ms for a commune's page once W4 had written 100,000 entries, and never a match).
    newest = {"unit_path": F("created_at").desc(),
              "unit_path_2": Unindexed("created_at", output_field=DateTimeField()).desc()}
    for path_field, order in newest.items():
        rows = AuditEntry.objects.visible_subtree(user, unit.path, "audit", field=path_field)
        found |= {e.pk: e for e in rows.order_by(order, "-id")[:AUDIT_SHOWN]}
    return sorted(found.values(), key=lambda e: (e.created_at, e.pk), reverse=True)[:AUDIT_SHOWN]


@login_required
def detail(request, pk: int):
    user = request.user
    unit = get_object_or_404(OrgUnit.objects.visible_to(user), pk=pk)
    visible = OrgUnit.objects.visible_to(user)
    kids = list(visible.filter(parent=unit))
    counts = rollup(kids, user)
    for kid in kids:
        kid.counts = counts[kid.pk]
    kids.sort(key=lambda u: (not u.is_open, fold(u.name)))
    direct = Member.objects.visible_to(user).active().filter(unit=unit).vietnamese_order()
    members = Paginator(direct, 30)
    # The ancestors in reach are those under one of the user's prefixes: no query when none is
    # (an officer on their own unit's page).
    above = [path for path in ancestors(unit.path)[:-1] if can(user, "view", path)]
    breadcrumbs = list(visible.filter(path__in=above).order_by("depth")) if above else []
    versions = list(OrgUnitVersion.objects.visible_to(user).filter(unit=unit).order_by("-valid_from"))
    # A former parent outside the user's reach is not named: its name is not theirs to see. The
    # current parent is in the breadcrumbs if it is in reach; only former parents are looked up.
    parents = {u.pk: u for u in breadcrumbs}
    former = {v.parent_id for v in versions} - {unit.parent_id, None}
    if former:
        parents |= {u.pk: u for u in visible.filter(pk__in=former)}
    for v in versions:
        v.visible_parent = parents.get(v.parent_id)
    can_audit = can_anywhere(user, "audit")
    context = {
        "unit": unit,
        "breadcrumbs": breadcrumbs,
        "children": kids,
        "breakdown": breakdown(unit, user),
        "members": members.get_page(request.GET.get("trang")),
        "versions": versions,
        "audit_entries": _latest_entries(user, unit) if can_audit else [],
        "can_audit": can_audit,
        "can_restructure": can(user, services.ACTION, unit.path),
    }
    return render(request, "orgs/detail.html", context)


# --- restructuring -------------------------------------------------------------------------------

class _DryRun(Exception):
    """Raised to roll back a preview's trial run."""


def _dry_run(form, user) -> None:
    # The rules live in the services only. Running the real service and rolling it back means the
    # preview refuses exactly what the confirmation would refuse, with the same message.
    try:
        with transaction.atomic():
            form.perform(user)
            raise _DryRun
    except _DryRun:
        pass


def _show_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def restructure(request, pk: int, op: str) -> HttpResponse:
    """GET: the form. POST "xem-truoc": check and show what will change. POST "xac-nhan": do it."""
    user = request.user
    unit = get_object_or_404(OrgUnit.objects.visible_to(user), pk=pk)
    if not can(user, services.ACTION, unit.path):
        raise PermissionDenied("Bạn không có quyền sắp xếp tổ chức này.")
    form_class = forms.RESTRUCTURE_FORMS[op]
    preview = None
    if request.method == "POST":
        form = form_class(request.POST, unit=unit, user=user)
        step = request.POST.get("buoc", "xem-truoc")
        if form.is_valid() and step != "sua":
            try:
                if step == "xac-nhan":
                    target, message = form.perform(user)
                    messages.success(request, message)
                    return redirect("orgs-detail", pk=target.pk)
                preview = form.preview()
                _dry_run(form, user)
            except DomainError as exc:
                preview = None
                _show_error(form, exc)
    else:
        form = form_class(unit=unit, user=user)
    context = {"unit": unit, "form": form, "op": op, "preview": preview,
               "breadcrumbs": OrgUnit.objects.visible_to(user).filter(path__in=ancestors(unit.path))}
    return render(request, "orgs/restructure.html", context)


@login_required
def restructure_start(request) -> HttpResponse:
    """"Sắp xếp tổ chức" in the menu: choose a unit and an operation, then go to its form."""
    if not can_anywhere(request.user, services.ACTION):
        raise PermissionDenied("Bạn không có quyền sắp xếp tổ chức.")
    form = forms.RestructureStartForm(request.GET or None, user=request.user)
    if form.is_valid():
        return redirect(f"orgs-{form.cleaned_data['thao_tac']}", pk=form.cleaned_data["don_vi"].pk)
    return render(request, "orgs/restructure_start.html", {"form": form})
