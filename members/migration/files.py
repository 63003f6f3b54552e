"""The three files of the national migration: their names and columns, a reader that names bad rows
by line, and the report of everything found wrong."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.text import vn_number
from members.spreadsheet import key, written

UNITS_FILE, MEMBERS_FILE, EVENTS_FILE = "to_chuc.csv", "dang_vien.csv", "su_kien.csv"
MEMBER_CODE = "Mã đảng viên"
UNIT_COLUMNS = {"Mã tổ chức": "code", "Mã cấp trên": "parent", "Tên": "name", "Tên ngắn": "short_name",
                "Loại": "kind", "Ký hiệu": "issuer_abbr", "Là TCCSĐ": "is_grassroots",
                "Ngày thành lập": "valid_from", "Ngày kết thúc": "valid_to"}
EVENT_COLUMNS = {MEMBER_CODE: "member", "Sự kiện": "kind", "Ngày": "on", "Mã tổ chức": "unit",
                 "Trạng thái sau": "status_after", "Số quyết định": "decision_number", "Ghi chú": "note"}
# Columns a file may leave out (older exports): read as empty.
OPTIONAL_EVENT_COLUMNS = {"Lý do ra khỏi Đảng": "reason"}
MAX_ERRORS = 10_000  # kept for the report; the rest are counted


@dataclass
class Report:
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    written: bool = False
    steps: dict[str, float] = field(default_factory=dict)  # seconds of each step, for the benchmark

    def error(self, file: str, line: int | None, column: str, value: Any, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"file": file, "line": line, "column": column, "value": written(value),
                                "message": message})

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def summary(self) -> str:
        if not self.ok:
            return f"{vn_number(self.error_count)} lỗi; chưa ghi gì. Hãy sửa các tệp rồi chạy lại."
        what = ", ".join(f"{vn_number(n)} {label}" for label, n in self.counts.items())
        verb = "Đã chuyển đổi" if self.written else "Chạy thử đúng, chưa ghi"
        return f"{verb}: {what} trong {vn_number(self.seconds, 1)} giây."



def rows_of(path: Path, report: Report, columns: dict[str, str],
            optional: dict[str, str] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {field: text}) of each non-empty row; the header must hold every column of `columns`;
    those of `optional` it lacks read as empty."""
    name = path.name
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            by_key = {key(h): i for i, h in enumerate(header)}
            positions = {}
            for title, fld in columns.items():
                if key(title) not in by_key:
                    report.error(name, 1, title, "", f"Thiếu cột “{title}” ở dòng tiêu đề.")
                else:
                    positions[fld] = by_key[key(title)]
            if len(positions) < len(columns):
                return
            absent = {}
            for title, fld in (optional or {}).items():
                if key(title) in by_key:
                    positions[fld] = by_key[key(title)]
                else:
                    absent[fld] = ""
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield reader.line_num, {**absent, **{fld: cells[i].strip() if i < len(cells) else ""
                                                         for fld, i in positions.items()}}
    except UnicodeDecodeError:
        report.error(name, None, "", "", f"Tệp {name} không ở mã UTF-8; hãy lưu lại dạng “CSV UTF-8”.")

