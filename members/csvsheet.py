"""The member list as a CSV file: the same headers, checks and error report as the xlsx sheet.

Officers keep their lists in Excel, so a CSV is nearly always Excel's "Save As", and is read as
Excel writes it:

- "CSV UTF-8 (Comma delimited)" is UTF-8 with a byte order mark; UTF-8 without one works too.
- Plain "CSV (Comma delimited)" is in the Windows code page (1258 on a Vietnamese Windows): refused,
  with how to save it again (`decode` says why it is not guessed).
- The delimiter is Windows' list separator: "," or, where the decimal mark is a comma, ";". It is
  told from the header line.
- Every value is the cell as it was shown: dates are text (`parse_date` reads them day first), a
  CCCD keeps its leading zeros if its column was Text. Excel writes a formula's value, never the
  formula.

Rows are numbered as Excel numbers them when it opens the file, header = 1: the line of the file,
unless a quoted value above holds a line break (Excel shows such a value in one cell of one row).
The officer fixes the file in Excel, and the error report, an xlsx laid out the same way
(`csv_records`), marks its cells at those rows.
"""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from django.conf import settings
from openpyxl.utils import get_column_letter

from core.text import vn_number
from members.sheetreader import (
    HEADER_SEARCH_ROWS,
    Row,
    Sheet,
    excess,
    fatal,
    find_header,
    problem,
    read_header,
    refuse,
    too_big_message,
)
from members.spreadsheet import BY_KEY, Column, key

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode Text" (tab-delimited UTF-16)
DELIMITERS = (",", ";", "\t")  # in this order when two split the header line equally well
SNIFF_BYTES = 64 * 1024
# Bytes of text: tab, line feed, form feed, carriage return, escape, and everything from the space up.
TEXT_BYTES = bytes([9, 10, 12, 13, 27, *range(32, 256)])
SAVE_AS_CSV = ("hãy mở tệp Excel gốc, chọn File → Save As (Lưu thành) → “CSV UTF-8 (Comma delimited) (*.csv)” rồi tải "
               "lên lại, hoặc tải lên thẳng tệp Excel .xlsx.")
# Excel keeps a formula out of a CSV (it writes the value), so text starting with "=" was typed as
# text, and is kept as text: our own export writes such values ("=ghi chú") as text cells and must
# import back unchanged. What reads as a formula, a cell reference or a function call after the
# "=" (=A1, =B2+1, =DATE(1990,4,2)), is surely not the value meant and is reported, as in an xlsx.
FORMULA = re.compile(r"=\s*(?:\$?[A-Za-z]{1,3}\$?\d+\b|[A-Za-z][A-Za-z0-9._]*\s*\()")


def looks_like_text(file) -> bool:
    """Whether `file` (a binary file object at 0) holds text, to be read as CSV; an xlsx (a zip),
    an old .xls and other binary files hold NUL and control bytes."""
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if head.startswith(UTF16_BOMS):
        return True  # text, in an encoding `decode` explains
    odd = head.translate(None, TEXT_BYTES)
    return bool(head) and b"\0" not in odd and len(odd) * 100 <= len(head)


def encoding_problem(data: bytes) -> str | None:
    """Why the bytes of a CSV file are not text this import reads, in Vietnamese, or None. Decoded a
    megabyte at a time, so that checking never holds the whole text."""
    if data.startswith(UTF16_BOMS):
        return "Tệp là “Văn bản Unicode” (UTF-16), không phải CSV UTF-8; " + SAVE_AS_CSV
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1024 * 1024
    for at in range(0, len(data), step):
        try:
            decoder.decode(data[at:at + step], final=at + step >= len(data))
        except UnicodeDecodeError as e:
            # Not decoded as Windows-1258, though Python could: the same bytes are valid Windows-1252
            # (Excel on an English Windows, which has already turned most Vietnamese letters into "?"),
            # and Excel's plain CSV replaces what its code page lacks without a word. A guess could
            # write wrong names into party records; saving again as CSV UTF-8 costs one step, loses nothing.
            line = data.count(b"\n", 0, max(at + e.start, 0)) + 1
            return (f"Tệp CSV không lưu theo bảng mã UTF-8 (dòng {line} có chữ không đọc được). Có lẽ tệp được lưu "
                    "bằng “CSV (Comma delimited)”: khi đó Excel ghi theo bảng mã của Windows (Windows-1258) và có thể "
                    "làm mất dấu tiếng Việt, nên hệ thống không đoán, để không ghi sai họ tên. Để sửa, " + SAVE_AS_CSV)
    return None


def _nfc(values: list[str]) -> list[str]:
    # Text typed on different systems composes Vietnamese differently; a header must match either way.
    return [v if v.isascii() else unicodedata.normalize("NFC", v) for v in values]


def delimiter(data: bytes) -> str:
    """The delimiter that splits the header line into the most known headers (a title may sit
    above it); without one, the delimiter the first line holds most of."""
    head = unicodedata.normalize("NFC", data[:SNIFF_BYTES].removeprefix(UTF8_BOM).decode("utf-8", "ignore"))
    best, most = DELIMITERS[0], 0
    for d in DELIMITERS:
        lines = islice(csv.reader(io.StringIO(head, newline=""), delimiter=d), HEADER_SEARCH_ROWS)
        known = max((sum(key(v) in BY_KEY for v in values) for values in lines), default=0)
        if known > most:
            best, most = d, known
    if most:
        return best
    first = head.split("\n", 1)[0]
    return max(DELIMITERS, key=first.count)


