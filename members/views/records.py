"""One member: the record (lý lịch, party age, history, audit), recording an event, the create and
edit forms, and the photo.

CCCD, religion and family are shown whole only where `members.privacy` allows it, and each such
view is written to the audit log; elsewhere the CCCD shows its last four digits and the others
"(ẩn)". Every page here answers with `Cache-Control: no-store`. Writes go through `members.services`, which hold
every rule and write the audit entries; a rule's DomainError lands on the field it names.
"""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst

from audit.labels import readable_changes, unit_ids
from audit.models import AuditEntry
from audit.services import entries_about, record
from core import hooks
from core.errors import DomainError, DomainErrors
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can, can_anywhere
from core.text import vn_date
from members import collisions, leaving, privacy, rules, services
from members.choices import AcademicTitle, Degree, EventKind, Gender, StateManagementLevel, Status, TheoryLevel
from members.forms import GROUPS, EventForm, MemberForm, RelativeFormSet, relatives_of
from members.models import Member
from members.privacy import HIDDEN, mask_cccd, no_store
from orgs.models import OrgUnit

AUDIT_SHOWN = 50
TRANSFERS = {EventKind.MOVED, EventKind.TRANSFERRED_IN}
RELATIVES_PREFIX = "nguoi-than"
# Coded values of a member's audit entries as their labels (status last: it wins a shared code).
CHOICE_LABELS = {v: str(label) for cls in (Degree, AcademicTitle, StateManagementLevel, TheoryLevel, Gender, Status)
                 for v, label in cls.choices if v}


def _visible_member(request, pk: int) -> Member:
    return get_object_or_404(Member.objects.visible_to(request.user).select_related("unit"), pk=pk)


def _readable_member(request, pk: int) -> Member:
    """A member the user may read: in their reach, or (read-only) one a higher app lets them see through
    `core.hooks` "member-viewable" (transfers: the receiving unit of an open transfer sees the incoming
    member). Only the pages that read use this; every write keeps `_visible_member` and its `change` check."""
    try:
        return _visible_member(request, pk)
    except Http404:
        if not any(fn(request.user, pk) for fn in hooks.providers("member-viewable")):
            raise
        return get_object_or_404(Member.objects.select_related("unit"), pk=pk)


def _value(member: Member, name: str) -> str:
    field = Member._meta.get_field(name)
    if field.choices:
        value = getattr(member, f"get_{name}_display")()
    else:
        value = getattr(member, name)
    if hasattr(value, "year"):
        value = vn_date(value)
    return str(value) if value not in (None, "") else "—"


def _shown(member: Member, name: str, whole: frozenset[str]) -> str:
    if name not in privacy.SENSITIVE or name in whole:
        return _value(member, name)
    if name == "citizen_id":
        return mask_cccd(member.citizen_id) or "—"
    return HIDDEN


