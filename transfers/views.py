"""Pages: the transfers list (outgoing, incoming, filters), one transfer with its steps, the start form (from
the member's page), the steps of each side, and the letter (Word). Rows through `visible_to` on both units'
paths: a transfer outside both is 404; every write goes through `transfers.services`, whose refusals land on
the form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can
from core.text import vn_date
from members.models import Member
from transfers import letter, rules, services
from transfers.forms import AcceptForm, CloseForm, PresentForm, ReturnForm, StartForm
from transfers.models import ALLOWED, Kind, Status, Transfer

PAGE_SIZE = 100
DIRECTIONS = {"": "Tất cả", "di": "Chuyển đi", "den": "Chuyển đến"}
STEPS = {
    "nop-giay": (Status.PRESENTED, PresentForm, "Ghi ngày nộp giấy giới thiệu"),
    "tiep-nhan": (Status.ACCEPTED, AcceptForm, "Tiếp nhận"),
    "khong-tiep-nhan": (Status.REFUSED, CloseForm, "Không tiếp nhận"),
    "huy": (Status.CANCELLED, CloseForm, "Hủy việc chuyển sinh hoạt"),
    "tro-ve": (Status.RETURNED, ReturnForm, "Ghi trở về"),
}


def _visible(request, pk: int) -> Transfer:
    rows = Transfer.objects.visible_to(request.user).select_related("member__unit", "from_unit", "to_unit")
    return get_object_or_404(rows, pk=pk)


@login_required
def index(request):
    user = request.user
    direction = request.GET.get("huong", "")
    status = request.GET.get("tinh_trang", "")
    kind = request.GET.get("hinh_thuc", "")
    rows = Transfer.objects.visible_to(user).direction(user, direction)
    if status == "mo":
        rows = rows.open()
    elif status in Status.values:
        rows = rows.filter(status=status)
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    rows = list(rows.select_related("member", "from_unit", "to_unit").order_by("-started_on", "-id")[:PAGE_SIZE])
    today = timezone.localdate()
    for t in rows:
        t.overdue = t.present_overdue(today)
    return render(request, "transfers/list.html", {
        "transfers": rows, "limit": PAGE_SIZE, "direction": direction, "status": status, "kind": kind,
        "directions": DIRECTIONS.items(), "statuses": [("mo", "Chưa xong"), *Status.choices], "kinds": Kind.choices,
    })


@login_required
def start(request, member_id: int):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("unit"), pk=member_id)
    if not can(request.user, services.ACTION, member.org_path):
        raise PermissionDenied("Bạn không có quyền chuyển sinh hoạt cho đảng viên này.")
    form = StartForm(request.POST or None, member=member,
                     initial={"started_on": vn_date(timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = services.start(member, kind=d["kind"], purpose=d["purpose"], to_unit=d["to_unit"],
                               to_outside=d["to_outside"], reason_on=d["reason_on"], started_on=d["started_on"],
                               decision_number=d["decision_number"], temp_from=d["temp_from"],
                               temp_until=d["temp_until"], note=d["note"], by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã cấp giấy giới thiệu {t.letter_symbol}: hạn nộp {vn_date(t.present_due)}.")
            return redirect("transfers-detail", pk=t.pk)
    return render(request, "transfers/start.html", {"member": member, "form": form, "unsure": rules.UNSURE,
                                                     "start_days": rules.rule("START_WORKING_DAYS"),
                                                     "present_days": rules.rule("PRESENT_WORKING_DAYS")})


def _actions(t: Transfer, user) -> list[tuple[str, str, object]]:
    """(url step, label, form) for each step this user may take now."""
    receiver = can(user, services.ACTION, services._receiver_side(t).path)
    sender = can(user, services.ACTION, t.from_unit.path)
    out = []
    for key, (to, form_class, label) in STEPS.items():
        if to not in ALLOWED[t.status]:
            continue
        if to == Status.RETURNED and t.kind != Kind.TEMPORARY:
            continue
        if (to in (Status.CANCELLED, Status.RETURNED) and sender) or (to not in (Status.CANCELLED, Status.RETURNED)
                                                                     and receiver):
            out.append((key, label, form_class))
    return out


def _form(form_class, t: Transfer, user, data=None):
    kwargs = {"transfer": t, "user": user} if form_class is AcceptForm else {}
    return form_class(data, prefix=form_class.__name__.lower(), **kwargs)


def _render(request, t: Transfer, bound=None, status: int = 200):
    user = request.user
    forms = []
    for key, label, form_class in _actions(t, user):
        form = bound[1] if bound and bound[0] == key else _form(form_class, t, user)
        forms.append((key, label, form))
    today = timezone.localdate()
    member_readable = (Member.objects.visible_to(user).filter(pk=t.member_id).exists()
                       or (t.is_open and Transfer.objects.filter(pk=t.pk).incoming_to(user).exists()))
    context = {"t": t, "forms": forms, "overdue": t.present_overdue(today), "today": today,
               "member_readable": member_readable, "unsure": rules.UNSURE,
               "from_visible": can(user, "view", t.from_unit.path),
               "to_visible": t.to_unit_id is not None and can(user, "view", t.to_unit.path)}
    return render(request, "transfers/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _render(request, _visible(request, pk))


@login_required
def step(request, pk: int, step: str):
    t = _visible(request, pk)
    if step not in STEPS:
        raise Http404("Không có bước này.")
    if request.method != "POST":
        return redirect("transfers-detail", pk=t.pk)
    allowed = {key: form_class for key, _label, form_class in _actions(t, request.user)}
    if step not in allowed:
        raise PermissionDenied("Bạn không thể ghi bước này cho việc chuyển sinh hoạt này.")
    form = _form(allowed[step], t, request.user, request.POST)
    if form.is_valid():
        d, by = form.cleaned_data, request.user
        try:
            if step == "nop-giay":
                services.present(t, on=d["on"], late_reason=d["late_reason"], by=by)
            elif step == "tiep-nhan":
                services.accept(t, on=d["on"], unit=d.get("unit"), late_reason=d.get("late_reason", ""), by=by)
            elif step == "khong-tiep-nhan":
                services.refuse(t, on=d["on"], reason=d["reason"], by=by)
            elif step == "huy":
                services.cancel(t, on=d["on"], reason=d["reason"], by=by)
            else:
                services.record_return(t, on=d["on"], by=by)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã ghi: {STEPS[step][2].lower()}.")
            return redirect("transfers-detail", pk=t.pk)
    return _render(request, _visible(request, pk), bound=(step, form), status=200)


@login_required
def letter_file(request, pk: int):
    t = _visible(request, pk)
    data = letter.build(t)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    name = f"giay-gioi-thieu-{t.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


