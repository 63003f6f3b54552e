"""Pages: an organization's bodies with their posts and vacancies, its terms and congresses, and which of
the organizations below have held their congress for a term. Rows through `visible_to`; a unit outside the
user's subtree is 404; every write goes through `bodies.services` / `bodies.congresses`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from bodies import congresses, rules, services
from bodies.forms import BodyForm, CongressForm, EndPostForm, ManagedForm, PostForm, TermForm
from bodies.models import Body, Congress, Post, Term
from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can
from core.text import vn_date
from orgs.models import Kind, OrgUnit

DEFAULT_TERM = "2025–2030"
WIDE = {Kind.CENTRAL, Kind.PROVINCE, Kind.UNDER_CENTRAL}


def _unit(request, pk: int) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk)


@login_required
def index(request):
    """The bodies of the user's highest unit."""
    top = OrgUnit.objects.tops_for(request.user).order_by("path").first()
    if top is None:
        return render(request, "bodies/unit.html", {"unit": None})
    return redirect("bodies-unit", pk=top.pk)


def _bodies(unit: OrgUnit) -> list[Body]:
    today = timezone.localdate()
    order = list(rules.BodyKind.values)  # committee, standing committee … boards: the order reports name them
    bodies = sorted(Body.objects.filter(unit=unit),
                    key=lambda b: (not b.is_open_on(today), order.index(b.kind), b.valid_from, b.name))
    current = {}
    for p in Post.objects.filter(body__in=bodies).open_on(today).select_related("member").order_by("from_on", "id"):
        current.setdefault(p.body_id, []).append(p)
    for b in bodies:
        b.current = current.get(b.pk, [])
        b.vacancies = max(b.size - len(b.current), 0) if b.size else None
        b.open_today = b.is_open_on(today)
    return bodies


def _congresses(unit: OrgUnit) -> list[Congress]:
    rows = list(Congress.objects.filter(unit=unit).annotate(elected=Count("posts"))
                .prefetch_related("delegates_up").order_by("term_label"))
    for c in rows:
        c.up = [m.full_name for m in c.delegates_up.all()]
    return rows


def _render(request, unit: OrgUnit, forms: dict | None = None, status: int = 200):
    user = request.user
    may = can(user, services.ACTION, unit.path)
    forms = forms or {}
    term = (request.GET.get("nk") or DEFAULT_TERM).replace("-", "–")
    # Below a province the cells are counted too; at the province they are too many to list.
    kinds = None if unit.kind in WIDE else congresses.CONGRESS_KINDS
    progress = congresses.progress(OrgUnit.objects.visible_to(user).subtree(unit).exclude(pk=unit.pk), term, kinds)
    context = {
        "unit": unit,
        "bodies": _bodies(unit),
        "past_posts": Post.objects.filter(body__unit=unit, to_on__lt=timezone.localdate())
        .select_related("member", "body").order_by("-to_on")[:50],
        "terms": Term.objects.filter(unit=unit).order_by("starts_on"),
        "congresses": _congresses(unit),
        "term": term,
        "progress": progress,
        "can_manage": may,
        "unsure": rules.UNSURE_NOTES,
        "boards": rules.boards_on(unit.kind, timezone.localdate()),
    }
    if may:
        context.update({
            "body_form": forms.get("body") or BodyForm(unit=unit),
            "post_form": forms.get("post") or PostForm(unit=unit, user=user),
            "term_form": forms.get("term") or TermForm(),
            "congress_form": forms.get("congress") or CongressForm(initial={"term_label": term}),
        })
        if any(b.kind == rules.BodyKind.STANDING for b in context["bodies"]):
            context["managed_form"] = forms.get("managed") or ManagedForm(unit=unit, user=user)
    return render(request, "bodies/unit.html", context, status=status)


@login_required
def unit_page(request, pk: int):
    return _render(request, _unit(request, pk))


def _writable(request, pk: int) -> OrgUnit:
    unit = _unit(request, pk)
    if not can(request.user, services.ACTION, unit.path):
        raise PermissionDenied("Bạn không có quyền ghi cơ quan, chức vụ, đại hội của tổ chức này.")
    return unit


def _write(request, pk: int, key: str, make_form, save, done: str):
    """A POST of one of the page's forms: valid and saved -> back to the page; otherwise the page again with
    the form as typed and the message on its field."""
    unit = _writable(request, pk)
    if request.method != "POST":
        return redirect("bodies-unit", pk=unit.pk)
    form = make_form(unit)
    if form.is_valid():
        try:
            save(unit, form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("bodies-unit", pk=unit.pk)
    return _render(request, unit, {key: form}, status=400)


@login_required
def add_body(request, pk: int):
    def save(unit, d):
        services.create_body(unit, kind=d["kind"], name=d["name"], symbol=d["symbol"], size=d["size"],
                             valid_from=d["valid_from"], by=request.user)
    return _write(request, pk, "body", lambda u: BodyForm(request.POST, unit=u), save, "Đã lập cơ quan.")


@login_required
def add_post(request, pk: int):
    def save(unit, d):
        services.add_post(d["body"], d["member"], title=d["title"], how=d["how"], from_on=d["from_on"],
                          to_on=d["to_on"], decision=d["decision"], unit=unit, by=request.user)
    return _write(request, pk, "post", lambda u: PostForm(request.POST, unit=u, user=request.user), save,
                  "Đã ghi chức vụ.")


@login_required
def add_term(request, pk: int):
    def save(unit, d):
        congresses.create_term(unit, label=d["label"], starts_on=d["starts_on"], ends_on=d["ends_on"],
                               by=request.user)
    return _write(request, pk, "term", lambda u: TermForm(request.POST), save, "Đã ghi nhiệm kỳ.")


@login_required
def save_congress(request, pk: int):
    def save(unit, d):
        congresses.save_congress(unit, by=request.user, **d)
    return _write(request, pk, "congress", lambda u: CongressForm(request.POST), save, "Đã ghi đại hội.")


@login_required
def add_managed(request, pk: int):
    def save(unit, d):
        services.mark_managed(d["member"], d["body"], from_on=d["from_on"], by=request.user)
    return _write(request, pk, "managed", lambda u: ManagedForm(request.POST, unit=u, user=request.user), save,
                  "Đã ghi diện Ban Thường vụ quản lý.")


@login_required
def end_post(request, pk: int):
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("body__unit", "member"), pk=pk)
    unit = _writable(request, post.body.unit_id)
    form = EndPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_post(post, to_on=form.cleaned_data["to_on"], decision=form.cleaned_data["decision"],
                              by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"{post.member.full_name} thôi giữ chức từ {vn_date(post.to_on)}.")
            return redirect("bodies-unit", pk=unit.pk)
    return render(request, "bodies/end_post.html", {"post": post, "form": form, "unit": unit},
                  status=400 if request.method == "POST" else 200)
