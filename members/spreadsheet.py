"""The member sheet: its columns in order, and how each cell is read from and written to Excel.

One list, `COLUMNS`, serves the import template, the import and the export, so a header renamed
here is renamed everywhere. Each importable column has a parser that turns what a cadre typed (or
what Excel made of it) into the stored value, or raises `CellError` with a Vietnamese message that
says what is wrong and how to fix it. Parsers never see an empty cell: an empty cell means "no value"
and the importer decides what that means (required, or leave the stored value as it is).
"""

import re
import unicodedata
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from difflib import get_close_matches
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl.utils.datetime import from_excel

from core.text import fold, vn_date
from members import rules
from members.choices import (
    ETHNICITIES,
    RELIGIONS,
    AcademicTitle,
    Degree,
    Gender,
    StateManagementLevel,
    Status,
    TheoryLevel,
)
from members.models import Member
from orgs.models import OrgUnit

SHEET_NAME = "Đảng viên"
LISTS_SHEET = "Danh mục"
ERRORS_SHEET = "Lỗi"
DATE_FORMAT = "DD/MM/YYYY"
EXAMPLE_NOTE = "DÒNG VÍ DỤ – xóa dòng này trước khi nhập"


class CellError(Exception):
    """A value that cannot be read; the message is Vietnamese and shown next to the cell."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # a Member attribute, or "stt" / "unit_code" / "unit_name"
    parse: Parser | None = None  # None: written on export, ignored on import
    required: bool = False
    width: int = 16
    sensitive: bool = False  # shown only to roles that may see it (CCCD, religion)
    text: bool = False  # "Text" format in the template, so Excel keeps leading zeros
    is_date: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label) for the lists and the export
    aliases: tuple[str, ...] = ()  # other headers accepted on import

    @property
    def importable(self) -> bool:
        return self.parse is not None


def key(text: Any) -> str:
    """What two spellings of a header or a label have in common: "Ê-đê", "ê đê", "EDE" -> "ede"."""
    return re.sub(r"[^a-z0-9]", "", fold(str(text)))


def tidy(text: str) -> str:
    """NFC (Vietnamese typed on different systems composes differently) and no stray spaces."""
    return unicodedata.normalize("NFC", text).strip()


def written(raw: Any) -> str:
    """A cell's value as the user sees it, for the error report."""
    if raw is None:
        return ""
    if isinstance(raw, datetime | date):
        return vn_date(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def unit_code(unit: OrgUnit) -> str:
    """The code a sheet names a unit by; a unit without a code is named by its id as "#12"."""
    return unit.code or f"#{unit.pk}"


# --- parsers ---------------------------------------------------------------------------------------

def _as_text(raw: Any) -> str:
    return tidy(written(raw))


def text_of(name: str) -> Parser:
    """Free text, as long as the model column allows."""
    max_length = Member._meta.get_field(name).max_length

    def parse(raw: Any) -> str:
        value = _as_text(raw)
        if name in ("full_name", "birth_name"):
            value = " ".join(value.split())
        if max_length and len(value) > max_length:
            raise CellError(f"Dài {len(value)} ký tự, quá giới hạn {max_length} ký tự; hãy rút gọn.")
        return value

    return parse


_DMY = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_EXCEL_LAST_DAY = 2958465  # 31/12/9999


def parse_date(raw: Any) -> date:
    """A real Excel date, an Excel serial number, or text day first: 12/3/1980, 12-03-1980, 12.03.1980."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw == int(raw) and 1900 <= raw <= 2100:
            raise CellError(f"Chỉ có năm {int(raw)}; hãy ghi đủ ngày/tháng/năm, ví dụ 17/05/{int(raw)}.")
        if not 1 <= raw <= _EXCEL_LAST_DAY:
            raise CellError(f"Số {written(raw)} không phải ngày; hãy ghi ngày/tháng/năm, ví dụ 12/03/1980.")
        return from_excel(raw).date()
    text = str(raw).strip()
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
        if len(m[4]) != 4:
            raise CellError(f"“{text}”: năm phải ghi đủ 4 chữ số, ví dụ 12/03/1980 (không phải 12/03/80).")
    else:
        raise CellError(f"“{text}” không phải ngày; hãy ghi ngày/tháng/năm (ngày trước), ví dụ 12/03/1980.")
    if not 1 <= month <= 12:
        hint = f" Có phải {month:02d}/{day:02d}/{year}?" if 1 <= day <= 12 and month <= 31 else ""
        raise CellError(f"“{text}”: không có tháng {month}; ngày ghi trước tháng (ngày/tháng/năm).{hint}")
    if year < 1900:
        raise CellError(f"“{text}”: năm {year} không hợp lệ.")
    last = monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise CellError(f"“{text}” không có thật: tháng {month}/{year} chỉ có {last} ngày.")
    return date(year, month, day)


_SEPARATORS = re.compile(r"[\s.,\-]")
_EXPONENT = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")  # 1.09E+11 (or 1,09E+11): a number shown in scientific form


def parse_cccd(raw: Any) -> str:
    """12 digits. A number cell has lost its leading zeros (every CCCD starts with 0)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw != int(raw) or raw < 0:
            raise CellError("Số CCCD phải là 12 chữ số; hãy định dạng cột là Văn bản (Text) rồi ghi lại.")
        digits = str(int(raw))
        if len(digits) < 12:
            raise CellError(f"Số CCCD bị mất số 0 ở đầu (Excel đọc thành số {digits}); hãy định dạng cột là "
                            f"Văn bản (Text) rồi ghi lại đủ 12 chữ số, ví dụ {digits.zfill(12)}.")
        value = digits
    else:
        value = str(raw).strip()
        if _EXPONENT.match(value):  # what a CSV saved by Excel holds for a CCCD stored as a number
            raise CellError(f"Số CCCD đã bị Excel đổi thành dạng số mũ ({value}) và mất các chữ số; hãy định dạng "
                            "cột là Văn bản (Text), ghi lại đủ 12 chữ số rồi lưu lại.")
        compact = _SEPARATORS.sub("", value)
        if compact != value and compact.isdigit():
            raise CellError(f"Số CCCD có dấu cách hoặc dấu phân cách hàng nghìn; hãy ghi liền các chữ số: {compact}.")
    message = rules.check_cccd(value)
    if message:
        raise CellError(message)
    return value


_PHONE = re.compile(r"^\+?[\d\s.\-()]{6,20}$")


def parse_phone(raw: Any) -> str:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        digits = str(int(raw))
        if not digits.startswith("0") and len(digits) in (9, 10):
            raise CellError(f"Số điện thoại bị mất số 0 ở đầu (Excel đọc thành số {digits}); hãy định dạng cột là "
                            f"Văn bản (Text) rồi ghi lại, ví dụ 0{digits}.")
        return digits
    value = tidy(str(raw))
    if not _PHONE.match(value):
        raise CellError(f"“{value}” không phải số điện thoại; chỉ ghi chữ số (có thể có dấu cách, dấu chấm), "
                        "ví dụ 0912 345 678.")
    digits = re.sub(r"\D", "", value)
    if len(digits) == 9 and not value.startswith(("0", "+")):
        # Vietnamese numbers have 10 digits from a 0: nine without it is a number Excel stored as a number
        # (then saved to CSV, or copied) and so lost its leading zero.
        raise CellError(f"Số điện thoại “{value}” thiếu số 0 ở đầu (số Việt Nam có 10 chữ số); hãy ghi 0{digits}.")
    return value


def parse_email(raw: Any) -> str:
    value = tidy(str(raw))
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(f"“{value}” không phải địa chỉ thư điện tử, ví dụ nguyenvanan@gmail.com.") from None
    return value


_GRADE = re.compile(r"^(\d{1,2})/(10|12)$")


def _grade(text: str) -> str | None:
    m = _GRADE.match(text.replace(" ", ""))
    if m and 1 <= int(m[1]) <= int(m[2]):
        return f"{int(m[1])}/{m[2]}"
    return None


def parse_general_education(raw: Any) -> str:
    """"12/12", "9/12", "10/10". Excel turns "12/12" typed in a General cell into 12 December: undo it."""
    if isinstance(raw, datetime | date):
        for guess in (f"{raw.day}/{raw.month}", f"{raw.month}/{raw.day}"):
            if grade := _grade(guess):
                return grade
    elif grade := _grade(_as_text(raw)):
        return grade
    raise CellError(f"“{written(raw)}” không đúng dạng lớp/hệ, ví dụ 12/12, 9/12 hoặc 10/10; "
                    "hãy định dạng cột là Văn bản (Text) để Excel không đổi thành ngày.")


def parse_code(raw: Any) -> str:
    return _as_text(raw).upper()


def choice(pairs: tuple[tuple[str, str], ...], aliases: dict[str, str] | None = None) -> Parser:
    """A closed list: the label (or the stored value), whatever the case, diacritics or hyphens."""
    table = {key(label): value for value, label in pairs}
    table.update({key(value): value for value, _ in pairs if value})
    table.update({key(alias): value for alias, value in (aliases or {}).items()})
    labels = [label for _, label in pairs]
    hint = ", ".join(labels) if len(labels) <= 8 else "xem trang tính “Danh mục”"

    def parse(raw: Any) -> str:
        found = table.get(key(_as_text(raw)))
        if found is None:
            raise CellError(f"“{written(raw)}” không có trong danh mục; chọn một trong: {hint}.")
        return found

    return parse


def _pairs(values) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


def _choices(cls) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in cls.choices)


