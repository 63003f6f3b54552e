"""The "Thống kê" page: the four statistical tables of `figures.tables` for a unit and a period, on screen
and as one Excel workbook. The unit and period pickers are those of the membership-changes page (same form,
same presets: quarters, halves, years, terms); a unit outside `inherited_by(user)` answers 404."""


from django.http import Http404
from django.shortcuts import render

from core.htmx import login_required
from figures.tables import all_tables
from figures.xlsx import download, workbook_bytes
from members.privacy import no_store
from members.views.changes import chosen, preset_links, query


@login_required
@no_store
def page(request):
    form, unit, start, end = chosen(request)
    tables = all_tables(unit, request.user, start, end) if unit and start else None
    context = {"form": form, "unit": unit, "start": start, "end": end, "tables": tables,
               "presets": preset_links(unit), "query": query(unit, start, end) if tables else ""}
    return render(request, "figures/statistics.html", context)


@login_required
@no_store
def export_xlsx(request):
    form, unit, start, end = chosen(request)
    if unit is None or start is None:
        raise Http404("Hãy chọn tổ chức và kỳ hợp lệ trên trang Thống kê.")
    content = workbook_bytes(unit, request.user, start, end)
    return download(content, f"thong-ke-{unit.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
