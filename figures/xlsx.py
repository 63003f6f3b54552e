"""The statistical tables as one workbook, a sheet per table (openpyxl). Labels are text cells, never formulas
(the convention of members/exporter.py); figures are numbers, percentages to two decimals."""

import io
from datetime import date

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from figures.tables import Table, all_tables

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(ws, row, col, value, **style):
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, even if a name starts with "="
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
    for k, v in style.items():
        setattr(cell, k, v)
    return cell


def _sheet(wb: Workbook, table: Table, unit, start: date, end: date) -> None:
    ws = wb.create_sheet(table.code[:31])
    width = 2 + len(table.columns)
    _text(ws, 1, 1, unit.name.upper(), font=Font(bold=True))
    _text(ws, 3, 1, table.title, font=Font(bold=True, size=13))
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    _text(ws, 4, 1, f"Kỳ báo cáo: từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}", font=Font(italic=True))
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=width)
    for c in (3, 4):
        ws.cell(row=c, column=1).alignment = Alignment(horizontal="center")
    header = 6
    for col, name in enumerate(["STT", "Chỉ tiêu", *table.columns], start=1):
        _text(ws, header, col, name, font=Font(bold=True), border=BOX,
              alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    for i, row in enumerate(table.rows, start=header + 1):
        _text(ws, i, 1, row.stt, border=BOX, font=Font(bold=row.bold))
        _text(ws, i, 2, row.label, border=BOX, font=Font(bold=row.bold))
        for col, value in enumerate(row.values, start=3):
            cell = ws.cell(row=i, column=col, value=value)
            cell.border, cell.font = BOX, Font(bold=row.bold)
            if isinstance(value, float):
                cell.number_format = "0.00"
    _text(ws, header + len(table.rows) + 2, 1, f"Ghi chú: {table.note}", font=Font(italic=True, size=9))
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 52
    for col in range(3, width + 1):
        ws.column_dimensions[chr(64 + col)].width = 14


def workbook_bytes(unit, user, start: date, end: date, tables: list[Table] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables or all_tables(unit, user, start, end):
        _sheet(wb, table, unit, start, end)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FIRST_ROW = 7  # the first data row of every sheet (tests read cells from here)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # member data stays off shared caches
    return response
