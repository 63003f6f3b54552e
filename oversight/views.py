"""Pages: cases, discipline and petitions (lists, records, forms) and the period's statistics.

Only those with the inspection right ("inspect", access/rules.py) see any of it: anyone else gets 404, as if
there were nothing here. Rows through `visible_to(user, "inspect")`; every write through `oversight.services`.
"""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can_anywhere
from core.text import vn_date
from orgs.models import OrgUnit
from oversight import petitions, services
from oversight import programmes as plans
from oversight.export import xlsx
from oversight.forms import (
    AppealForm,
    CaseForm,
    ClosePetitionForm,
    ConcludeForm,
    DisciplineForm,
    LinkCaseForm,
    NewViolationForm,
    PeriodForm,
    PetitionForm,
    ProgrammeForm,
    ProgrammeItemForm,
    SettleAppealForm,
    StateNoticeForm,
    StepForm,
)
from oversight.models import ACTION, Case, DisciplineDecision, Petition, Programme, StateNotice
from oversight.rules import UNSURE_NOTES, CaseType, authorities
from oversight.stats import statistics

PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request) -> None:
    if not can_anywhere(request.user, ACTION):
        raise Http404


def _within(request) -> OrgUnit | None:
    """The unit whose members the forms list (?to_chuc=), else the user's highest unit."""
    pk = request.GET.get("to_chuc", "")
    units = OrgUnit.objects.visible_to(request.user, ACTION)
    unit = units.filter(pk=pk).first() if pk.isdigit() else None
    return unit or units.order_by("depth", "path").first()


def _page(request, rows):
    return Paginator(rows, PAGE).get_page(request.GET.get("page"))


@login_required
def index(request):
    _require(request)
    rows = Case.objects.visible_to(request.user).select_related("body").prefetch_related("subjects")
    kind = request.GET.get("loai", "")
    if kind in CaseType.values:
        rows = rows.filter(case_type=kind)
    return render(request, "oversight/cases.html", {"page": _page(request, rows), "types": CaseType.choices,
                                                    "kind": kind, "tab": "cases"})


@login_required
def discipline_list(request):
    _require(request)
    rows = DisciplineDecision.objects.visible_to(request.user)
    return render(request, "oversight/discipline_list.html", {"page": _page(request, rows), "tab": "discipline",
                                                              "today": timezone.localdate()})


@login_required
def petition_list(request):
    _require(request)
    rows = Petition.objects.visible_to(request.user).select_related("body")
    return render(request, "oversight/petitions.html", {"page": _page(request, rows), "tab": "petitions",
                                                        "today": timezone.localdate()})


def _form_page(request, form_class, save, title: str, initial=None):
    """A new record's form: valid and saved -> its page; otherwise the form again as typed, the message on its
    field."""
    _require(request)
    within = _within(request)
    form = form_class(request.POST or None, user=request.user, within=within, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã ghi.")
            return redirect(obj)
    return render(request, "oversight/form.html", {"form": form, "title": title, "within": within,
                                                   "unsure": UNSURE_NOTES},
                  status=400 if request.method == "POST" else 200)


@login_required
def case_new(request):
    def save(d):
        return services.open_case(d["body"], case_type=d["case_type"], content=d["content"], opened_on=d["opened_on"],
                                  due_on=d["due_on"], subjects=list(d["members"]) + list(d["units"]), by=request.user)
    return _form_page(request, CaseForm, save, "Mở cuộc kiểm tra, giám sát")


@login_required
def discipline_new(request):
    case = None
    if request.GET.get("case", "").isdigit():
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=request.GET["case"])
    initial = {"member": request.GET.get("member")} if request.GET.get("member") else {}

    def save(d):
        return services.decide(
            deciding_unit=d["deciding_unit"], deciding_body=d["deciding_body"], form=d["form"], member=d["member"],
            subject_unit=d["subject_unit"], votes_for=d["votes_for"], votes_total=d["votes_total"],
            proposal_for=d["proposal_for"], proposal_total=d["proposal_total"], violation_on=d["violation_on"],
            new_violation_on=d["new_violation_on"], deferred_days=d["deferred_days"] or 0,
            categories=d["categories"], reason=d["reason"], decision_number=d["decision_number"],
            decided_on=d["decided_on"], effective_on=d["effective_on"], case=case, by=request.user)
    return _form_page(request, DisciplineForm, save, "Ghi quyết định kỷ luật", initial)


@login_required
def petition_new(request):
    def save(d):
        return petitions.receive_petition(d["body"], kind=d["kind"], received_on=d["received_on"], content=d["content"],
                                         member=d["member"], subject_unit=d["subject_unit"], anonymous=d["anonymous"],
                                         sender=d["sender"], by=request.user)
    return _form_page(request, PetitionForm, save, "Nhận đơn thư")


def _detail(request, template, obj, actions: dict, extra=None):
    """A record's page with its action forms; a POST names its form in `do`."""
    forms = {}
    for key, (form_class, act) in actions.items():
        posted = request.method == "POST" and request.POST.get("do") == key
        form = form_class(request.POST if posted else None, prefix=key)
        if posted and form.is_valid():
            try:
                act(form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, "Đã ghi.")
                return redirect(request.path)
        forms[key] = form
    bad = request.method == "POST"
    return render(request, template, {"obj": obj, "forms": forms, "today": timezone.localdate(), **(extra or {})},
                  status=400 if bad else 200)


