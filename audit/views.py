"""The audit log page: what changed in the user's part of the tree, who did it, before and after.

Entries come only through `AuditEntry.objects.visible_to(user, "audit")`; the filters narrow
that further and never widen it. The page (not the model) needs the tree for its unit filter,
so it uses the form helpers of `orgs`.
"""

import re
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from audit.labels import ACTION_LABELS
from audit.models import AuditEntry
from core.tree import within_any_q
from members.models import Gender, Status
from orgs.forms import VnDateField, unit_choice
from orgs.models import Kind, OrgUnit
from orgs.templatetags.orgs_ui import can_anywhere
from orgs.views import login_required

PAGE_SIZE = 50

# How the keys of `before`/`after` read on the page; None hides internal keys (paths, ids
# already shown by name).
FIELD_LABELS: dict[str, str | None] = {
    "name": "Tên",
    "short_name": "Tên ngắn",
    "full_name": "Họ và tên",
    "kind": "Loại tổ chức",
    "status": "Trạng thái",
    "gender": "Giới tính",
    "parent": "Trực thuộc",
    "unit": "Tổ chức",
    "valid_from": "Hoạt động từ ngày",
    "valid_to": "Hoạt động đến hết ngày",
    "merged_into": None,
    "merged_into_name": "Hợp nhất vào",
    "children_moved": "Tổ chức trực thuộc được chuyển",
    "members_moved": "Số đảng viên được chuyển",
    "new_units": "Tổ chức mới",
    "path": None,
}
UNIT_KEYS = {"parent", "unit", "children_moved"}
CHOICE_LABELS = {**dict(Kind.choices), **dict(Status.choices), **dict(Gender.choices)}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class AuditFilterForm(forms.Form):
    nguoi = forms.CharField(label="Người thực hiện", required=False, max_length=150)
    hanh_dong = forms.ChoiceField(label="Việc", required=False,
                                  choices=[("", "Tất cả")] + sorted(ACTION_LABELS.items(), key=lambda kv: kv[1]))
    tu_ngay = VnDateField(label="Từ ngày", required=False)
    den_ngay = VnDateField(label="Đến ngày", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = unit_choice(OrgUnit.objects.visible_to(user, "audit"), "Tổ chức (cả các tổ chức trực thuộc)",
                            required=False)
        field.empty_label = "Tất cả"
        self.fields["don_vi"] = field
        self.fields["hanh_dong"].error_messages["invalid_choice"] = "Việc đã chọn không có trong danh sách."

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
        if data.get("don_vi"):
            entries = entries.filter(within_any_q(["unit_path", "unit_path_2"], [data["don_vi"].path]))
        return entries


def _start_of(day) -> datetime:
    # Days are Vietnamese days: midnight in Asia/Ho_Chi_Minh, not UTC.
    return timezone.make_aware(datetime.combine(day, time.min))


def _show(value) -> str:
    """A before/after value as a reader expects it: dates dd/mm/yyyy, codes as their labels."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("name") or ", ".join(f"{k}: {v}" for k, v in value.items()))
    if isinstance(value, str) and ISO_DATE.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    return str(CHOICE_LABELS.get(value, value)) if isinstance(value, str) else str(value)


def _unit_names(user, entries) -> dict[int, str]:
    """Names of the units that entries refer to by id, only those the user may see."""
    ids = set()
    for entry in entries:
        for side in (entry.before or {}, entry.after or {}):
            for key in UNIT_KEYS & set(side):
                ids.update(v for v in (side[key] if isinstance(side[key], list) else [side[key]])
                           if isinstance(v, int))
    units = OrgUnit.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "name")
    return dict(units)


def _unit_name(value, units: dict[int, str]):
    """A unit id (or a list of them) as names; a unit out of the user's reach is not named."""
    if isinstance(value, list):
        return [_unit_name(v, units) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return units.get(value, "một tổ chức ngoài phạm vi của bạn")
    return value


def readable_changes(entry: AuditEntry, units: dict[int, str]) -> list[tuple[str, str, str]]:
    rows = []
    for key, before, after in entry.changes():
        label = FIELD_LABELS.get(key, key)
        if label is None:
            continue
        if key in UNIT_KEYS:
            before, after = _unit_name(before, units), _unit_name(after, units)
        shown = (label, _show(before), _show(after))
        if shown[1] != shown[2]:  # None → "" is no change to a reader
            rows.append(shown)
    return rows


@login_required
def audit_list(request):
    user = request.user
    if not can_anywhere(user, "audit"):
        raise PermissionDenied("Bạn không có quyền xem nhật ký thay đổi.")
    form = AuditFilterForm(request.GET or None, user=user)
    entries = AuditEntry.objects.visible_to(user, "audit")
    if form.is_bound:
        form.is_valid()  # errors are shown; only the valid filters apply
    entries = form.apply(entries).order_by("-created_at", "-id")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("trang"))
    units = _unit_names(user, page)
    for entry in page:
        entry.readable = readable_changes(entry, units)
    template = "audit/list.html#log" if request.htmx and not request.htmx.boosted else "audit/list.html"
    return render(request, template, {"form": form, "page": page})
