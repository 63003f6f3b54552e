"""Pages: a unit's targets of a year ("x/y chỉ tiêu chưa đạt", the list, the comparison with the year before),
a plan's target table with progress bars, a target with its parts below (drill-down) and its values; forms to
add, cascade, enter values, import and export. Rows through `visible_to`; a unit, document or target outside
the user's subtree is 404; every write goes through `targets.services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can
from documents.models import Document
from orgs.models import OrgUnit
from targets import services as svc
from targets import sheets, tables
from targets.forms import CascadeForm, ImportForm, PopulationForm, TargetForm, ValueForm
from targets.models import Population, Target
from targets.rules import ACTION, STATUS_NOTES, Kind, Source

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam") or request.POST.get("nam") or 0)
    except ValueError:
        year = 0
    return year if 1930 <= year <= 2100 else timezone.localdate().year


def _unit(request, pk: int) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk)


def _target(request, pk: int) -> Target:
    return get_object_or_404(Target.objects.visible_to(request.user).select_related("unit", "group", "document",
                                                                                    "parent__unit"), pk=pk)


def _writable(request, unit: OrgUnit) -> None:
    if not can(request.user, ACTION, unit.path):
        raise PermissionDenied("Bạn không có quyền ghi chỉ tiêu của tổ chức này.")


def _grouped(table):
    groups = []
    for r in table:
        if not groups or groups[-1][0] != r.target.group:
            groups.append((r.target.group, []))
        groups[-1][1].append(r)
    return groups


@login_required
def index(request):
    top = OrgUnit.objects.tops_for(request.user).order_by("path").first()
    if top is None:
        return render(request, "targets/unit.html", {"unit": None})
    return redirect("targets-unit", pk=top.pk)


def _unit_page(request, unit: OrgUnit, forms: dict | None = None, status: int = 200, problems=None):
    user, year = request.user, _year(request)
    forms = forms or {}
    table = tables.rows(tables.unit_targets(unit, user, year), year, user, depth=0)
    may = can(user, ACTION, unit.path)
    own = Target.objects.visible_to(user).filter(unit=unit)
    docs = Document.objects.filter(pk__in=own.values("document_id")).order_by("-issued_on")
    context = {
        "unit": unit, "year": year, "groups": _grouped(table), "summary": tables.summary(table),
        "comparison": tables.compare_years(own, year), "documents": docs, "notes": STATUS_NOTES,
        "population": Population.objects.filter(unit=unit).order_by("-on")[:3], "can_manage": may,
        "children": OrgUnit.objects.visible_to(user).filter(parent=unit).open().order_by("path"),
        "problems": problems,
    }
    if may:
        context["target_form"] = forms.get("target") or TargetForm(unit=unit, user=user, initial={
            "from_year": year, "to_year": year})
        context["import_form"] = forms.get("import") or ImportForm(unit=unit, user=user)
        context["population_form"] = forms.get("population") or PopulationForm()
    return render(request, "targets/unit.html", context, status=status)


@login_required
def unit_page(request, pk: int):
    return _unit_page(request, _unit(request, pk))


@login_required
def add_target(request, pk: int):
    unit = _unit(request, pk)
    _writable(request, unit)
    if request.method != "POST":
        return redirect("targets-unit", pk=unit.pk)
    form = TargetForm(request.POST, unit=unit, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            target = svc.create_target(document=d["document"], unit=unit, group=d["group"], name=d["name"],
                                       kind=d["kind"], direction=d["direction"], measure=d["measure"],
                                       baseline=d["baseline"], from_year=d["from_year"], to_year=d["to_year"],
                                       plans=d["plans"], source=d["source"], computed_key=d["computed_key"],
                                       by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã đặt chỉ tiêu “{target.name}”.")
            return redirect(f"{reverse('targets-unit', args=[unit.pk])}?nam={target.from_year}")
    return _unit_page(request, unit, {"target": form}, status=400)


@login_required
def population(request, pk: int):
    unit = _unit(request, pk)
    _writable(request, unit)
    if request.method != "POST":
        return redirect("targets-unit", pk=unit.pk)
    form = PopulationForm(request.POST)
    if form.is_valid():
        try:
            svc.record_population(unit, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã ghi dân số.")
            return redirect("targets-unit", pk=unit.pk)
    return _unit_page(request, unit, {"population": form}, status=400)


@login_required
def import_file(request, pk: int):
    unit = _unit(request, pk)
    _writable(request, unit)
    if request.method != "POST":
        return redirect("targets-unit", pk=unit.pk)
    form = ImportForm(request.POST, request.FILES, unit=unit, user=request.user)
    if not form.is_valid():
        return _unit_page(request, unit, {"import": form}, status=400)
    result = sheets.import_targets(form.cleaned_data["file"], document=form.cleaned_data["document"], unit=unit,
                                   by=request.user)
    if not result.ok:
        return _unit_page(request, unit, {"import": form}, status=400, problems=result.problems)
    messages.success(request, f"Đã nhập {len(result.created)} chỉ tiêu và {result.values} kết quả.")
    return redirect("targets-unit", pk=unit.pk)


@login_required
def template_file(request):
    response = HttpResponse(sheets.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-chi-tieu.xlsx"'
    return response


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def unit_export(request, pk: int):
    unit, year = _unit(request, pk), _year(request)
    table = tables.rows(tables.unit_targets(unit, request.user, year), year, request.user, depth=0)
    return _xlsx(sheets.export(table, year, f"Chỉ tiêu năm {year} của {unit.name}"), f"chi-tieu-{unit.pk}-{year}.xlsx")


def _document_targets(request, doc: Document, year: int):
    """The document's targets the user sees that are not parts of another of them (those show in the
    drill-down): for the province's officer its own targets, for a commune's the parts given to the commune."""
    visible = Target.objects.visible_to(request.user).filter(document=doc)
    return (visible.of_year(year).exclude(parent__in=visible.values("pk"))
            .select_related("unit", "group", "document").order_by("unit__path", "group__position", "position", "id"))


def _document(request, pk: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user), pk=pk)


@login_required
def document_page(request, pk: int):
    doc, year = _document(request, pk), _year(request)
    table = tables.rows(_document_targets(request, doc, year), year, request.user, depth=0)
    years = sorted(set(Target.objects.visible_to(request.user).filter(document=doc).values_list("from_year",
                                                                                               flat=True)))
    return render(request, "targets/document.html", {
        "doc": doc, "year": year, "groups": _grouped(table), "summary": tables.summary(table), "years": years,
        "notes": STATUS_NOTES})


@login_required
def document_export(request, pk: int):
    doc, year = _document(request, pk), _year(request)
    table = tables.rows(_document_targets(request, doc, year), year, request.user, depth=0)
    return _xlsx(sheets.export(table, year, f"Chỉ tiêu năm {year} theo {doc.symbol}"), f"chi-tieu-{doc.pk}-{year}.xlsx")


def _detail(request, target: Target, forms: dict | None = None, status: int = 200):
    user, year = request.user, _year(request)
    year = year if target.from_year <= year <= target.to_year else target.from_year
    forms = forms or {}
    [row] = tables.rows([target], year, user, depth=1)
    may = can(user, ACTION, target.unit.path)
    context = {"t": target, "row": row, "year": year, "years": range(target.from_year, target.to_year + 1),
               "plans": target.plans.all(), "values": target.values.select_related("entered_by"),
               "can_manage": may, "notes": STATUS_NOTES, "yes_no": target.kind == Kind.YES_NO,
               "computed": target.source == Source.COMPUTED}
    if may:
        context["value_form"] = forms.get("value") or ValueForm(initial={"year": year})
        below = OrgUnit.objects.visible_to(user).filter(parent=target.unit).open().exclude(
            pk__in=target.children.values("unit_id")).order_by("path")
        plan_years = sorted(p.year for p in context["plans"])
        context["cascade_form"] = forms.get("cascade") or CascadeForm(target=target, units=below, years=plan_years)
    return render(request, "targets/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, _target(request, pk))


@login_required
def enter_value(request, pk: int):
    target = _target(request, pk)
    _writable(request, target.unit)
    if request.method != "POST":
        return redirect("targets-detail", pk=target.pk)
    form = ValueForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            row = svc.enter_value(target, value=d["value"], year=d["year"], period_end=d["period_end"],
                                  evidence=d["evidence"], attachment=d["attachment"], by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã ghi kết quả.")
            return redirect(f"{target_url(target)}?nam={row.period_end.year}")
    return _detail(request, target, {"value": form}, status=400)


def target_url(target: Target) -> str:
    return reverse("targets-detail", args=[target.pk])


@login_required
def cascade(request, pk: int):
    target = _target(request, pk)
    _writable(request, target.unit)
    if request.method != "POST":
        return redirect("targets-detail", pk=target.pk)
    below = OrgUnit.objects.visible_to(request.user).filter(parent=target.unit).open().exclude(
        pk__in=target.children.values("unit_id")).order_by("path")
    form = CascadeForm(request.POST, target=target, units=below, years=sorted(target.plans.values_list("year",
                                                                                                        flat=True)))
    if form.is_valid():
        try:
            children = svc.cascade(target, mode=form.cleaned_data["mode"], parts=form.parts(), by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã giao chỉ tiêu cho {len(children)} đơn vị.")
            return redirect("targets-detail", pk=target.pk)
    return _detail(request, target, {"cascade": form}, status=400)


@login_required
def compute(request, pk: int):
    target = _target(request, pk)
    _writable(request, target.unit)
    year = _year(request)
    if request.method == "POST":
        try:
            svc.record_computed(target, year, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã ghi số liệu tính từ hồ sơ.")
    return redirect(f"{target_url(target)}?nam={year}")
