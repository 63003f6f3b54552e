"""The "Thống kê" page: the four statistical tables of `figures.tables` for a unit and a period, on screen
and as one Excel workbook. The unit and period pickers are those of the membership-changes page (same form,
same presets: quarters, halves, years, terms); a unit outside `inherited_by(user)` answers 404."""

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.text import vn_date
from figures.tables import all_tables
from figures.xlsx import download, workbook_bytes
from members import changes
from members.privacy import no_store
from members.views.changes import ChangesForm, presets
from orgs.models import OrgUnit


def _chosen(request):
    today = timezone.localdate()
    params = request.GET.copy() if request.GET else None
    if params is not None:  # a link naming only the unit shows this year
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


def _query(unit, start, end) -> str:
    return urlencode({"don_vi": unit.pk, "tu_ngay": vn_date(start), "den_ngay": vn_date(end)})


@login_required
@no_store
def page(request):
    form, unit, start, end = _chosen(request)
    tables = all_tables(unit, request.user, start, end) if unit and start else None
    context = {"form": form, "unit": unit, "start": start, "end": end, "tables": tables,
               "presets": [(label, _query(unit, a, b)) for label, a, b in presets(unit, timezone.localdate())]
               if unit else [],
               "query": _query(unit, start, end) if tables else ""}
    return render(request, "figures/statistics.html", context)


@login_required
@no_store
def export_xlsx(request):
    form, unit, start, end = _chosen(request)
    if unit is None or start is None:
        raise Http404("Hãy chọn tổ chức và kỳ hợp lệ trên trang Thống kê.")
    content = workbook_bytes(unit, request.user, start, end)
    return download(content, f"thong-ke-{unit.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
