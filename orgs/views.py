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
from django.db.models import DateTimeField, Exists, F, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from audit.models import AuditEntry
from audit.services import without_restricted
from core import worklist
from core.errors import DomainError
from core.htmx import login_required, partial_or_page
from core.planner import Unindexed
from core.scoping import can, can_anywhere
from core.text import fold, folded_regex, vn_date
from core.tree import ancestors, parent_path, subtree_q
from members.choices import Status
from members.models import Member, MemberPeriod
from members.stats import Counts, breakdown, rollup
from orgs import forms, importer, services
from orgs.models import OrgUnit, OrgUnitVersion, in_past_reach

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
    if day is None:
        units = OrgUnit.objects.visible_to(user).filter(parent_id__in=parent_ids)
        return units if show_closed else units.open()
    # Parents as they were that day: a cell merged away since still hangs under its old parent.
    visible = OrgUnit.objects.inherited_by(user)
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
            ended = OrgUnit.objects.inherited_by(user).filter(parent_id=OuterRef("pk"), valid_to__lt=day)
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


@dataclass
class Group:
    """Top nodes of a past day's tree under the parent they had then; `label` is that parent's name
    when it is not in the user's reach (the old district): a name only, no figures, no link."""

    label: str
    nodes: list[Node]


def _past_tops(user, day: date, show_closed: bool) -> list[Group]:
    """The top of the tree on a past day: what is the user's then (`OrgUnitVersion.tops_on`), under
    the names of the parents they had that day."""
    tops = dict(OrgUnitVersion.objects.tops_on(user, day).values_list("unit_id", "parent_id"))
    nodes = build_nodes(user, OrgUnit.objects.filter(pk__in=list(tops)), day, show_closed)
    labels = dict(OrgUnitVersion.objects.on(day).filter(unit_id__in={p for p in tops.values() if p})
                  .values_list("unit_id", "name"))
    groups: dict[int | None, Group] = {}
    for node in nodes:
        parent = tops.get(node.unit.pk)
        groups.setdefault(parent, Group(labels.get(parent, ""), [])).nodes.append(node)
    return sorted(groups.values(), key=lambda g: fold(g.label))


@login_required
def tree(request):
    filters = forms.TreeFilterForm(request.GET or None)
    day, show_closed, q = filters.values()
    user = request.user
    groups = None
    if fold(q):
        # Diacritics and case do not matter: "an hoa" finds "Đảng bộ xã An Hòa" (as the API does).
        pattern = folded_regex(q)
        units = OrgUnit.objects.inherited_by(user) if day else OrgUnit.objects.visible_to(user)
        units = units.filter(Q(name__iregex=pattern) | Q(short_name__iregex=pattern))
        if not show_closed:
            units = units.open_on(day) if day else units.open()
        nodes = build_nodes(user, units.order_by("path")[:SEARCH_LIMIT], day, show_closed)
    elif day:
        groups = _past_tops(user, day, show_closed)
        nodes = [node for group in groups for node in group.nodes]
    else:
        # Only the top units come with the page; every level below loads when its node is opened.
        nodes = build_nodes(user, OrgUnit.objects.tops_for(user), day, show_closed)
    context = {"filters": filters, "nodes": nodes, "groups": groups or [Group("", nodes)], "day": day, "q": q,
               "searching": bool(fold(q)), "search_limit": SEARCH_LIMIT,
               "tree_query": _tree_query(day, show_closed)}
    if not (request.htmx and not request.htmx.boosted):  # the home page's line of work to do, not each swap
        context["work"] = worklist.counts(user, timezone.localdate())
    return render(request, partial_or_page(request, "orgs/tree.html", "tree"), context)


