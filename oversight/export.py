"""The statistics of a period as an Excel file: one sheet, one block per table, as on the page."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.text import vn_date


def _cell(ws, value, bold=False):
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str):
        cell.data_type = "s"  # a name starting with "=" stays text, never a formula
        cell.quotePrefix = value.startswith(("=", "+", "-", "@", "\t", "\r"))
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx(figures: dict) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Thống kê")
    ws.column_dimensions["A"].width = 70
    row = lambda *values, bold=False: ws.append([_cell(ws, v, bold) for v in values])  # noqa: E731
    row(f"{figures['unit']['name']}, từ {vn_date(figures['from'])} đến {vn_date(figures['to'])}", bold=True)
    row()
    row("Tổng", "Tổ chức đảng", "Đảng viên", bold=True)
    row("Kiểm tra (mọi loại)", figures["inspected"]["organizations"], figures["inspected"]["members"])
    row("Giám sát (thường xuyên và chuyên đề)", figures["supervised"]["organizations"], figures["supervised"]["members"])
    for title, key, label in (("Kiểm tra, giám sát theo loại", "by_type", "label"),
                              ("Theo cơ quan thực hiện", "by_body", "label"),
                              ("Phát hiện vi phạm", "violations_found", "label"),
                              ("Kỷ luật theo hình thức", "discipline_by_form", "label"),
                              ("Kỷ luật theo cấp quyết định", "discipline_by_level", "label")):
        row()
        row(title, "Tổ chức đảng", "Đảng viên", bold=True)
        for r in figures[key]:
            row(r[label], r["organizations"], r["members"])
    row()
    row("Khiếu nại kỷ luật", figures["appeals"]["total"], bold=True)
    for r in figures["appeals"]["by_outcome"]:
        row(r["label"], r["count"])
    row()
    row("Đơn thư", "Tổng", *[o["label"] for o in figures["petitions"][0]["by_outcome"]], bold=True)
    for r in figures["petitions"]:
        row(r["label"], r["total"], *[o["count"] for o in r["by_outcome"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
