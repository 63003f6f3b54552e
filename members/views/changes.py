"""The "Biến động đảng viên" page: the figures of `members.changes` for a unit and a period, the
members behind each figure, and the table in Excel. A unit comes through `inherited_by(user)` (in
reach today, or closed and wholly theirs, as on a past day): any other answers 404."""

import io
from datetime import date, timedelta

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import Workbook

from core import hooks
from core.errors import DomainError
from core.forms import VnDateField, show_error, unit_choice
from core.htmx import login_required
from core.text import vn_date
from members import changes
from members.models import Member
from members.privacy import no_store
from members.views.base import XLSX, download
from orgs.models import OrgUnit

LIST_LIMIT = 500  # rows of the members behind one figure shown on the page


class ChangesForm(forms.Form):
    don_vi = forms.ModelChoiceField(OrgUnit.objects.none(), required=False)
    tu_ngay = VnDateField(label="Từ ngày", required=False)
    den_ngay = VnDateField(label="Đến ngày", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"] = unit_choice(OrgUnit.objects.visible_to(user), "Tổ chức (cả các tổ chức trực thuộc)",
                                            required=False)
        # A unit closed since (merged away) is still the user's past: accepted from a link, not offered.
        self.fields["don_vi"].queryset = OrgUnit.objects.inherited_by(user).order_by("path")


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    nxt = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def presets(unit: OrgUnit | None, today: date) -> list[tuple[str, date, date]]:
    """(label, from, to): this and last quarter, the halves of the year, this and last year, and the
    terms (nhiệm kỳ) of the unit or its nearest ancestor that has them (from the app of bodies)."""
    q_from, q_to = quarter_of(today)
    last_from, last_to = quarter_of(q_from - timedelta(days=1))
    y = today.year
    out = [(f"Quý {(q_from.month - 1) // 3 + 1}/{y}", q_from, q_to),
           (f"Quý {(last_from.month - 1) // 3 + 1}/{last_from.year}", last_from, last_to),
           (f"6 tháng đầu năm {y}", date(y, 1, 1), date(y, 6, 30)),
           (f"6 tháng cuối năm {y - (today.month <= 6)}", date(y - (today.month <= 6), 7, 1),
            date(y - (today.month <= 6), 12, 31)),
           (f"Năm {y}", date(y, 1, 1), date(y, 12, 31)),
           (f"Năm {y - 1}", date(y - 1, 1, 1), date(y - 1, 12, 31))]
    if unit is not None:
        for provider in hooks.providers("unit-terms"):
            for label, start, end in provider(unit):
                out.append((f"Nhiệm kỳ {label}", start, end or date(today.year, 12, 31)))
    return out


def preset_links(unit: OrgUnit | None) -> list[tuple[str, str]]:
    """(label, query string) of each preset period for the picker's quick links."""
    return [(label, query(unit, a, b)) for label, a, b in presets(unit, timezone.localdate())] if unit else []


def chosen(request):
    """(form, unit, start, end) from the query: the unit (default the user's top one) and the period (default
    this year); start and end are None when the form or the period is refused. Shared with the figures' page."""
    today = timezone.localdate()
    params = request.GET.copy() if request.GET else None
    if params is not None:  # a link that names only the unit (the unit's page) shows this year's dates
        for name, day in (("tu_ngay", date(today.year, 1, 1)), ("den_ngay", date(today.year, 12, 31))):
            if not params.get(name):
                params[name] = vn_date(day)
    form = ChangesForm(params, user=request.user)
    if form.is_bound and not form.is_valid():
        return form, None, None, None
    data = form.cleaned_data if form.is_bound else {}
    unit = data.get("don_vi") or OrgUnit.objects.tops_for(request.user).order_by("path").first()
    start = data.get("tu_ngay") or date(today.year, 1, 1)
    end = data.get("den_ngay") or date(today.year, 12, 31)
    if not form.is_bound or not data.get("don_vi"):
        form.fields["don_vi"].initial = unit.pk if unit else None
        form.fields["tu_ngay"].initial, form.fields["den_ngay"].initial = start, end
    try:
        changes.check_period(start, end, today)
    except DomainError as exc:
        show_error(form, DomainError(exc.message, {"from": "tu_ngay", "to": "den_ngay"}.get(exc.field)))
        return form, unit, None, None
    return form, unit, start, end


def query(unit: OrgUnit, start: date, end: date, **more) -> str:
    return urlencode({"don_vi": unit.pk, "tu_ngay": vn_date(start), "den_ngay": vn_date(end), **more})


@login_required
@no_store
def page(request):
    form, unit, start, end = chosen(request)
    result = changes.changes(unit, request.user, start, end) if unit and start else None
    rows = []
    if result:
        for key, label, indent, n in result.rows():
            url = (f"{reverse('members-changes-list')}?{query(unit, start, end, chi_tieu=key)}"
                   if n and key in changes.LISTABLE else "")
            rows.append({"key": key, "label": label, "indent": indent, "n": n, "url": url})
    context = {"form": form, "unit": unit, "start": start, "end": end, "result": result, "rows": rows,
               "presets": preset_links(unit), "query": query(unit, start, end) if result else ""}
    return render(request, "members/changes.html", context)


@login_required
@no_store
def members_behind(request):
    """The members behind one figure: the events it counts, newest first."""
    form, unit, start, end = chosen(request)
    key = request.GET.get("chi_tieu", "")
    if unit is None or start is None or key not in changes.LISTABLE:
        raise Http404("Không có danh sách này.")
    unit = get_object_or_404(OrgUnit.objects.inherited_by(request.user), pk=unit.pk)
    rows = list(changes.events_behind(unit, request.user, start, end, key)[:LIST_LIMIT + 1])
    # A member who has since left the user's reach (transferred away) is named as the unit's history, unlinked.
    reachable = set(Member.objects.visible_to(request.user).filter(pk__in=[e.member_id for e in rows])
                    .values_list("pk", flat=True))
    for e in rows:
        e.linked = e.member_id in reachable
    context = {"unit": unit, "start": start, "end": end, "label": changes.LABELS[key], "rows": rows[:LIST_LIMIT],
               "more": len(rows) > LIST_LIMIT, "back": f"{reverse('members-changes')}?{query(unit, start, end)}"}
    return render(request, "members/changes_list.html", context)


@login_required
def export_xlsx(request):
    form, unit, start, end = chosen(request)
    if unit is None or start is None:
        raise Http404("Hãy chọn tổ chức và kỳ hợp lệ trên trang Biến động đảng viên.")
    result = changes.changes(unit, request.user, start, end)
    return download(workbook(result), f"bien-dong-dang-vien-{start:%Y%m%d}-{end:%Y%m%d}.xlsx", XLSX)


def workbook(result: changes.Changes) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Biến động đảng viên"
    ws.append(["BIẾN ĐỘNG ĐẢNG VIÊN"])
    ws.append([f"Tổ chức: {result.unit.name} (cả các tổ chức trực thuộc)"])
    ws.append([f"Từ ngày {vn_date(result.start)} đến ngày {vn_date(result.end)}"])
    ws.append([])
    ws.append(["Chỉ tiêu", "Số đảng viên"])
    for _key, label, indent, n in result.rows():
        ws.append([("    " * indent) + label, n])
    ws.append([])
    ws.append(["Ra khỏi danh sách, theo lý do", "Số đảng viên"])
    for _value, label, n in result.reason_rows():
        ws.append([label, n])
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["B"].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
