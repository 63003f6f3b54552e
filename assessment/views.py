"""Pages: the review rounds, a round with its subjects and the forms of each step, the results of a unit and
year. Rows through `visible_to`; a round or unit outside the user's subtree is 404; every write goes through
`assessment.services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from assessment import evidence, export, figures, results, rules, services
from assessment.checks import ACTION
from assessment.forms import DecisionForm, ExceptionForm, ProposalForm, RoundForm, SelfForm
from assessment.models import QuotaException, Rating, Round
from assessment.rules import Subject
from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can_anywhere, scope_prefixes
from orgs.models import OrgUnit


@login_required
def round_list(request):
    rounds = (Round.objects.visible_to(request.user).select_related("unit")
              .order_by("-year", "unit__path", "subject")[:300])
    form = None
    if can_anywhere(request.user, ACTION):
        form = RoundForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                round_ = services.create_round(d["unit"], year=d["year"], subject=d["subject"], title=d["title"],
                                               self_due=d["self_due"], proposal_due=d["proposal_due"],
                                               decision_due=d["decision_due"], by=request.user)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, f"Đã mở đợt “{round_}”.")
                return redirect("assessment-round", pk=round_.pk)
    elif request.method == "POST":
        raise PermissionDenied("Bạn không có quyền mở đợt đánh giá, xếp loại.")
    return render(request, "assessment/rounds.html", {"rounds": rounds, "form": form},
                  status=400 if request.method == "POST" else 200)


TABLE_MAX = 1000  # rows of a round's table; a bigger round is read one cell at a time (?chi_bo=)


def _may_write(user, round_: Round) -> bool:
    """Whether `user` may write some step of the round: over its unit, or over a part of its subtree (a cell's
    secretary enters the cell's self-assessments and proposals; the services check each subject)."""
    prefixes = scope_prefixes(user, ACTION)
    return prefixes is None or any(p.startswith(round_.unit.path) or round_.unit.path.startswith(p) for p in prefixes)


def _round(request, pk: int) -> Round:
    return get_object_or_404(Round.objects.visible_to(request.user).select_related("unit"), pk=pk)


def _render(request, round_: Round, forms: dict | None = None, status: int = 200):
    user, forms = request.user, forms or {}
    rows = Rating.objects.visible_to(user).filter(round=round_)
    cell = request.GET.get("chi_bo", "")
    if cell.isdigit():
        rows = rows.filter(subject_unit_id=int(cell))
    ratings = list(rows.select_related("member", "unit", "subject_unit", "body")
                   .order_by("subject_unit__path", "id")[:TABLE_MAX + 1])
    more = len(ratings) > TABLE_MAX
    ratings = ratings[:TABLE_MAX]
    notes = evidence.for_ratings(ratings, user, round_.year)
    for r in ratings:
        r.evidence = notes.get(r.pk, [])
    context = {"round": round_, "ratings": ratings, "more": more, "table_max": TABLE_MAX, "may": round_.is_open and _may_write(user, round_),
               "stages": {s: sum(r.stage == s for r in ratings) for s in ("self", "proposed", "decided")},
               "conditions": [(rules.Level(lv).label, cs) for lv, cs in rules.CONDITIONS.items() if cs],
               "unsure": rules.UNSURE_NOTES, "exceptions": QuotaException.objects.filter(
                   year=round_.year, subject=round_.subject, body__in=[r.body_id for r in ratings if r.body_id])}
    if context["may"]:
        decision = forms.get("decision") or DecisionForm(round_=round_, user=user)
        context.update({
            "self_form": forms.get("self") or SelfForm(round_=round_, user=user),
            "proposal_form": forms.get("proposal") or ProposalForm(round_=round_, user=user),
            "decision_form": decision,
            "exception_form": forms.get("exception") or ExceptionForm(decision_form=decision),
        })
    return render(request, "assessment/round.html", context, status=status)


@login_required
def round_page(request, pk: int):
    return _render(request, _round(request, pk))


def _step(request, pk: int, key: str, make_form, save, done: str):
    round_ = _round(request, pk)
    if not _may_write(request.user, round_):
        raise PermissionDenied("Bạn không có quyền ghi kết quả đánh giá, xếp loại của tổ chức này.")
    if request.method != "POST":
        return redirect("assessment-round", pk=round_.pk)
    form = make_form(round_)
    if form.is_valid():
        try:
            save(round_, form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("assessment-round", pk=round_.pk)
    return _render(request, round_, {key: form}, status=400)


@login_required
def self_assess(request, pk: int):
    def save(round_, d):
        who = {"member": d["subject"]} if round_.subject == Subject.MEMBERS else {"unit": d["subject"]}
        services.self_assess(round_, score=d["score"], level=d["level"], text=d["text"], reason=d["reason"],
                             on=d["on"], by=request.user, **who)
    return _step(request, pk, "self", lambda r: SelfForm(request.POST, round_=r, user=request.user), save,
                 "Đã ghi tự đánh giá.")


@login_required
def propose(request, pk: int):
    def save(round_, d):
        services.propose(d["rating"], level=d["level"], score=d["score"], note=d["note"], reason=d["reason"],
                         on=d["on"], by=request.user)
    return _step(request, pk, "proposal", lambda r: ProposalForm(request.POST, round_=r, user=request.user), save,
                 "Đã ghi đề xuất.")


@login_required
def decide(request, pk: int):
    def save(round_, d):
        services.decide(d["rating"], level=d["level"], body=d["body"], on=d["on"], score=d["score"],
                        reason=d["reason"], disqualifiers=d["disqualifiers"], by=request.user)
    return _step(request, pk, "decision", lambda r: DecisionForm(request.POST, round_=r, user=request.user), save,
                 "Đã ghi quyết định xếp loại.")


@login_required
def add_exception(request, pk: int):
    def make(round_):
        return ExceptionForm(request.POST, decision_form=DecisionForm(round_=round_, user=request.user))

    def save(round_, d):
        services.record_exception(d["body"], year=round_.year, subject=round_.subject, reason=d["reason"],
                                  decision=d["decision"], by=request.user)
    return _step(request, pk, "exception", make, save, "Đã ghi nhận thành tích nổi trội: tỷ lệ tối đa 25%.")


@login_required
def publish(request, pk: int):
    round_ = _round(request, pk)
    if request.method != "POST":
        return redirect("assessment-round", pk=round_.pk)
    try:
        services.publish(round_, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã công bố kết quả.")
    return redirect("assessment-round", pk=round_.pk)


def _year(request) -> int:
    try:
        return int(request.GET.get("nam") or timezone.localdate().year - 1)
    except ValueError:
        return timezone.localdate().year - 1


def _results_unit(request) -> OrgUnit | None:
    pk = request.GET.get("to_chuc")
    if pk:
        return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk if pk.isdigit() else 0)
    return OrgUnit.objects.tops_for(request.user).order_by("path").first()


@login_required
def results_page(request):
    unit, year = _results_unit(request), _year(request)
    context = {"unit": unit, "year": year}
    if unit is not None:
        user = request.user
        context.update({
            "dists": [results.distribution(unit, user, year, s) for s in Subject.values],
            "trends": [(Subject(s).label, results.trend(unit, user, year, s)) for s in Subject.values],
            "lows": [(Subject(s).label, results.low(unit, user, year, s)) for s in Subject.values],
            "streaks": [(Subject(s).label, results.streaks(unit, user, year, s)) for s in Subject.values],
            "streak_years": rules.rule("STREAK_YEARS"),
            "shares": [("Tổ chức cơ sở đảng", figures.share_good_or_better(unit, user, year, grassroots_only=True)),
                       ("Tổ chức đảng", figures.share_good_or_better(unit, user, year)),
                       ("Đảng viên", figures.share_good_or_better(unit, user, year, Subject.MEMBERS))],
            "units": OrgUnit.objects.visible_to(user).subtree(unit).exclude(kind__in=["chi_bo", "to_dang"])
            .order_by("path")[:200],
        })
    return render(request, "assessment/results.html", context)


@login_required
def results_export(request, fmt: str):
    unit, year = _results_unit(request), _year(request)
    if unit is None:
        raise PermissionDenied("Bạn chưa được giao phạm vi tổ chức nào.")
    if fmt not in ("xlsx", "docx"):
        raise Http404
    if fmt == "xlsx":
        data, mime = export.xlsx(unit, request.user, year), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = export.docx(unit, request.user, year, timezone.localdate())
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="xep-loai-{year}-{unit.pk}.{fmt}"'
    return response
