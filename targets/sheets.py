"""A target table in Excel: import (all or nothing, with every row's problem) and export, in one layout.

One row per target and year: Nhóm | Tên chỉ tiêu | Loại | Chiều | Đơn vị tính | Năm | Kế hoạch | Kết quả |
Minh chứng. Rows with the same group and name are one target with one plan per year; a "Kết quả" fills the
year's figure. An exported table imports back. The file is held to `core.xlsxguard`'s limits before openpyxl
parses any of it, like the member and tree imports.
"""

import io
import logging
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from openpyxl import Workbook, load_workbook

from core import xlsxguard
from core.errors import DomainError
from core.text import fold, vn_number
from targets import services
from targets.models import Target, TargetGroup
from targets.rules import Direction, Kind, Status
from targets.values import parse_value

logger = logging.getLogger(__name__)

MAX_ROWS = 2000  # a resolution has tens of targets, a term's plan a few hundred rows
MAX_BYTES = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
COLUMNS = {
    "group": ("Nhóm", {"nhom", "nhom chi tieu", "linh vuc"}),
    "name": ("Tên chỉ tiêu", {"ten chi tieu", "chi tieu", "noi dung"}),
    "kind": ("Loại", {"loai", "loai chi tieu"}),
    "direction": ("Chiều", {"chieu", "yeu cau"}),
    "measure": ("Đơn vị tính", {"don vi tinh", "dvt"}),
    "year": ("Năm", {"nam"}),
    "planned": ("Kế hoạch", {"ke hoach", "chi tieu ke hoach", "muc tieu"}),
    "value": ("Kết quả", {"ket qua", "thuc hien", "ket qua thuc hien"}),
    "evidence": ("Minh chứng", {"minh chung", "ghi chu"}),
}
REQUIRED = ("group", "name", "year", "planned")
KINDS = {fold(label): k for k, label in Kind.choices} | {fold(k): k for k in Kind.values} | {
    "so luong": Kind.COUNT, "ty le": Kind.PERCENT, "%": Kind.PERCENT, "ty le dan so": Kind.POPULATION_SHARE,
    "co/khong": Kind.YES_NO, "co khong": Kind.YES_NO}
DIRECTIONS = {fold(label): d for d, label in Direction.choices} | {fold(d): d for d in Direction.values} | {
    "it nhat": Direction.AT_LEAST, "tro len": Direction.AT_LEAST, ">=": Direction.AT_LEAST,
    "khong qua": Direction.AT_MOST, "tro xuong": Direction.AT_MOST, "<=": Direction.AT_MOST, "toi da": Direction.AT_MOST}


@dataclass
class Problem:
    row: int | None
    column: str
    value: str
    message: str


@dataclass
class Line:
    row: int
    cells: dict


@dataclass
class Result:
    created: list[Target] = field(default_factory=list)
    values: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw == int(raw):
        raw = int(raw)
    return " ".join(str(raw).split())


def _read(file) -> tuple[list[Line], list[Problem]]:
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size == 0:
        return [], [Problem(None, "", "", "Tệp rỗng; hãy chọn lại tệp Excel (.xlsx).")]
    if size > MAX_BYTES:
        return [], [Problem(None, "", "", f"Tệp nặng {vn_number(size / 2**20, 1)} MB, quá giới hạn "
                                          f"{vn_number(MAX_BYTES / 2**20)} MB; hãy chia thành nhiều tệp.")]
    if not zipfile.is_zipfile(file):
        return [], [Problem(None, "", "", "Tệp không phải Excel .xlsx; hãy lưu lại dạng “Sổ làm việc Excel (*.xlsx)”.")]
    file.seek(0)
    try:
        xlsxguard.check(file, MAX_ROWS)
    except xlsxguard.Refused as refused:
        return [], [Problem(None, "", "", refused.message)]
    try:
        book = load_workbook(file, read_only=True, data_only=True, keep_links=False)
    except Exception:  # any failure to parse an upload means the same to the user
        logger.info("unreadable target import", exc_info=True)
        return [], [Problem(None, "", "", "Không đọc được tệp Excel; hãy lưu lại dạng .xlsx rồi thử lại.")]
    lines, columns = [], None
    try:
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if columns is None:
                found = {}
                for i, value in enumerate(values):
                    text = fold(_text(value))
                    for name, (header, aliases) in COLUMNS.items():
                        if name not in found and (text == fold(header) or text in aliases):
                            found[name] = i
                if {"name", "planned"} <= set(found):
                    columns = found
                    missing = [COLUMNS[c][0] for c in REQUIRED if c not in columns]
                    if missing:
                        return [], [Problem(number, "", "", "Thiếu cột: " + ", ".join(missing) + ".")]
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            if len(lines) >= MAX_ROWS or number > MAX_ROWS * 2:
                return [], [Problem(number, "", "", f"Tệp có hơn {vn_number(MAX_ROWS)} dòng; hãy chia nhỏ.")]
            cells = {name: (values[i] if i < len(values) else None) for name, i in columns.items()}
            if all(_text(v) == "" for v in cells.values()):
                continue
            lines.append(Line(number, cells))
    finally:
        book.close()
    if columns is None:
        return [], [Problem(None, "", "", "Không thấy dòng tiêu đề (" + ", ".join(h for h, _ in COLUMNS.values())
                                          + "); hãy dùng tệp mẫu.")]
    return lines, []


@dataclass
class _Target:
    row: int
    group: TargetGroup
    name: str
    kind: str
    direction: str
    measure: str
    plans: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)  # year -> (value text, evidence, row)


class _RollBack(Exception):
    pass