@login_required
def case_detail(request, pk: int):
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("body__unit"), pk=pk)
    actions = {}
    if case.is_open:
        actions = {
            "step": (StepForm, lambda d: services.add_step(case, on=d["on"], text=d["text"], by=request.user)),
            "conclude": (ConcludeForm, lambda d: services.conclude_case(case, by=request.user, **d)),
        }
    return _detail(request, "oversight/case.html", case, actions,
                   {"subjects": case.subjects.all(), "decisions": case.decisions.all(),
                    "petitions": case.petitions.all()})


@login_required
def discipline_detail(request, pk: int):
    d = get_object_or_404(DisciplineDecision.objects.visible_to(request.user)
                          .select_related("deciding_unit", "deciding_body", "case"), pk=pk)
    actions = {}
    if not d.appealed_on:
        actions["appeal"] = (AppealForm, lambda x: services.appeal(d, by=request.user, **x))
    elif not d.appeal_outcome:
        actions["settle"] = (SettleAppealForm, lambda x: services.settle_appeal(d, by=request.user, **x))
    if not d.repeated_on and d.lapses_on:
        actions["repeat"] = (NewViolationForm, lambda x: services.record_new_violation(d, by=request.user, **x))
    return _detail(request, "oversight/discipline.html", d, actions)


@login_required
def petition_detail(request, pk: int):
    p = get_object_or_404(Petition.objects.visible_to(request.user).select_related("body", "case"), pk=pk)
    actions = {}
    if not p.closed_on:
        actions["close"] = (ClosePetitionForm, lambda d: petitions.close_petition(p, by=request.user, **d))
    return _detail(request, "oversight/petition.html", p, actions)


def _quarter(today: date) -> tuple[date, date]:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


@login_required
def stats_page(request):
    _require(request)
    start, end = _quarter(timezone.localdate())
    top = OrgUnit.objects.visible_to(request.user, ACTION).order_by("depth", "path").first()
    data = None
    if request.GET:  # a link may give only the unit: the current quarter then
        data = request.GET.copy()
        data.setdefault("from_on", vn_date(start))
        data.setdefault("to_on", vn_date(end))
    form = PeriodForm(data, user=request.user, initial={"unit": top, "from_on": start, "to_on": end})
    figures = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        figures = statistics(request.user, d["unit"], d["from_on"], d["to_on"])
    elif not form.is_bound and top is not None:
        figures = statistics(request.user, top, start, end)
    if figures is not None and request.GET.get("xlsx"):
        response = HttpResponse(xlsx(figures), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="thong-ke-kiem-tra.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "oversight/stats.html", {"form": form, "figures": figures, "tab": "stats",
                                                    "unsure": UNSURE_NOTES, "authorities": authorities()})


@login_required
def notices(request):
    """Notices from state bodies, the Front and mass organizations (the 5-day duty), and the form to record one."""
    _require(request)
    within = _within(request)
    form = StateNoticeForm(request.POST or None, user=request.user, within=within)
    if request.method == "POST" and form.is_valid():
        try:
            petitions.record_state_notice(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã ghi.")
            return redirect("oversight-notices")
    rows = StateNotice.objects.visible_to(request.user)
    return render(request, "oversight/notices.html", {"page": _page(request, rows), "form": form, "tab": "notices"},
                  status=400 if request.method == "POST" else 200)


@login_required
def programmes(request):
    rows = Programme.objects.visible_to(request.user).select_related("body").prefetch_related("items__case")
    for p in rows:
        p.planned, p.completed = len(p.items.all()), sum(i.done for i in p.items.all())
    return _list_with_form(request, rows, ProgrammeForm, lambda d: plans.create_programme(by=request.user, **d),
                           "oversight/programmes.html", "programmes")


def _list_with_form(request, rows, form_class, save, template, tab):
    _require(request)
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã ghi.")
            return redirect(obj)
    return render(request, template, {"rows": rows, "form": form, "tab": tab},
                  status=400 if request.method == "POST" else 200)


@login_required
def programme_detail(request, pk: int):
    p = get_object_or_404(Programme.objects.visible_to(request.user).select_related("body__unit"), pk=pk)

    def link(d):
        item = get_object_or_404(p.items, pk=d["item"])
        case = Case.objects.visible_to(request.user).filter(pk=d["case"]).first()
        if case is None:
            raise DomainError(f"Không tìm thấy cuộc kiểm tra, giám sát số {d['case']} trong phạm vi của bạn.",
                              field="case")
        return plans.link_case(item, case, by=request.user)

    actions = {"item": (ProgrammeItemForm, lambda d: plans.add_programme_item(p, by=request.user, **d)),
               "link": (LinkCaseForm, link)}
    cases = Case.objects.filter(body=p.body, opened_on__year=p.year, planned_as__isnull=True).order_by("opened_on")
    return _detail(request, "oversight/programme.html", p, actions,
                   {"items": p.items.select_related("case"), "cases": cases})
