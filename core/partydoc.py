"""Word documents in the party's layout (HD 36-HD/VPTW 2018, HD 05-HD/VPTW 2026; rules.md §6, rules-2026.md §7a).

Every document the system writes (lists, resolutions, decisions, letters) is built from these pieces, so
the layout is in one place:

    doc = partydoc.new()
    partydoc.heading(doc, *partydoc.issuer_of(unit), number="Số 03-NQ/CB", place=partydoc.place_of(unit), on=day)
    partydoc.title(doc, "NGHỊ QUYẾT", "Đề nghị kết nạp đảng viên")
    partydoc.paragraph(doc, "…")
    partydoc.signature(doc, ["Đảng ủy xã (để báo cáo)", "Lưu Chi bộ."], "T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn A")
    data = partydoc.to_bytes(doc)

`core` imports no app: a unit is read through what every `OrgUnit` has (`name`, `parent`, `place_name()`).
Margins 20/20/30/15 mm, Times New Roman (Liberation Serif has its metrics where LibreOffice prints), body 14 pt
with a 10 mm first-line indent (HD 05-HD/VPTW as restated, rules-2026.md §7a: likely). The line spacing is
unsure (19 pt or exactly 18 pt, sources conflict): single spacing with 6 pt between paragraphs is taken.
"""

import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"
HEADER_WIDTHS = (11.0, 14.2)  # landscape: the issuer's column and "ĐẢNG CỘNG SẢN VIỆT NAM"'s
PORTRAIT_HEADER_WIDTHS = (7.5, 9.0)  # A4 portrait less 30 + 15 mm


def new(landscape: bool = False, size: float = 14) -> Document:
    """An empty A4 document with the party margins and font; `landscape` for wide tables."""
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    else:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # Word otherwise falls back for Vietnamese
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    return doc


def run(paragraph, text: str, size: float = 13, bold: bool = False, italic: bool = False, underline: bool = False):
    r = paragraph.add_run(text)
    r.font.size = Pt(size)
    # None leaves the style's value (plain) instead of writing "not bold" on every run.
    r.font.bold, r.font.italic, r.font.underline = bold or None, italic or None, underline or None
    return r


def line(cell_or_doc, text: str, align=WD_ALIGN_PARAGRAPH.CENTER, first: bool = False, **kw):
    """One paragraph of `text` in a cell or the document (`first`: fill the cell's own empty paragraph)."""
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    run(paragraph, text, **kw)
    return paragraph


def set_widths(table, widths_cm) -> None:
    """Column widths in the grid (LibreOffice reads these) and on each cell (Word reads these)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def two_columns(doc, widths: tuple[float, float] | None = None):
    """A borderless row of two cells: the header's and the signature's layout."""
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, widths or _header_widths(doc))
    return table.rows[0].cells


def _header_widths(doc) -> tuple[float, float]:
    section = doc.sections[0]
    return HEADER_WIDTHS if section.page_width > section.page_height else PORTRAIT_HEADER_WIDTHS


def issuer_of(unit) -> tuple[str, str]:
    """(the direct superior, the issuing organization) in capitals, for the header's top left; a top unit
    has no superior line."""
    superior = unit.parent.name.upper() if unit.parent_id else ""
    return superior, unit.name.upper()


def place_of(unit) -> str:
    return unit.place_name()


def date_line(place: str, on: date) -> str:
    """"An Hòa, ngày 05 tháng 01 năm 2026": days and months below 10 with a leading zero (36-HD/VPTW)."""
    return f"{place}, ngày {on:%d} tháng {on:%m} năm {on:%Y}"


def heading(doc, superior: str, issuer: str, number: str = "", place: str = "", on: date | None = None) -> None:
    """The header block: the superior body (upright) and the issuer (bold) in capitals top left, a star and
    the number ("Số 03-NQ/CB") below; "ĐẢNG CỘNG SẢN VIỆT NAM" bold and underlined top right over the place
    and date in italics; a blank line."""
    left, right = two_columns(doc)
    if superior:
        line(left, superior, first=True, size=14)
    line(left, issuer, first=not superior, size=14, bold=True)
    line(left, "*", size=14)
    if number:
        line(left, number, size=14)
    line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", first=True, size=15, bold=True, underline=True)
    line(right, "")
    if on is not None:
        line(right, date_line(place or "……", on), size=14, italic=True)
    line(doc, "", size=14)


def title(doc, kind: str, summary: str = "") -> None:
    """The document's type name in capitals ("NGHỊ QUYẾT") and its summary (trích yếu) in bold below."""
    line(doc, kind.upper(), size=16, bold=True)
    if summary:
        line(doc, summary, size=14, bold=True)
    line(doc, "-----", size=14)


def paragraph(doc, text: str, bold: bool = False, italic: bool = False, align=WD_ALIGN_PARAGRAPH.JUSTIFY):
    """A paragraph of the body: 14 pt, justified, 10 mm first-line indent, 6 pt after."""
    p = line(doc, text, align=align, size=14, bold=bold, italic=italic)
    p.paragraph_format.first_line_indent = Cm(1)
    p.paragraph_format.space_after = Pt(6)
    return p


def signature(doc, recipients: list[str], on_behalf: str, title: str, name: str = "") -> None:
    """Recipients ("Nơi nhận:") bottom left; the signer's authority ("T/M CHI BỘ"), title and name bottom
    right, with room for the signature (a cell has no seal: rules-2026.md §7a)."""
    line(doc, "")
    left, right = two_columns(doc)
    if recipients:
        line(left, "Nơi nhận:", first=True, align=WD_ALIGN_PARAGRAPH.LEFT, size=12, bold=True, underline=True)
        for r in recipients:
            line(left, f"- {r}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    line(right, on_behalf, first=True, size=14, bold=True)
    line(right, title, size=14, bold=True)
    for _ in range(3):
        line(right, "", size=14)
    if name:
        line(right, name, size=14, bold=True)


def header_table(doc, columns, rows: int = 1):
    """A bordered, centred table whose first row holds the bold headers of `columns` ((header, width)
    pairs) and repeats on every printed page."""
    table = doc.add_table(rows=rows, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_cell_margins(table)
    _repeat_as_header(table.rows[0])
    for cell, (header, _) in zip(table.rows[0].cells, columns, strict=True):
        line(cell, header, first=True, size=12, bold=True)
    return table


def _narrow_cell_margins(table, twips: int = 45) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _repeat_as_header(row) -> None:
    """Repeat the column headings at the top of every page of a long list."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
