"""Hostile import files, made on demand: each is a real workbook (or CSV) with the member sheet's
headers, one part of which is built to make a naive reader use gigabytes or never finish.

Used by test_import_hostile.py and by `python -m bench.hostile` (bench/README.md, "Hostile imports").
"""

import io
import zipfile

from openpyxl import Workbook

HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng"]
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER_ROW = "<row r=\"1\">" + "".join(
    f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADERS) + "</row>"
# A row like a real one: every required column filled, one CCCD; openpyxl fills the rest.
SMALL_ROW = ('<row><c t="inlineStr"><is><t>Nguyễn Văn An</t></is></c><c t="inlineStr"><is><t>Nam</t></is></c>'
             '<c t="inlineStr"><is><t>02/04/1990</t></is></c><c t="inlineStr"><is><t>001090000001</t></is></c>'
             '<c t="inlineStr"><is><t>A1</t></is></c><c t="inlineStr"><is><t>Chính thức</t></is></c>'
             '<c t="inlineStr"><is><t>01/06/2015</t></is></c></row>')


def _base() -> bytes:
    wb = Workbook()
    wb.active.title = "Đảng viên"
    wb.active.append(HEADERS)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook(replace: dict[str, object]) -> bytes:
    """A small real workbook with some parts replaced: name -> bytes, or an iterable of byte
    chunks (streamed into the zip, so that a part of gigabytes never sits in memory here either)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_base())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info, src.read(info))
        for name, content in replace.items():
            with dst.open(name, "w", force_zip64=True) as f:
                for chunk in [content] if isinstance(content, bytes) else content:
                    f.write(chunk)
    return out.getvalue()


def _sheet(rows_xml, before: str = "", after: str = ""):
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{before}<sheetData>{HEADER_ROW}'.encode()
    yield from rows_xml
    yield f"</sheetData>{after}</worksheet>".encode()


def _repeat(piece: str, times: int, per_chunk: int = 10_000):
    block = (piece * min(per_chunk, times)).encode()
    full, rest = divmod(times, per_chunk)
    for _ in range(full):
        yield block
    if rest:
        yield (piece * rest).encode()


def zip_bomb(rows: int = 2_000_000) -> bytes:
    """A few megabytes that unpack to a sheet of `rows` member rows (the report of issue 12)."""
    return workbook({SHEET: _sheet(_repeat(SMALL_ROW, rows))})


def huge_shared_strings(strings: int) -> bytes:
    """A shared-strings table of `strings` tiny strings (openpyxl keeps them all as one list)."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><sst ' + NS.encode() + b' count="1" uniqueCount="1">'
    return workbook({"xl/sharedStrings.xml": [head, *_repeat("<si><t>a</t></si>", strings), b"</sst>"]})


def many_columns(columns: int) -> bytes:
    """A second row of `columns` cells."""
    row = '<row r="2">' + '<c t="inlineStr"><is><t>x</t></is></c>' * columns + "</row>"
    return workbook({SHEET: _sheet([row.encode()])})


def deeply_nested(levels: int, part: str = SHEET) -> bytes:
    """XML nested `levels` deep: inside a cell of the sheet, or as the whole of another part."""
    nest = _repeat("<a>", levels), _repeat("</a>", levels)
    if part == SHEET:
        return workbook({SHEET: _sheet([b'<row r="2"><c t="inlineStr"><is><t>x</t>', *nest[0], *nest[1],
                                        b"</is></c></row>"])})
    head = b'<?xml version="1.0" encoding="UTF-8"?><styleSheet ' + NS.encode() + b">"
    return workbook({part: [head, *nest[0], *nest[1], b"</styleSheet>"]})


def csv_long_line(size: int = 10 * 1024 * 1024) -> bytes:
    """A CSV whose second line is one value of `size` bytes."""
    return ("\ufeff" + ",".join(HEADERS) + "\r\n").encode() + b"a" * size + b",Nam\r\n"


def csv_short_lines(lines: int) -> bytes:
    """A CSV of `lines` lines of one letter each (1.5 MB for 500,000)."""
    return ("\ufeff" + ",".join(HEADERS) + "\r\n").encode() + b"x\r\n" * lines