def import_targets(file, *, document, unit, by) -> Result:
    """Read `file` and create every target of it (with its plans and results) for `unit` under `document`,
    or none: any row refused rolls the whole file back, and the report names every row's problem."""
    result = Result()
    lines, result.problems = _read(file)
    if not lines and not result.problems:
        result.problems.append(Problem(None, "", "", "Tệp không có dòng nào dưới dòng tiêu đề."))
    if result.problems:
        return result
    groups = {}
    for g in TargetGroup.objects.all():
        groups[fold(g.name)] = g
        groups[fold(g.code)] = g
    by_key: dict[tuple, _Target] = {}
    order: list[_Target] = []
    problems = result.problems

    def problem(line, column, message):
        problems.append(Problem(line.row, COLUMNS[column][0], _text(line.cells.get(column)), message))

    for line in lines:
        c = line.cells
        group_text, name = _text(c.get("group")), _text(c.get("name"))
        group = groups.get(fold(group_text)) or next((g for k, g in groups.items() if group_text and
                                                      fold(group_text) in k), None)
        if group is None:
            problem(line, "group", "Nhóm không có; ghi một trong: " + ", ".join(
                TargetGroup.objects.values_list("name", flat=True)) + ".")
        if not name:
            problem(line, "name", "Thiếu tên chỉ tiêu.")
        kind = KINDS.get(fold(_text(c.get("kind"))) or fold(Kind.COUNT.label))
        if kind is None:
            problem(line, "kind", "Loại không có; ghi một trong: " + ", ".join(Kind.labels) + ".")
        direction = DIRECTIONS.get(fold(_text(c.get("direction"))) or "it nhat")
        if direction is None:
            problem(line, "direction", "Chiều phải là “Ít nhất” hoặc “Không quá”.")
        try:
            year = int(_text(c.get("year")))
            if not 1930 <= year <= 2100:
                raise ValueError
        except ValueError:
            problem(line, "year", "Năm phải là số bốn chữ số, ví dụ 2021.")
            year = None
        if group is None or not name or kind is None or direction is None or year is None:
            continue
        key = (group.pk, fold(name))
        t = by_key.get(key)
        if t is None:
            t = by_key[key] = _Target(line.row, group, name, kind, direction, _text(c.get("measure")))
            order.append(t)
        elif (t.kind, t.direction) != (kind, direction):
            problem(line, "kind", f"Chỉ tiêu này ở dòng {t.row} có loại hoặc chiều khác; một chỉ tiêu một loại.")
            continue
        if year in t.plans:
            problem(line, "year", f"Năm {year} của chỉ tiêu này đã có ở dòng trước; mỗi năm một dòng.")
            continue
        for column, store in (("planned", t.plans), ("value", t.results)):
            raw = _text(c.get(column))
            if column == "value" and not raw:
                continue
            try:
                value = parse_value(kind, raw, what=COLUMNS[column][0])
            except DomainError as e:
                problem(line, column, e.message)
                continue
            store[year] = value if column == "planned" else (value, _text(c.get("evidence")), line.row)
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        return result
    existing = {(g, fold(n)) for g, n in Target.objects.filter(unit=unit, document=document)
                .values_list("group_id", "name")}
    try:
        with transaction.atomic():
            for t in order:
                if (t.group.pk, fold(t.name)) in existing:
                    problems.append(Problem(t.row, COLUMNS["name"][0], t.name, "Chỉ tiêu này đã có trong văn bản của "
                                            "đơn vị; hãy sửa chỉ tiêu đã có thay vì nhập lại."))
                    continue
                try:
                    target = services.create_target(document=document, unit=unit, group=t.group, name=t.name,
                                                    kind=t.kind, direction=t.direction, measure=t.measure,
                                                    plans=t.plans, by=by)
                except DomainError as e:
                    problems += [Problem(t.row, "", t.name, err.message) for err in e.each()]
                    continue
                result.created.append(target)
                for year, (value, evidence, row) in sorted(t.results.items()):
                    try:
                        services.enter_value(target, value=value, year=year, evidence=evidence, by=by)
                        result.values += 1
                    except DomainError as e:
                        problems.append(Problem(row, COLUMNS["value"][0], str(value), e.message))
            if problems:
                raise _RollBack
    except _RollBack:
        result.created, result.values = [], 0
    problems.sort(key=lambda p: p.row or 0)
    return result


def _num(value: Decimal | None, kind: str):
    if value is None:
        return None
    if kind == Kind.YES_NO:
        return "có" if value else "không"
    return int(value) if value == int(value) else float(value)


def export(table, year: int, title: str) -> bytes:
    """The rows of `tables.rows` as a workbook in the import's layout, plus the status (not read back)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Chỉ tiêu")
    sheet.append([title])
    sheet.append([h for h, _ in COLUMNS.values()] + ["Đánh giá", "Đơn vị"])
    for r in table:
        t, f = r.target, r.fig
        value = _num(f.value, t.kind) if f.final else None
        sheet.append([t.group.name, t.name, Kind(t.kind).label, Direction(t.direction).label.split(" (")[0],
                      t.measure, year, _num(f.planned, t.kind) if f.planned_year == year else None, value,
                      "", Status(f.status).label, t.unit.name])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template() -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Chỉ tiêu")
    sheet.append([h for h, _ in COLUMNS.values()])
    sheet.append(["Xây dựng Đảng và hệ thống chính trị", "Kết nạp đảng viên mới", Kind.COUNT.label, "Ít nhất",
                  "đảng viên", 2026, 120, "", ""])
    sheet.append(["Văn hóa – xã hội", "Tỷ lệ hộ nghèo", Kind.PERCENT.label, "Không quá", "%", 2026, "2,5", "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