class Broken(Exception):
    """The CSV cannot be read on from some line; the message says where and how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def records(data: bytes, delim: str) -> Iterator[list[str]]:
    """Every record of UTF-8 `data`, one at a time (a blank line is an empty one, so that record n
    sits on Excel's row n); `Broken` where the quoting is broken or a value is too long."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delim, strict=True)
    start = 1  # the line the record being read starts on
    try:
        for values in reader:
            yield _nfc(values)
            start = reader.line_num + 1
    except csv.Error as e:
        if "field larger than field limit" in str(e):  # csv's own bound, 131,072 characters
            raise Broken(f"Tệp CSV có một giá trị dài hơn {vn_number(csv.field_size_limit())} ký tự từ dòng {start}; "
                         "một ô Excel chỉ chứa tối đa 32.767 ký tự. Thường do một dấu ngoặc kép (\") không đóng nên "
                         "phần còn lại của tệp bị gộp vào một ô; hãy sửa dòng này hoặc mở bằng Excel rồi lưu lại dạng "
                         "“CSV UTF-8 (Comma delimited)”.") from None
        # an opening quote never closed (it swallows the rest), or text after a closing one
        raise Broken(f"Tệp CSV hỏng từ dòng {start}: dấu ngoặc kép (\") không khớp, có giá trị mở ngoặc kép mà không "
                     "đóng, hoặc có chữ ngay sau dấu ngoặc kép đóng. Hãy sửa dòng này (dấu \" trong một giá trị viết "
                     "thành \"\") hoặc mở bằng Excel rồi lưu lại dạng “CSV UTF-8 (Comma delimited)”.") from None


def csv_records(data: bytes) -> Iterator[list[str]] | None:
    """The records of a CSV file as `read_csv` numbers them, one at a time, or None if it cannot be
    read (a record that breaks the file ends them)."""
    if encoding_problem(data):
        return None

    def each():
        try:
            yield from records(data, delimiter(data))
        except Broken:
            return

    return each()


def read_csv(file) -> Sheet:
    """Every non-empty data row of a CSV member list (a binary file object at 0), with the problems
    of the file: too big, not UTF-8, broken quotes, headers as in the xlsx, lines with too many values.
    The records are read one at a time and the first one past the limits ends the reading."""
    sheet = Sheet()
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size > settings.MEMBER_IMPORT_MAX_BYTES:
        return fatal(sheet, problem(None, "", "", too_big_message(size)))
    data = file.read()
    if reason := encoding_problem(data):
        return fatal(sheet, problem(None, "", "", reason))
    delim = delimiter(data)
    found = records(data, delim)
    try:
        if data.count(b"\n") > settings.MEMBER_IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS:
            # More lines than rows allowed: count the records (a quoted value may hold line breaks)
            # before keeping any row, so that a small file of many short lines is refused at once.
            for number, values in enumerate(records(data, delim), start=1):
                if reason := excess(number - HEADER_SEARCH_ROWS, number, len(values)):
                    return refuse(sheet, reason)
        head = list(islice(found, HEADER_SEARCH_ROWS))
        header_row = find_header(head)
        if header_row is None:
            return fatal(sheet, problem(None, "", "", "Tệp CSV trống: không có dòng tiêu đề và dữ liệu."))
        header = head[header_row - 1]
        if reason := excess(0, header_row, len(header)):
            return refuse(sheet, reason)
        columns = read_header(sheet, header, header_row)
        if columns is None:
            return sheet
        width = max((i + 1 for i, v in enumerate(header) if v.strip()), default=0)
        sheet.rows = _data_rows(chain(head[header_row:], found), header_row + 1, columns, width, delim, sheet)
    except Broken as e:
        return refuse(sheet, e.message)
    if not sheet.rows and not sheet.errors:
        message = f"Tệp CSV không có dòng dữ liệu nào dưới dòng tiêu đề (dòng {header_row})."
        return fatal(sheet, problem(None, "", "", message))
    return sheet


def _data_rows(found: Iterable[list[str]], start: int, columns: dict[int, Column], width: int, delim: str,
               sheet: Sheet) -> list[Row]:
    importable = {i: (c, get_column_letter(i + 1)) for i, c in columns.items() if c.importable}
    out = []
    for number, values in enumerate(found, start=start):
        if reason := excess(number - start + 1, number, len(values)):
            refuse(sheet, reason)
            return []
        extra = [i for i in range(width, len(values)) if values[i].strip()]
        if extra:  # reported alone: the values after a stray delimiter sit in the wrong columns
            sheet.errors.append(_too_many(number, values, width, extra, delim))
            continue
        row = Row(number, {}, sheet.letters)
        for i, (column, letter) in importable.items():
            if i >= len(values) or not values[i].strip():
                continue
            value = values[i]
            if FORMULA.match(value):
                sheet.errors.append(problem(number, column.header, value, f"Ô chứa công thức ({value}); tệp CSV không "
                                            "tính công thức, hãy ghi chính giá trị cần nhập.", f"{letter}{number}"))
                row.formulas |= {column.field}
                row.bad = True
            row.raw[column.field] = value
        if row.raw:
            out.append(row)
    return out


def _too_many(number: int, values: list[str], width: int, extra: list[int], delim: str) -> dict:
    shown = {",": "dấu phẩy (,)", ";": "dấu chấm phẩy (;)", "\t": "dấu Tab"}[delim]
    first = extra[0]
    return problem(number, "", values[first], f"Dòng này có {extra[-1] + 1} giá trị, nhiều hơn {width} cột của dòng "
                   f"tiêu đề (thừa từ cột {get_column_letter(first + 1)}). Thường do một giá trị có {shown} mà không "
                   "đặt trong ngoặc kép, nên các giá trị sau bị lệch cột; hãy đặt giá trị đó trong ngoặc kép (\"…\") "
                   "hoặc sửa trong Excel rồi lưu lại dạng “CSV UTF-8 (Comma delimited)”.",
                   f"{get_column_letter(first + 1)}{number}")