ETHNICITY_ALIASES = {"H'Mông": "Mông", "Khơ-me": "Khmer"}  # hyphens, spaces and case never matter
RELIGION_ALIASES = {"Thiên Chúa giáo": "Công giáo", "Hòa Hảo": "Phật giáo Hòa Hảo", "Đạo Phật": "Phật giáo"}
DEGREE_ALIASES = {"Cử nhân": Degree.BACHELOR, "Kỹ sư": Degree.BACHELOR, "Đại học": Degree.BACHELOR,
                  "Thạc sỹ": Degree.MASTER, "Tiến sỹ": Degree.DOCTOR}
THEORY_ALIASES = {"Cử nhân chính trị": TheoryLevel.BACHELOR, "Cao cấp chính trị": TheoryLevel.ADVANCED,
                  "Trung cấp chính trị": TheoryLevel.INTERMEDIATE, "Sơ cấp chính trị": TheoryLevel.ELEMENTARY}


def _choice_column(header: str, field: str, pairs, value_aliases=None, **kw) -> Column:
    return Column(header, field, choice(pairs, value_aliases), choices=pairs, **kw)


def _text_column(header: str, field: str, width: int = 20, **kw) -> Column:
    return Column(header, field, text_of(field), width=width, **kw)


def _date_column(header: str, field: str, **kw) -> Column:
    return Column(header, field, parse_date, width=13, is_date=True, **kw)


