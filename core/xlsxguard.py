"""Limits an uploaded workbook must keep before any of it is parsed.

An xlsx is a zip of XML parts, and a few hundred kilobytes can unpack to gigabytes: 600 KB made
2,000,000 rows, and the worker reached 6.4 GB. So before openpyxl sees the file, `check()` reads
the zip's central directory (the declared unpacked sizes, which `zipfile` will not read past), then
streams every worksheet and the shared-strings table once as bytes, counting what the parser would
build, and stops at the first sign of excess:

- rows of a sheet (their number, `r="…"` included: openpyxl fills the gaps with empty rows),
  at most the caller's `max_rows` below a header in the first rows (the member sheet's
  `settings.MEMBER_IMPORT_MAX_ROWS`, the tree import's own);
- cells of a row, at most `MAX_COLUMNS`;
- bytes between two rows (or two strings): one stretch of XML is what the parser holds at once, so
  this bounds a single huge row, a huge string, and XML nested thousands of levels deep;
- strings of the shared-strings table, which openpyxl keeps as one list.

Every other XML part is parsed whole by openpyxl with lxml, whose parser refuses nesting deeper than
256 levels; it is only held to `SMALL_PART`. A part that is not XML (a picture) is never parsed.
The numbers are bytes and counts, never a guess about compression ratios, so a real province's
sheet passes whatever program wrote it.
"""

import re
import zipfile
from dataclasses import dataclass, field

from core.text import vn_number

