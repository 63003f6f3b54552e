"""The work list page (Việc cần làm), its Excel file and the API: what core.worklist collects.

Core imports no app: the units of the filter come through the app registry, as `core.scoping` does, and
the kinds of item from the providers the apps registered.
"""

import io
from datetime import date

from django import forms
from django.apps import apps
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from ninja import Field as NinjaField
from ninja import Query, Router, Schema
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core import worklist
from core.api import PageParams, page_body
from core.htmx import login_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorklistForm(forms.Form):
    # The list without a choice is the 30 days' (overdue included): the select says so, not "Quá hạn".
    han = forms.ChoiceField(label="Thời hạn", required=False, initial="30_ngay",
                            choices=[(k, v[0] if k == "qua_han" else f"Quá hạn và {v[0].lower()}")
                                     for k, v in worklist.WINDOWS.items()])
    loai = forms.ChoiceField(label="Loại việc", required=False)
    to_chuc = forms.IntegerField(label="Tổ chức", required=False, widget=forms.Select)

    def __init__(self, *args, user, **kw):
        super().__init__(*args, **kw)
        self.user = user
        self.fields["loai"].choices = [("", "Mọi loại")] + [(k.kind, k.label) for k in worklist.kinds()]
        self.units = apps.get_model("orgs", "OrgUnit").objects.visible_to(user)
        # The list offers the open units down to the cells (a province's first 500); any visible unit's id works.
        shown = self.units.filter(valid_to__isnull=True).exclude(kind="to_dang").order_by("path")[:500]
        self.fields["to_chuc"].widget.choices = [("", "Cả phạm vi của bạn")] + [(u.pk, u.name) for u in shown]

    def clean_to_chuc(self):
        pk = self.cleaned_data.get("to_chuc")
        if pk is None:
            return None
        unit = self.units.filter(pk=pk).first()
        if unit is None:
            raise forms.ValidationError("Tổ chức này không có trong phạm vi bạn được xem; hãy chọn trong danh sách.")
        return unit

    def choice(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        unit = data.get("to_chuc")
        return {"window": data.get("han") or "30_ngay", "kind": data.get("loai") or "",
                "unit_path": unit.path if unit else ""}


def _items(request) -> tuple[WorklistForm, list[worklist.Item]]:
    form = WorklistForm(request.GET or None, user=request.user)
    return form, worklist.collect(request.user, timezone.localdate(), **form.choice())


@login_required
def page(request):
    form, items = _items(request)
    return render(request, "core/worklist.html", {"form": form, "items": items, "query": request.GET.urlencode(),
                                                   "today": timezone.localdate()})


def _text(ws, value: str) -> WriteOnlyCell:
    """A text cell: a name starting with "=" stays text, never a formula."""
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"
    cell.quotePrefix = value.startswith(("=", "+", "-", "@", "\t", "\r"))
    return cell


def xlsx(items: list[worklist.Item]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Việc cần làm")
    for letter, width in zip("ABCDEF", (6, 30, 60, 12, 12, 36), strict=True):
        ws.column_dimensions[letter].width = width
    header = []
    for text in ("STT", "Loại việc", "Việc", "Hạn", "Tình trạng", "Tổ chức"):
        cell = WriteOnlyCell(ws, text)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for n, i in enumerate(items, start=1):
        ws.append([n, _text(ws, i.kind_label), _text(ws, i.title), _text(ws, f"{i.due:%d/%m/%Y}"),
                   _text(ws, "Quá hạn" if i.overdue else "Sắp đến hạn"), _text(ws, i.unit_name)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@login_required
def export(request):
    _form, items = _items(request)
    response = HttpResponse(xlsx(items), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="viec-can-lam.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- API -------------------------------------------------------------------------------------------

router = Router(tags=["Việc cần làm"])


class WorklistParams(PageParams):
    window: str = NinjaField("30_ngay", pattern="^(qua_han|7_ngay|30_ngay)$",
                             description="qua_han: quá hạn; 7_ngay, 30_ngay: quá hạn và đến hạn trong 7, 30 ngày.")
    kind: str = NinjaField("", description="Một loại việc, ví dụ members.recognition; để trống: mọi loại.")
    unit: int | None = NinjaField(None, description="Chỉ việc của tổ chức này và các tổ chức trực thuộc (id).")
    on: date | None = NinjaField(None, description="Tính như vào ngày này (YYYY-MM-DD); mặc định hôm nay.")


class ItemOut(Schema):
    kind: str
    kind_label: str
    title: str
    due: date
    overdue: bool
    unit_id: int
    unit_name: str
    url: str
    note: str


class WorklistOut(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[ItemOut]


@router.get("", response=WorklistOut, summary="Việc cần làm trong phạm vi của người gọi, hạn gần nhất trước")
def worklist_api(request, params: Query[WorklistParams]):
    path = ""
    if params.unit is not None:  # outside the caller's subtree: 404, as for any unit
        units = apps.get_model("orgs", "OrgUnit").objects.visible_to(request.user)
        path = get_object_or_404(units, pk=params.unit).path
    items = worklist.collect(request.user, params.on or timezone.localdate(), window=params.window, kind=params.kind,
                             unit_path=path)
    start = (params.page - 1) * params.page_size
    page_items = [dict(vars(i), kind_label=i.kind_label) for i in items[start:start + params.page_size]]
    return page_body(request, params, len(items), page_items)