@login_required
def children(request, pk: int):
    """The children of one node, as <li> items for htmx to put under it."""
    day, show_closed, _q = forms.TreeFilterForm(request.GET or None).values()
    units = OrgUnit.objects.inherited_by(request.user) if day else OrgUnit.objects.visible_to(request.user)
    parent = get_object_or_404(units, pk=pk)
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
        if can(user, "audit", unit.path) or in_past_reach(user, unit.path, "audit"):  # the whole subtree
            rows = AuditEntry.objects.filter(subtree_q(path_field, unit.path))
        else:
            rows = AuditEntry.objects.visible_subtree(user, unit.path, "audit", field=path_field)
        rows = without_restricted(rows, user)
        found |= {e.pk: e for e in rows.order_by(order, "-id")[:AUDIT_SHOWN]}
    return sorted(found.values(), key=lambda e: (e.created_at, e.pk), reverse=True)[:AUDIT_SHOWN]


def _history(user, unit: OrgUnit, known: dict[int, OrgUnit]) -> list[OrgUnitVersion]:
    """The unit's versions, newest first, each with the parent it had: a link where that parent is the
    user's (today, or on the version's last day), its name alone where a former parent is not (the old
    district: where the unit was before belongs to its history). The parent an open unit has now is
    named only if it is in reach (`known`, from the breadcrumbs); only former parents are looked up."""
    versions = list(unit.versions.order_by("-valid_from"))
    former = {v.parent_id for v in versions} - {unit.parent_id if unit.is_open else None, None} - set(known)
    parents = known | (OrgUnit.objects.in_bulk(former) if former else {})
    for v in versions:
        parent = parents.get(v.parent_id)
        v.parent_name = parent.name if parent else ""
        v.parent_link = ""
        if parent is not None and can(user, "view", parent.path):
            v.parent_link = reverse("orgs-detail", args=[parent.pk])
        elif parent is not None and in_past_reach(user, parent.path):
            last = v.valid_to or parent.valid_to
            v.parent_link = reverse("orgs-detail", args=[parent.pk]) + (f"?ngay={vn_date(last)}" if last else "")
    return versions


def _crumbs_on(user, version: OrgUnitVersion, day: date) -> list[dict]:
    """Breadcrumbs of a past day: the ancestors then that are the user's (links keeping the day), and
    the parent then by name alone when it is not theirs."""
    paths = ancestors(version.path)[:-1]
    if not paths:
        return []
    crumbs = []
    for v in OrgUnitVersion.objects.on(day).filter(path__in=paths).select_related("unit").order_by("depth"):
        if in_past_reach(user, v.unit.path):
            crumbs.append({"name": v.display_name, "url": reverse("orgs-detail", args=[v.unit_id]) + f"?ngay={vn_date(day)}"})
        elif v.unit_id == version.parent_id:
            crumbs.append({"name": v.display_name, "url": ""})
    return crumbs


def _detail_on(request, unit: OrgUnit, day: date):
    """A unit's page as it was on a past day: that day's name, parent, children, figures and members."""
    user = request.user
    version = unit.version_on(day)
    can_audit = can_anywhere(user, "audit")
    context = {"unit": unit, "day": day, "version": version, "versions": _history(user, unit, {}),
               "breadcrumbs": _crumbs_on(user, version, day) if version else [], "children": [],
               "audit_entries": _latest_entries(user, unit) if can_audit else [], "can_audit": can_audit}
    if version is not None:
        kids = OrgUnit.objects.inherited_by(user).filter(
            pk__in=OrgUnitVersion.objects.visible_on(user, day).filter(parent_id=unit.pk).values("unit_id"))
        context["children"] = build_nodes(user, kids, day, show_closed=False)
        context["figures"] = rollup([unit], user, on=day)[unit.pk]
        then = MemberPeriod.objects.on(day).filter(unit=unit)
        direct = (Member.objects.filter(pk__in=then.values("member_id")).vietnamese_order()
                  .annotate(status_then=Subquery(then.filter(member_id=OuterRef("pk")).values("status")[:1])))
        page = Paginator(direct, 30).get_page(request.GET.get("trang"))
        linked = set(Member.objects.visible_to(user).filter(pk__in=[m.pk for m in page]).values_list("pk", flat=True))
        for member in page:
            member.linked = member.pk in linked
            member.status_label = Status(member.status_then).label if member.status_then else ""
        context["members"] = page
    return render(request, "orgs/detail.html", context)