def _profile(member: Member, whole: frozenset[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The lý lịch by section as (label, value) pairs; sensitive values masked where the rule says."""
    groups = []
    for title, names in GROUPS:
        rows = []
        for name in names:
            if name in ("unit", "status", "photo", "remove_photo"):
                continue  # in the page's header
            if name.startswith("over_age_consent") and not getattr(member, name):
                continue  # only admissions over 60 have one
            label = capfirst(Member._meta.get_field(name).verbose_name)
            rows.append((label, _shown(member, name, whole)))
        groups.append((title, rows))
    return groups


def _party_age(member: Member) -> dict:
    today = timezone.localdate()
    prefetch_related_objects([member], "events")  # party age, badge day and probation read them once
    badge = member.next_badge(today)
    return {
        "text": str(member.party_age(today)),
        "badge": badge[0] if badge else None,
        "badge_in": rules.remaining(today, badge[1]) if badge else "",
        "badge_on": badge[1] if badge else None,
        "probation_overdue": member.probation_overdue(today),
    }


def _history(member: Member, user) -> list:
    """The events, oldest first. Where the member was belongs to their history: a unit outside the
    user's reach is named, marked as such, and never opened (no link, no figures)."""
    events = list(member.events.select_related("unit").order_by("on", "id"))
    visible = set(OrgUnit.objects.visible_to(user).filter(pk__in={e.unit_id for e in events})
                  .values_list("pk", flat=True))
    for e in events:
        e.visible_unit = e.unit if e.unit_id in visible else None
    return events


def _audit(member: Member, user) -> list[AuditEntry] | None:
    if not can_anywhere(user, "audit"):
        return None
    # its own entries and the imports that wrote it; reads are on the audit page, not crowding these out
    entries = entries_about(member, user, AUDIT_SHOWN, exclude_actions=[privacy.VIEWED])
    units = dict(OrgUnit.objects.visible_to(user).filter(pk__in=unit_ids(entries)).values_list("pk", "name"))
    for entry in entries:
        if not entry.in_full:  # an import of a wider unit: that it wrote this member, not its counts
            entry.readable, entry.note = [], ""
            continue
        hide = not (privacy.whole_fields(user, entry.unit_path)
                    or bool(entry.unit_path_2) and privacy.whole_fields(user, entry.unit_path_2))
        entry.readable = readable_changes(entry, units, CHOICE_LABELS, hide_sensitive=hide)
    return entries


def _render_detail(request, member: Member, event_form: EventForm | None = None, status: int = 200):
    user = request.user
    whole = privacy.whole_fields(user, member.org_path)
    can_change = can(user, "change", member.org_path)
    if can_change and event_form is None:
        event_form = EventForm(user=user, member=member)
    context = {
        "member": member,
        "profile": _profile(member, whole),
        "sensitive": "relatives" in whole,
        "relatives": list(member.relatives.all()) if "relatives" in whole else None,
        "party_age": _party_age(member),
        "events": _history(member, user),
        "audit_entries": _audit(member, user),
        "can_change": can_change,
        "event_form": event_form if can_change else None,
        "unit_visible": OrgUnit.objects.visible_to(user).filter(pk=member.unit_id).exists(),
    }
    privacy.record_view(user, member, whole, "trang hồ sơ")
    return render(request, "members/detail.html", context, status=status)


@login_required
@no_store
def detail(request, pk: int):
    return _render_detail(request, _readable_member(request, pk))


@login_required
@no_store
def add_event(request, pk: int):
    member = _visible_member(request, pk)
    if request.method != "POST":  # e.g. the address bar after a refused form: show the page
        return redirect("members-detail", pk=member.pk)
    if not can(request.user, "change", member.org_path):
        raise PermissionDenied("Bạn không có quyền cập nhật đảng viên này.")
    form = EventForm(request.POST, user=request.user, member=member)
    if form.is_valid():
        data = form.cleaned_data
        unit = data["unit"]
        if unit is not None and data["kind"] not in TRANSFERS:
            form.add_error("unit", "Chỉ chọn chi bộ mới khi chuyển sinh hoạt; với sự kiện này hãy để “không đổi”.")
        else:
            try:
                DomainErrors.raise_any(leaving.decision_problems(data["kind"], data["decision_number"]))
                event = services.record_event(member, data["kind"], on=data["on"], by=request.user, unit=unit,
                                              decision_number=data["decision_number"], note=data["note"],
                                              status_after=data["status_after"], reason=data["reason"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, f"Đã ghi “{event.get_kind_display()}” ngày {vn_date(event.on)}.")
                return redirect("members-detail", pk=member.pk)
    member.refresh_from_db()
    return _render_detail(request, member, form)


# --- create and edit -----------------------------------------------------------------------------


def _relatives_formset(request, member: Member | None):
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    return RelativeFormSet(*data, instance=member or Member(), prefix=RELATIVES_PREFIX)


@login_required
def create(request):
    user = request.user
    if not can_anywhere(user, "change"):
        raise PermissionDenied("Bạn không có quyền thêm đảng viên.")
    posted = request.method == "POST"
    form = MemberForm(request.POST if posted else None, request.FILES if posted else None, user=user,
                      initial={"unit": request.GET.get("unit")})
    relatives = _relatives_formset(request, None) if form.may_see_sensitive else None
    # `&`, not `and`: both are checked, so every mistake shows at once.
    if posted and form.is_valid() & (relatives is None or relatives.is_valid()):
        data = form.cleaned_data
        family = relatives_of(relatives) if relatives is not None else []
        if family and not can(user, "sensitive", data["unit"].path):
            form.add_error(None, f"Bạn không được ghi quan hệ gia đình cho đảng viên của “{data['unit'].name}”; "
                                 "hãy xóa các dòng người thân.")
        else:
            try:
                member = services.create_member(unit=data["unit"], status=data["status"], by=user,
                                                relatives=family, **form.profile())
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, f"Đã thêm đảng viên {member.full_name}.")
                return redirect("members-detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "relatives": relatives, "member": None})


def _save_relatives(member: Member, formset, by) -> None:
    """Write the relatives and one audit entry (inside the caller's transaction)."""
    def listed(m):
        return [f"{r.relation}: {r.full_name}" + (f" ({r.birth_year})" if r.birth_year else "")
                for r in m.relatives.all()]

    before = listed(member)
    formset.save()
    after = listed(member)
    if before != after:
        record("members.member.relatives_updated", actor=by, obj=member, unit_path=member.org_path,
               unit_name=member.unit.name, before={"relatives": before}, after={"relatives": after})


@login_required
@no_store
def edit(request, pk: int):
    user = request.user
    member = _visible_member(request, pk)
    if not can(user, "change", member.org_path):
        raise PermissionDenied("Bạn không có quyền sửa hồ sơ đảng viên này.")
    posted = request.method == "POST"
    # The form validates into its own copy, so the page header keeps the saved name on an error.
    form = MemberForm(request.POST if posted else None, request.FILES if posted else None, user=user,
                      member=Member.objects.select_related("unit").get(pk=member.pk))
    relatives = _relatives_formset(request, member) if form.may_see_sensitive else None
    if not posted and form.may_see_sensitive:  # the form holds the CCCD, religion and family whole
        privacy.record_view(user, member, privacy.whole_fields(user, member.org_path), "mẫu sửa hồ sơ")
    if posted and form.is_valid() & (relatives is None or relatives.is_valid()):
        try:
            profile = form.profile()
            if profile.get("citizen_id") and profile["citizen_id"] != member.citizen_id:
                # Outside the transaction below: a refused CCCD held elsewhere stays recorded.
                collisions.guard(user, member.unit, profile["citizen_id"], member, via="sửa hồ sơ")
            with transaction.atomic():
                saved = services.update_member(Member.objects.select_related("unit").get(pk=member.pk),
                                               profile, by=user)
                if relatives is not None and relatives.has_changed():
                    _save_relatives(saved, relatives, user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã lưu hồ sơ của {saved.full_name}.")
            return redirect("members-detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "relatives": relatives, "member": member})


@login_required
def photo(request, pk: int):
    """The member's photo, only for those who may see the member (uploads are not public media)."""
    member = _readable_member(request, pk)
    if not member.photo:
        raise Http404("Đảng viên chưa có ảnh.")
    try:
        handle = member.photo.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp ảnh.") from None
    kind = mimetypes.guess_type(member.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    return response