COLUMNS: list[Column] = [
    Column("STT", "stt", width=6),
    _text_column("Họ và tên", "full_name", 26, required=True, aliases=("Họ tên", "Họ và tên đang dùng")),
    _text_column("Họ và tên khai sinh", "birth_name", 24),
    _text_column("Bí danh", "alias", 14),
    _choice_column("Giới tính", "gender", _choices(Gender), required=True, width=10),
    _date_column("Ngày sinh", "birth_date", required=True, aliases=("Ngày tháng năm sinh",)),
    _text_column("Nơi sinh", "birthplace", 28),
    _text_column("Quê quán", "hometown", 28),
    _text_column("Quê quán (địa danh cũ)", "hometown_old", 28),
    _text_column("Nơi thường trú", "permanent_address", 30),
    _text_column("Nơi ở hiện nay", "current_address", 30),
    _choice_column("Dân tộc", "ethnicity", _pairs(ETHNICITIES), ETHNICITY_ALIASES, width=12),
    _choice_column("Tôn giáo", "religion", _pairs(RELIGIONS), RELIGION_ALIASES, width=14, sensitive=True),
    Column("Số CCCD", "citizen_id", parse_cccd, width=16, sensitive=True, text=True,
           aliases=("CCCD", "Số căn cước", "Số căn cước công dân", "Số định danh cá nhân")),
    Column("Điện thoại", "phone", parse_phone, width=14, text=True, aliases=("Số điện thoại",)),
    # "Email" was the header until 2026; files made from older templates still import.
    Column("Thư điện tử", "email", parse_email, width=24, aliases=("Email", "E-mail")),
    Column("Giáo dục phổ thông", "general_education", parse_general_education, width=11, text=True),
    _text_column("Chuyên môn", "professional_qualification", 22, aliases=("Chuyên môn, nghiệp vụ",)),
    _choice_column("Học vị", "degree", _choices(Degree), DEGREE_ALIASES, width=14),
    _choice_column("Học hàm", "academic_title", _choices(AcademicTitle), width=12),
    _choice_column("Lý luận chính trị", "political_theory", _choices(TheoryLevel), THEORY_ALIASES, width=14,
                   aliases=("Trình độ lý luận chính trị",)),
    _choice_column("Quản lý nhà nước", "state_management", _choices(StateManagementLevel), width=16),
    _text_column("Ngoại ngữ", "foreign_languages", 14),
    _text_column("Nghề nghiệp", "occupation", 18),
    _text_column("Nơi làm việc", "workplace", 24),
    _text_column("Chức vụ", "position", 22, aliases=("Chức vụ chính quyền, đoàn thể",)),
    _text_column("Chức vụ Đảng", "party_positions", 22),
    Column("Mã chi bộ", "unit_code", parse_code, required=True, width=11, text=True),
    Column("Tên chi bộ", "unit_name", width=28),
    _choice_column("Trạng thái", "status", _choices(Status), required=True, width=12),
    _date_column("Ngày vào Đảng", "admitted_on", required=True, aliases=("Ngày kết nạp", "Ngày kết nạp Đảng")),
    _text_column("Nơi kết nạp", "admission_place", 24),
    _date_column("Ngày chính thức", "recognized_on", aliases=("Ngày công nhận chính thức",)),
    # Only for an admission over 60: the provincial committee's written consent (members.rules).
    _text_column("Số văn bản đồng ý kết nạp trên 60 tuổi", "over_age_consent_number", 18,
                 aliases=("Số văn bản đồng ý trên 60 tuổi",)),
    _date_column("Ngày văn bản đồng ý kết nạp trên 60 tuổi", "over_age_consent_on",
                 aliases=("Ngày văn bản đồng ý trên 60 tuổi",)),
    Column("Số thẻ đảng viên", "party_card_number", text_of("party_card_number"), width=14, text=True,
           aliases=("Số thẻ đảng",)),
    _text_column("Diện quản lý", "managed_by", 22),
    _text_column("Ghi chú", "notes", 30),
]
BY_FIELD = {c.field: c for c in COLUMNS}
BY_KEY = {key(name): c for c in COLUMNS for name in (c.header, *c.aliases)}
REQUIRED = [c for c in COLUMNS if c.required]