@login_required
def detail(request, pk: int):
    user = request.user
    day_form = forms.DayForm(request.GET or None)
    day = day_form.day()
    for error in day_form.errors.get("ngay", []):
        messages.error(request, error)
    if day is not None and day < timezone.localdate():
        return _detail_on(request, get_object_or_404(OrgUnit.objects.inherited_by(user), pk=pk), day)
    unit = OrgUnit.objects.visible_to(user).filter(pk=pk).first()
    if unit is None:
        # A unit that wholly became the user's after it ended (an old commune merged into theirs) is
        # shown as it was on its last day: today it holds nothing.
        gone = get_object_or_404(OrgUnit.objects.inherited_by(user), pk=pk, valid_to__isnull=False)
        return redirect(f"{reverse('orgs-detail', args=[gone.pk])}?ngay={vn_date(gone.valid_to)}")
    visible = OrgUnit.objects.visible_to(user)
    kids = _rows(user, visible.filter(parent=unit), None, show_closed=True)
    counts = rollup([n.unit for n in kids], user)
    for kid in kids:
        kid.counts = counts[kid.unit.pk]
    kids.sort(key=lambda n: (n.closed, fold(n.name)))
    direct = Member.objects.visible_to(user).active().filter(unit=unit).vietnamese_order()
    members = Paginator(direct, 30).get_page(request.GET.get("trang"))
    for member in members:
        member.linked, member.status_label = True, member.get_status_display()
    # The ancestors in reach are those under one of the user's prefixes: no query when none is
    # (an officer on their own unit's page).
    above = [path for path in ancestors(unit.path)[:-1] if can(user, "view", path)]
    above = list(visible.filter(path__in=above).order_by("depth")) if above else []
    breadcrumbs = [{"name": u.display_name, "url": reverse("orgs-detail", args=[u.pk])} for u in above]
    can_audit = can_anywhere(user, "audit")
    context = {
        "unit": unit,
        "breadcrumbs": breadcrumbs,
        "children": kids,
        "breakdown": breakdown(unit, user),
        "members": members,
        "versions": _history(user, unit, {u.pk: u for u in above}),
        "audit_entries": _latest_entries(user, unit) if can_audit else [],
        "can_audit": can_audit,
        "can_restructure": can(user, services.ACTION, unit.path),
        # the unit itself is reshaped by the level above it (services._check_may_change)
        "can_reshape": can(user, services.ACTION, parent_path(unit.path) or unit.path),
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
    extra = {"parts": forms.split_parts(request.GET.get("so"), request.POST)} if op == "split" else {}
    preview = None
    if request.method == "POST" and request.POST.get("buoc") == "them":
        # More rows for new units: the same form again, unchecked, with what was typed kept.
        form = form_class(initial=request.POST.dict(), unit=unit, user=user, **extra)
    elif request.method == "POST":
        form = form_class(request.POST, unit=unit, user=user, **extra)
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
        form = form_class(unit=unit, user=user, **extra)
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


@login_required
def import_tree(request) -> HttpResponse:
    """A tree from Excel (code, name, kind, parent code, from, to): all its units or none, with the
    reason of every refused row."""
    if not can_anywhere(request.user, services.ACTION):
        raise PermissionDenied("Bạn không có quyền quản lý cây tổ chức.")
    form = forms.TreeImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importer.import_tree(form.cleaned_data["tep"], by=request.user)
        if result.ok:
            messages.success(request, f"Đã nhập {len(result.created)} tổ chức vào cây tổ chức.")
            top = min(result.created, key=lambda u: u.depth)
            return redirect("orgs-detail", pk=top.parent_id or top.pk)
    return render(request, "orgs/import.html", {"form": form, "result": result, "columns": importer.COLUMNS,
                                                "max_rows": importer.MAX_ROWS})


@login_required
def import_template(request) -> HttpResponse:
    if not can_anywhere(request.user, services.ACTION):
        raise PermissionDenied("Bạn không có quyền quản lý cây tổ chức.")
    response = HttpResponse(importer.template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-cay-to-chuc.xlsx"'
    return response