MAX_COLUMNS = 200  # the template has 36; a few added columns pass (and are reported by name)
HEADER_ROWS = 10  # sheetreader.HEADER_SEARCH_ROWS: a title may sit above the header row
STRINGS_PER_ROW = 12  # distinct texts a row can bring to the shared-strings table (name, addresses, CCCD…)
BYTES_PER_ROW = 4096  # unpacked, a row of the template written with inline strings takes about 2 KB
STRETCH = 1024 * 1024  # bytes between two rows: an Excel cell holds at most 32,767 characters
SMALL_PART = 16 * 1024 * 1024  # styles, workbook, relationships: parsed whole, so kept small
MAX_PARTS = 1000
CHUNK = 1024 * 1024
RESAVE = "hãy mở bằng Excel rồi lưu lại dạng “Sổ làm việc Excel (*.xlsx)”."
SPLIT = "hãy chia danh sách thành nhiều tệp nhỏ hơn."
ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")
ROW_NUMBER = re.compile(rb"\s+r\s*=\s*[\"'](\d{1,9})[\"']")
MERGE = re.compile(rb"<(?:[\w.\-]+:)?mergeCell\s[^>]*ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
WHITESPACE = b" \t\r\n"


class Refused(Exception):
    """Why the file is not read, in Vietnamese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Part:
    """What the scan saw of one worksheet part."""

    rows: int = 0  # the highest row number
    merges: list[tuple[str, int, str, int]] = field(default_factory=list)  # (first col, row, last col, row)


def check(file, max_rows: int) -> dict[str, Part]:
    """The worksheets of the xlsx `file` (a binary file object) by part name, or `Refused` when it
    passes what a sheet of `max_rows` rows can hold."""
    file.seek(0)
    with zipfile.ZipFile(file) as z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            raise Refused(f"Tệp có {vn_number(len(infos))} phần nén bên trong, bất thường với một sổ tính; " + RESAVE)
        unpacked = sum(i.file_size for i in infos)
        limit = max_rows * BYTES_PER_ROW + SMALL_PART  # the rows, and the parts around them
        if unpacked > limit:
            raise Refused(f"Tệp khi giải nén nặng {_mb(unpacked)} MB, quá giới hạn {_mb(limit)} MB (khoảng "
                          f"{vn_number(max_rows)} dòng); " + SPLIT)
        sheets = {}
        for info in infos:
            if info.is_dir():
                continue
            with z.open(info) as stream:
                head = stream.read(64 * 1024)
                kind, prefix = _root(head)
                if kind == "worksheet":
                    sheets[info.filename] = _scan_sheet(stream, head, prefix, max_rows)
                elif kind == "sst":
                    _scan_strings(stream, head, prefix, max_rows)
                elif kind != "binary" and info.file_size > SMALL_PART:
                    raise Refused(f"Phần “{info.filename}” của tệp nặng bất thường ({_mb(info.file_size)} MB khi giải "
                                  "nén); " + RESAVE)
    file.seek(0)
    return sheets


def _mb(size: int) -> str:
    return vn_number(size / 2**20, 0 if size >= 10 * 2**20 else 1)


def _root(head: bytes) -> tuple[str, bytes]:
    """("worksheet" / "sst" / another root element's name, its namespace prefix), or ("binary", b"")
    for a part that is not XML, or ("?", b"") for XML whose root does not show in its first bytes."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(WHITESPACE)
    if text.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        return "?", b""  # XML in UTF-16, which the parser reads and this scan does not: held to SMALL_PART
    if not text.startswith(b"<"):
        return "binary", b""
    for m in ROOT.finditer(text):
        return m[2].decode("ascii"), m[1] or b""
    return "?", b""


def _records(stream, head: bytes, tag: bytes):
    """(start, end, buffer, whether it is the last) of each stretch of the part between two `<tag` elements, the last one
    running to the end, without holding more than `STRETCH` bytes of one stretch."""
    token = b"<" + tag
    buf, start = head, 0
    while True:
        chunk = stream.read(CHUNK)
        at = start + 1
        while True:
            i = buf.find(token, at)
            if i < 0 or i + len(token) >= len(buf):
                break
            if buf[i + len(token)] in b" \t\r\n/>":
                yield start, i, buf, False
                start = i
            at = i + 1
        if not chunk:
            yield start, len(buf), buf, True
            return
        buf, start = buf[start:] + chunk, 0
        if len(buf) - len(chunk) > STRETCH:
            raise Stretch


class Stretch(Exception):
    """One stretch of a part passed `STRETCH` bytes."""


def _scan_sheet(stream, head: bytes, prefix: bytes, max_rows: int) -> Part:
    part = Part()
    # Excel and every other writer put attributes on a cell (`<c r="B2" …>`); a bare `<c>` is not
    # counted here, but a stretch holds at most STRETCH bytes of them and sheetreader._data_rows
    # counts the cells of each row again.
    cell = b"<" + prefix + b"c "
    row = b"<" + prefix + b"row"
    after_tag = len(row)
    limit = max_rows + HEADER_ROWS
    try:
        for start, end, buf, last in _records(stream, head, prefix + b"row"):
            if end - start > STRETCH:
                raise Stretch
            if buf.startswith(row, start):
                m = ROW_NUMBER.match(buf, start + after_tag, min(end, start + 400))  # r="…" comes first
                part.rows = int(m[1]) if m else part.rows + 1
                if part.rows > limit:
                    raise Refused(f"Trang tính có dữ liệu hoặc định dạng tới dòng {vn_number(part.rows)} trở đi, quá "
                                  f"giới hạn {vn_number(max_rows)} dòng một lần "
                                  "nhập. Nếu dưới danh sách còn dòng trống đã định dạng, hãy chọn các dòng đó, xóa "
                                  "(Delete) rồi lưu lại; nếu danh sách dài hơn thật, " + SPLIT)
                n = buf.count(cell, start, end)
                if n > MAX_COLUMNS:
                    raise Refused(f"Dòng {vn_number(part.rows)} có {vn_number(n)} ô, quá giới hạn {MAX_COLUMNS} cột; "
                                  "hãy xóa các cột thừa bên phải danh sách rồi lưu lại.")
            if last and buf.find(b"mergeCell", start, end) >= 0:  # after the rows
                part.merges += [(m[1].decode(), int(m[2]), (m[3] or m[1]).decode(), int(m[4] or m[2]))
                                for m in MERGE.finditer(buf, start, end)]
    except Stretch:
        raise Refused(f"Trang tính có một dòng hoặc một đoạn dữ liệu lớn hơn {_mb(STRETCH)} MB (sau dòng "
                      f"{vn_number(part.rows)}), hoặc có cấu trúc lồng nhau bất thường; hãy xóa nội dung quá dài, hoặc "
                      + RESAVE) from None
    return part


def _scan_strings(stream, head: bytes, prefix: bytes, max_rows: int) -> None:
    limit = max_rows * STRINGS_PER_ROW
    count = -1  # the first stretch is the table's opening tag
    try:
        for start, end, _buf, _last in _records(stream, head, prefix + b"si"):
            if end - start > STRETCH:
                raise Stretch
            count += 1
            if count > limit:
                raise Refused(f"Tệp có hơn {vn_number(limit)} đoạn văn bản khác nhau, quá mức của "
                              f"{vn_number(max_rows)} dòng; " + SPLIT)
    except Stretch:
        raise Refused(f"Tệp có một ô văn bản lớn hơn {_mb(STRETCH)} MB hoặc có cấu trúc lồng nhau bất thường; "
                      "hãy xóa nội dung quá dài, hoặc " + RESAVE) from None
