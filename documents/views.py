"""Pages of the register: search, enter or issue a document, its page with the lineage, the units still to
act, the dissemination coverage and records. Rows through `visible_to`; a document outside the user's subtree
is 404; every write goes through `documents.services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can, can_anywhere
from core.text import fold
from documents import lineage, services
from documents.forms import DisseminationForm, DocumentForm, EditForm, SearchForm
from documents.models import Dissemination, Document
from documents.rules import UNSURE_TYPES, DocType
from documents.symbols import parse
from members import stats
from orgs.models import OrgUnit

PAGE_SIZE = 50


def _writable_units(user):
    return OrgUnit.objects.visible_to(user, services.ACTION).open().order_by("path")


def _document(request, pk: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user).select_related("unit", "implements"), pk=pk)


@login_required
def document_list(request):
    form = SearchForm(request.GET or None)
    rows = Document.objects.visible_to(request.user).select_related("unit")
    if form.is_valid():
        q, d = form.cleaned_data["q"].strip(), form.cleaned_data
        symbol = parse(q)
        if symbol:
            rows = rows.filter(number=symbol.number, doc_type=symbol.doc_type, issuer=symbol.issuer)
        elif q:
            rows = rows.filter(folded_title__contains=fold(q))
        if d["loai"]:
            rows = rows.filter(doc_type=d["loai"])
        if d["co_quan"].strip():
            rows = rows.filter(issuer__iexact=d["co_quan"].strip())
        if d["tu"]:
            rows = rows.filter(issued_on__gte=d["tu"])
        if d["den"]:
            rows = rows.filter(issued_on__lte=d["den"])
    page = Paginator(rows.order_by("-issued_on", "-id"), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "documents/list.html", {"form": form, "page": page,
                                                   "can_write": can_anywhere(request.user, services.ACTION)})


@login_required
def create(request):
    user = request.user
    if not can_anywhere(user, services.ACTION):
        raise PermissionDenied("Bạn không có quyền ghi văn bản.")
    units = _writable_units(user)
    form = DocumentForm(request.POST or None, request.FILES or None, user=user, units=units,
                        initial={"implements": request.GET.get("thuc_hien", "")})
    if request.method == "POST" and form.is_valid():
        try:
            document = _save(form.cleaned_data, user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã ghi văn bản {document.number_line}.")
            return redirect("documents-detail", pk=document.pk)
    return render(request, "documents/form.html", {"form": form, "unsure_types": sorted(UNSURE_TYPES)},
                  status=400 if form.errors else 200)


@transaction.atomic
def _save(d: dict, user) -> Document:
    unit, symbol = d["unit"], d["symbol"]
    extra = {"implements": d["implements"], "replaces": d["replaces"], "review_due": d["review_due"],
             "final_review_due": d["final_review_due"]}
    if symbol is None:  # the next number of the type in the unit's term
        document = services.issue(unit=unit, doc_type=d["doc_type"], on=d["issued_on"], title=d["title"], by=user,
                                  implements=d["implements"])
        return services.update(document, {**extra, "status": d["status"], "attachment": d["attachment"] or ""},
                               by=user)
    return services.register(unit=unit, issuer=symbol.issuer, doc_type=symbol.doc_type, number=symbol.number,
                             issued_on=d["issued_on"], title=d["title"], status=d["status"], by=user,
                             attachment=d["attachment"], **extra)


def _render_detail(request, document: Document, forms: dict | None = None, status: int = 200):
    user, forms = request.user, forms or {}
    tree = lineage.lineage(document, user)
    top = OrgUnit.objects.tops_for(user).order_by("path").first()
    unit = document.unit if document.unit and can(user, "view", document.unit.path) else top
    writable = _writable_units(user)
    context = {
        "document": document, "tree": tree, "doc_type_unsure": document.doc_type in UNSURE_TYPES,
        "coverage": lineage.coverage(lineage.documents_of(tree), unit, user) if unit else None, "coverage_unit": unit,
        "records": Dissemination.objects.visible_to(user).filter(document=document).select_related("unit")
        .order_by("unit__path", "held_on")[:500],
        "can_edit": services.may_write(user, document.unit)
        and (document.unit is not None or services.may_change_external(user)),
        "can_disseminate": writable.exists(),
        "doc_type_label": DocType(document.doc_type).label,
    }
    if context["can_disseminate"]:
        context["dissemination_form"] = forms.get("dissemination") or DisseminationForm(units=writable)
    if context["can_edit"]:
        context["edit_form"] = forms.get("edit") or EditForm(initial={
            name: getattr(document, name) for name in EditForm.base_fields})
    return render(request, "documents/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _render_detail(request, _document(request, pk))


@login_required
def edit(request, pk: int):
    document = _document(request, pk)
    if request.method != "POST":
        return redirect("documents-detail", pk=pk)
    form = EditForm(request.POST)
    if form.is_valid():
        try:
            services.update(document, form.cleaned_data, by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã lưu.")
            return redirect("documents-detail", pk=pk)
    document.refresh_from_db()
    return _render_detail(request, document, {"edit": form}, status=400)


@login_required
def disseminate(request, pk: int):
    document = _document(request, pk)
    if request.method != "POST":
        return redirect("documents-detail", pk=pk)
    form = DisseminationForm(request.POST, units=_writable_units(request.user))
    if form.is_valid():
        d = form.cleaned_data
        total = d["total"] or stats.rollup([d["unit"]], request.user, d["held_on"])[d["unit"].pk].total
        try:
            services.disseminate(document, unit=d["unit"], held_on=d["held_on"], form=d["form"],
                                 attended=d["attended"], total=total, note=d["note"], by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã ghi việc quán triệt của {d['unit'].name}.")
            return redirect("documents-detail", pk=pk)
    return _render_detail(request, document, {"dissemination": form}, status=400)


@login_required
def attachment(request, pk: int):
    document = _document(request, pk)
    if not document.attachment:
        raise Http404
    return FileResponse(document.attachment.open("rb"), as_attachment=True,
                        filename=document.attachment.name.rsplit("/", 1)[-1])
