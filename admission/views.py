"""Pages: the candidates in the user's subtree (filters by unit, step, overdue), a candidate's file with its
timeline and the form of the next step, and the create/edit form. Rows through `visible_to`; outside the
subtree 404, without the right to write 403; every write goes through `admission.services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from admission import paperwork, queries, rules, services
from admission.forms import CandidateForm, ChooseCellForm, FilterForm, StepForm
from admission.models import BEFORE_CEREMONY, Candidate
from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can, can_anywhere
from members import privacy
from orgs.models import OrgUnit

PAGE_SIZE = 50


@login_required
def candidate_list(request):
    form = FilterForm(request.GET or None, user=request.user)
    d = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    rows = queries.filtered(request.user, unit=d.get("unit"), stage=d.get("stage", ""),
                            overdue=d.get("overdue", False), q=d.get("q", ""), today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for c in page:
        c.is_overdue = c.overdue(today)
    return render(request, "admission/list.html", {
        "form": form, "page": page, "today": today, "can_write": can_anywhere(request.user, services.ACTION),
        "unsure": rules.UNSURE_NOTES})


def _candidate(request, pk: int) -> Candidate:
    return get_object_or_404(Candidate.objects.visible_to(request.user).select_related("unit", "member"), pk=pk)


def _render_detail(request, c: Candidate, step_form=None, status=200):
    may = can(request.user, services.ACTION, c.org_path)
    kinds = services.next_steps(c)
    today = timezone.localdate()
    entry, competent = services.competent_of(c.unit, today)
    context = {
        "c": c, "steps": c.steps.select_related("by").all(), "papers": set(paperwork.PAPERS), "helpers": c.helpers.all(), "may": may,
        "overdue": c.overdue(today), "grassroots": services.grassroots_of(c.unit), "competent": competent,
        "competent_rule": entry, "unsure": rules.UNSURE_NOTES, "can_edit": may and c.stage in BEFORE_CEREMONY,
    }
    if may and kinds:
        context["step_form"] = step_form or StepForm(kinds=kinds, initial={"on": today.strftime("%d/%m/%Y")})
    return render(request, "admission/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _render_detail(request, _candidate(request, pk))


@login_required
def add_step(request, pk: int):
    c = _candidate(request, pk)
    if not can(request.user, services.ACTION, c.org_path):
        raise PermissionDenied("Bạn không có quyền ghi hồ sơ kết nạp đảng viên của chi bộ này.")
    if request.method != "POST":
        return redirect("admission-detail", pk=c.pk)
    form = StepForm(request.POST, kinds=services.next_steps(c))
    if form.is_valid():
        d = form.cleaned_data
        try:
            step = services.do_step(c, d["kind"], by=request.user, **{k: v for k, v in d.items() if k != "kind"})
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã ghi: {step.get_kind_display()}.")
            return redirect("admission-detail", pk=c.pk)
    c.refresh_from_db()
    return _render_detail(request, c, form, status=400)


@login_required
def create(request):
    """First the cell (its members are the ones offered as helpers and introducers), then the form."""
    unit_id = request.POST.get("unit") or request.GET.get("unit")
    unit = None
    if unit_id and str(unit_id).isdigit():
        unit = OrgUnit.objects.visible_to(request.user).filter(pk=unit_id, kind__in=services.CELL_KINDS).first()
    if unit is None:
        choose = ChooseCellForm(request.GET or None, user=request.user)
        return render(request, "admission/form.html", {"choose": choose})
    if not can(request.user, services.ACTION, unit.path):
        raise PermissionDenied("Bạn không có quyền ghi hồ sơ kết nạp đảng viên của chi bộ này.")
    form = CandidateForm(request.POST or None, unit=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        helpers = d.pop("helpers", [])
        try:
            c = services.register(unit, by=request.user, helpers=helpers, **_blank_to_empty(d))
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã đưa {c.full_name} vào danh sách xem xét kết nạp.")
            return redirect("admission-detail", pk=c.pk)
    return render(request, "admission/form.html", {"form": form, "unit": unit},
                  status=400 if request.method == "POST" else 200)


def _blank_to_empty(d: dict) -> dict:
    # Text fields of the model are NOT NULL: an empty input is "", never None.
    text = {f.name for f in Candidate._meta.concrete_fields if f.get_internal_type() in ("CharField", "TextField")}
    return {k: ("" if v is None and k in text else v) for k, v in d.items()}


@login_required
def edit(request, pk: int):
    c = _candidate(request, pk)
    if not can(request.user, services.ACTION, c.org_path):
        raise PermissionDenied("Bạn không có quyền ghi hồ sơ kết nạp đảng viên của chi bộ này.")
    form = CandidateForm(request.POST or None, instance=Candidate.objects.get(pk=c.pk), unit=c.unit,
                         user=request.user)
    if request.method != "POST" and form.may_see_sensitive:  # the form holds the CCCD and religion whole
        privacy.record_view(request.user, c, privacy.whole_fields(request.user, c.org_path) - {"relatives"},
                            "mẫu sửa hồ sơ kết nạp")
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        helpers = d.pop("helpers", [])
        try:
            services.update(c, _blank_to_empty(d), by=request.user, helpers=helpers)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã lưu hồ sơ.")
            return redirect("admission-detail", pk=c.pk)
    return render(request, "admission/form.html", {"form": form, "unit": c.unit, "c": c},
                  status=400 if request.method == "POST" else 200)


@login_required
def paper(request, pk: int, step_id: int):
    """The Word file of a step's paper (the cell's resolution, the admission or recognition decision)."""
    c = _candidate(request, pk)
    step = get_object_or_404(c.steps.all(), pk=step_id)
    if step.kind not in paperwork.PAPERS or not step.passed:
        raise Http404
    name, data = paperwork.render(c, step)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