def columns_for(include_sensitive: bool) -> list[Column]:
    return [c for c in COLUMNS if include_sensitive or not c.sensitive]


def match_headers(cells: list[Any]) -> tuple[dict[int, Column], list[tuple[int | None, str, str]]]:
    """Map the header row's positions to columns. Problems come back as (index, header as written,
    message): a header we do not know (with the closest one we do), a header twice, a required one missing."""
    found: dict[int, Column] = {}
    problems: list[tuple[int | None, str, str]] = []
    unknown: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        text = written(cell).strip()
        if not text:
            continue
        column = BY_KEY.get(key(text))
        if column is None:
            unknown[i] = text
        elif column.field in seen:
            problems.append((i, text, f"Cột “{column.header}” xuất hiện hai lần; hãy xóa một cột."))
        else:
            seen[column.field] = i
            found[i] = column
    for column in REQUIRED:
        if column.field in seen:
            continue
        positions = {fold(t): i for i, t in unknown.items()}
        close = _closest(column.header, {k: k for k in positions})
        if close is None:
            problems.append((None, "", f"Thiếu cột bắt buộc “{column.header}”. Hãy thêm cột này (xem mẫu tải về)."))
            continue
        i = positions[close]
        problems.append((i, unknown[i], f"Thiếu cột bắt buộc “{column.header}”. Cột gần giống nhất trong tệp là "
                                        f"“{unknown[i]}”: hãy đổi tên thành “{column.header}”."))
        del unknown[i]
    missing = {fold(c.header): c.header for c in COLUMNS if c.importable and c.field not in seen}
    for i, text in unknown.items():
        close = _closest(text, missing)
        hint = f" Có phải “{close}”? Hãy sửa tiêu đề cho đúng mẫu." if close else " Hãy xóa cột này hoặc dùng mẫu tải về."
        problems.append((i, text, f"Cột “{text}” không có trong mẫu.{hint}"))
    return found, problems


def _closest(text: str, candidates: dict[str, str]) -> str | None:
    """The candidate (folded -> as written) most like `text`, compared without diacritics."""
    found = get_close_matches(fold(text), list(candidates), n=1, cutoff=0.6)
    return candidates[found[0]] if found else None


def export_value(column: Column, member: Member) -> Any:
    """What the export writes in `column` for `member` (labels for closed lists, dates as dates)."""
    if column.field == "unit_code":
        return unit_code(member.unit)
    if column.field == "unit_name":
        return member.unit.name
    if column.field == "recognized_on":
        return member.official_since
    value = getattr(member, column.field)
    if column.choices and value:
        return dict(column.choices).get(value, value)
    return value if value not in ("", None) else None
