"""The result table in Excel and in Word (the party's layout, core/partydoc.py): the distribution of members
and of organizations, the subjects at levels 3 and 4 and those excellent N years running."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from assessment import results
from assessment.rules import Subject
from core import partydoc
from core.text import vn_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(ws, value, bold: bool = False):
    """A value that cannot run as a formula when the file is opened (names are typed by users)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def _tables(unit, user, year):
    dists = [results.distribution(unit, user, year, s) for s in Subject.values]
    lows = {s: results.low(unit, user, year, s) for s in Subject.values}
    runs = {s: results.streaks(unit, user, year, s) for s in Subject.values}
    return dists, lows, runs


def xlsx(unit, user, year: int) -> bytes:
    dists, lows, runs = _tables(unit, user, year)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Kết quả xếp loại")
    ws.append([_cell(ws, f"KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM {year}: {unit.name}", bold=True)])
    for d in dists:
        ws.append([])
        ws.append([_cell(ws, Subject(d.subject).label, bold=True), _cell(ws, "Số lượng", bold=True),
                   _cell(ws, "Tỷ lệ (%)", bold=True)])
        for r in d.rows:
            ws.append([_cell(ws, r.label), r.count, float(r.percent)])
        ws.append([_cell(ws, "Tổng số", bold=True), d.total, 100.0 if d.total else 0.0])
    ws = wb.create_sheet("Mức 3 và 4")
    ws.append([_cell(ws, h, bold=True) for h in ("Đối tượng", "Họ tên / Tổ chức", "Chi bộ / Đơn vị", "Mức", "Điểm",
                                                  "Lý do")])
    for s, rows in lows.items():
        for r in rows:
            score = r.decided_score if r.decided_score is not None else r.proposed_score or r.self_score
            ws.append([_cell(ws, Subject(s).label), _cell(ws, r.subject_name), _cell(ws, r.subject_unit.name),
                       _cell(ws, r.result_label), float(score) if score is not None else None, _cell(ws, r.reason)])
    ws = wb.create_sheet("Xuất sắc nhiều năm liền")
    ws.append([_cell(ws, h, bold=True) for h in ("Đối tượng", "Họ tên / Tổ chức", "Chi bộ / Đơn vị", "Số năm liền")])
    for s, rows in runs.items():
        for r in rows:
            ws.append([_cell(ws, Subject(s).label), _cell(ws, r.name), _cell(ws, r.unit_name), r.years])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx(unit, user, year: int, on: date) -> bytes:
    dists, lows, runs = _tables(unit, user, year)
    doc = partydoc.new()
    partydoc.heading(doc, *partydoc.issuer_of(unit), place=partydoc.place_of(unit), on=on)
    partydoc.title(doc, "BÁO CÁO", f"Kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {year}")
    for d in dists:
        partydoc.paragraph(doc, f"{Subject(d.subject).label}: tổng số {vn_number(d.total)}.", bold=True)
        table = partydoc.header_table(doc, [("Mức xếp loại", 9), ("Số lượng", 3), ("Tỷ lệ (%)", 3)], rows=1)
        for r in d.rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, (r.label, vn_number(r.count), vn_number(float(r.percent), 2)), strict=True):
                partydoc.line(cell, text, first=True, size=13)
        partydoc.line(doc, "")
    low_rows = [(Subject(s).label, r) for s, rows in lows.items() for r in rows]
    if low_rows:
        partydoc.paragraph(doc, "Đảng viên, tổ chức đảng xếp loại mức 3, mức 4:", bold=True)
        for label, r in low_rows:
            partydoc.paragraph(doc, f"- {label}: {r.subject_name} ({r.subject_unit.name}): {r.result_label}.")
    run_rows = [(Subject(s).label, r) for s, rows in runs.items() for r in rows]
    if run_rows:
        partydoc.paragraph(doc, "Hoàn thành xuất sắc nhiệm vụ nhiều năm liền:", bold=True)
        for label, r in run_rows:
            partydoc.paragraph(doc, f"- {label}: {r.name} ({r.unit_name}): {r.years} năm liền.")
    partydoc.signature(doc, ["Lưu."], "T/M BAN THƯỜNG VỤ", "")
    return partydoc.to_bytes(doc)
