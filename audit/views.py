"""The audit log page: what changed in the user's part of the tree, who did it, before and after.

Entries come only through `AuditEntry.objects.visible_to(user, "audit")`; the filters narrow
that further and never widen it. The page (not the model) needs the tree for its unit filter and
the labels of units, statuses and genders, so it reads `orgs` and `members`.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from audit.labels import ACTION_LABELS, readable_changes, unit_ids
from audit.models import AuditEntry
from audit.services import restricted_prefixes, without_restricted
from core.forms import VnDateField, unit_choice
from core.htmx import login_required, partial_or_page
from core.scoping import can, can_anywhere
from core.tree import within_any_q
from members.choices import AcademicTitle, Degree, Gender, StateManagementLevel, Status, TheoryLevel
from orgs.models import Kind, OrgUnit, inherited_prefixes

PAGE_SIZE = 50

# Coded values as their labels. Member profile codes first, so that where two lists share a code
# ("cu_nhan") the status, kind and gender labels, which every entry shows, win.
CHOICE_LABELS = {
    **{v: str(label) for cls in (Degree, AcademicTitle, StateManagementLevel, TheoryLevel) for v, label in cls.choices if v},
    **dict(Kind.choices), **dict(Status.choices), **dict(Gender.choices),
}


class AuditFilterForm(forms.Form):
    nguoi = forms.CharField(label="Người thực hiện", required=False, max_length=150)
    hanh_dong = forms.ChoiceField(label="Việc", required=False,
                                  choices=[("", "Tất cả")] + sorted(ACTION_LABELS.items(), key=lambda kv: kv[1]))
    tu_ngay = VnDateField(label="Từ ngày", required=False)
    den_ngay = VnDateField(label="Đến ngày", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The units whose log is theirs: in reach today, or wholly inherited (an old commune merged into theirs).
        field = unit_choice(OrgUnit.objects.inherited_by(user, "audit"), "Tổ chức (cả các tổ chức trực thuộc)",
                            required=False)
        field.empty_label = "Tất cả"
        self.fields["don_vi"] = field
        self.fields["hanh_dong"].error_messages["invalid_choice"] = "Việc đã chọn không có trong danh sách."
        hidden = tuple(restricted_prefixes(user))
        if hidden:
            self.fields["hanh_dong"].choices = [c for c in self.fields["hanh_dong"].choices if not c[0].startswith(hidden)]

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "“Đến ngày” phải bằng hoặc sau “Từ ngày”.")
        return data

    def apply(self, entries):
        """Narrow `entries` by the valid filters; a wrong filter is shown and left out."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("nguoi"):
            entries = entries.filter(actor_name__icontains=data["nguoi"].strip())
        if data.get("hanh_dong"):
            entries = entries.filter(action=data["hanh_dong"])
        if data.get("tu_ngay"):
            entries = entries.filter(created_at__gte=_start_of(data["tu_ngay"]))
        if data.get("den_ngay"):
            entries = entries.filter(created_at__lt=_start_of(data["den_ngay"] + timedelta(days=1)))
        if data.get("don_vi"):  # the unit's subtree where it is now and where it stood before a move
            unit = data["don_vi"]
            paths = [unit.path, *unit.versions.values_list("path", flat=True)]
            entries = entries.filter(within_any_q(["unit_path", "unit_path_2"], paths))
        return entries


def _start_of(day) -> datetime:
    # Days are Vietnamese days: midnight in Asia/Ho_Chi_Minh, not UTC.
    return timezone.make_aware(datetime.combine(day, time.min))


def _unit_names(user, entries) -> dict[int, str]:
    """Names of the units that entries refer to by id, only those the user may see."""
    return dict(OrgUnit.objects.inherited_by(user).filter(pk__in=unit_ids(entries)).values_list("pk", "name"))


def visible_entries(user):
    """The log a user may read: the entries about their part of the tree, and about what wholly became
    theirs (`orgs.models.inherited_prefixes`: the old communes merged into their commune), one range
    per prefix. Entries keep the paths they were written with, so the past of a unit that moved in
    from elsewhere stays in the log of the place it was in then."""
    prefixes = inherited_prefixes(user, "audit")
    entries = AuditEntry.objects.all()
    entries = entries if prefixes is None else entries.filter(within_any_q(["unit_path", "unit_path_2"], prefixes))
    return without_restricted(entries, user)


def may_see_sensitive(user, entry: AuditEntry) -> bool:
    return can(user, "sensitive", entry.unit_path) or bool(entry.unit_path_2 and can(user, "sensitive", entry.unit_path_2))


@login_required
@never_cache  # entries quote CCCDs, religion and family before and after a change
def audit_list(request):
    user = request.user
    if not can_anywhere(user, "audit"):
        raise PermissionDenied("Bạn không có quyền xem nhật ký thay đổi.")
    form = AuditFilterForm(request.GET or None, user=user)
    entries = visible_entries(user)
    if form.is_bound:
        form.is_valid()  # errors are shown; only the valid filters apply
    entries = form.apply(entries).order_by("-created_at", "-id")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("trang"))
    units = _unit_names(user, page)
    for entry in page:
        entry.readable = readable_changes(entry, units, CHOICE_LABELS, not may_see_sensitive(user, entry))
    return render(request, partial_or_page(request, "audit/list.html", "log"), {"form": form, "page": page})
