"""The bodies each kind of organization has, their symbols, sizes and term lengths.

Sources: rules.md §5 (UBKT from the grassroots committee up), §6 (a term runs from the day after the
congress closes to the day the next one closes), §9 (the district level ends 30/6/2025); rules-2026.md
§7d (issuer abbreviations TU, HU, ĐU, CB, UBKTTU, BTCTU, BTCĐU …) and §9 (QĐ 298-QĐ/TW: the commune
committee's three boards from 01/7/2025). What is unsure is marked UNSURE and shown as such on the pages;
an administrator may override any of it in settings (`BODIES_RULES`), because these changed in 2025.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models

from orgs.models import Kind

REFORM = date(2025, 7, 1)


class BodyKind(models.TextChoices):
    COMMITTEE = "cap_uy", "Cấp ủy (Ban Chấp hành)"
    STANDING = "ban_thuong_vu", "Ban Thường vụ"
    PERMANENT = "thuong_truc", "Thường trực cấp ủy"
    INSPECTION = "ubkt", "Ủy ban Kiểm tra"
    BOARD = "ban", "Ban tham mưu, văn phòng"
    CELL_COMMITTEE = "chi_uy", "Chi ủy (hoặc bí thư chi bộ)"


class Title(models.TextChoices):
    SECRETARY = "bi_thu", "Bí thư"
    DEPUTY = "pho_bi_thu", "Phó Bí thư"
    STANDING_MEMBER = "uv_btv", "Ủy viên Ban Thường vụ"
    COMMITTEE_MEMBER = "cap_uy_vien", "Cấp ủy viên"
    INSPECTION_CHAIR = "chu_nhiem_ubkt", "Chủ nhiệm Ủy ban Kiểm tra"
    INSPECTION_DEPUTY = "pho_chu_nhiem_ubkt", "Phó Chủ nhiệm Ủy ban Kiểm tra"
    INSPECTION_MEMBER = "uv_ubkt", "Ủy viên Ủy ban Kiểm tra"
    HEAD = "truong_ban", "Trưởng ban / Chánh Văn phòng"
    DEPUTY_HEAD = "pho_ban", "Phó Trưởng ban / Phó Chánh Văn phòng"


class How(models.TextChoices):
    ELECTED = "bau", "Bầu"
    APPOINTED = "bo_nhiem", "Bổ nhiệm"
    DESIGNATED = "chi_dinh", "Chỉ định"


# Posts of which a body has at most one holder on a day.
SINGLE_TITLES = {Title.SECRETARY, Title.INSPECTION_CHAIR, Title.HEAD}
# The titles each kind of body may hold.
TITLES_BY_BODY = {
    BodyKind.COMMITTEE: {Title.SECRETARY, Title.DEPUTY, Title.STANDING_MEMBER, Title.COMMITTEE_MEMBER},
    BodyKind.STANDING: {Title.SECRETARY, Title.DEPUTY, Title.STANDING_MEMBER},
    BodyKind.PERMANENT: {Title.SECRETARY, Title.DEPUTY},
    BodyKind.INSPECTION: {Title.INSPECTION_CHAIR, Title.INSPECTION_DEPUTY, Title.INSPECTION_MEMBER},
    BodyKind.BOARD: {Title.HEAD, Title.DEPUTY_HEAD},
    BodyKind.CELL_COMMITTEE: {Title.SECRETARY, Title.DEPUTY, Title.COMMITTEE_MEMBER},
}

UPPER = {Kind.PROVINCE, Kind.UNDER_CENTRAL, Kind.UNDER_PROVINCE, Kind.DISTRICT, Kind.COMMUNE}
COMMITTEES = {Kind.GRASSROOTS_COMMITTEE, Kind.SUB_COMMITTEE}
CELLS = {Kind.GRASSROOTS_CELL, Kind.CELL}
# Which bodies a kind of organization has (rules.md §5: UBKT from the grassroots committee up; a
# standing committee from the level above the grassroots, and at a grassroots committee with ≥ 9 cấp ủy
# viên, so offered there too).
BODY_KINDS_BY_UNIT = {
    **{k: [BodyKind.COMMITTEE, BodyKind.STANDING, BodyKind.PERMANENT, BodyKind.INSPECTION, BodyKind.BOARD] for k in UPPER},
    Kind.GRASSROOTS_COMMITTEE: [BodyKind.COMMITTEE, BodyKind.STANDING, BodyKind.INSPECTION],
    Kind.SUB_COMMITTEE: [BodyKind.COMMITTEE],
    **{k: [BodyKind.CELL_COMMITTEE] for k in CELLS},
}


def body_kinds(unit_kind: str) -> list[str]:
    """The kinds of body a kind of organization may have; `BODIES_RULES["body_kinds"]` overrides per kind."""
    overrides = getattr(settings, "BODIES_RULES", {}).get("body_kinds", {})
    return list(overrides.get(unit_kind, BODY_KINDS_BY_UNIT.get(unit_kind, [])))


def issuer_suffix(unit) -> str:
    """The organization's own symbol (TU, HU, ĐU, CB), from the unit or, if empty, its kind."""
    if unit.issuer_abbr:
        return unit.issuer_abbr
    return {Kind.PROVINCE: "TU", Kind.DISTRICT: "HU"}.get(unit.kind, "CB" if unit.kind in CELLS else "ĐU")


# Symbol prefixes of bodies (rules-2026 §7d: BTVTU, UBKTTU, BTCTU, BTCĐU; BTV… by the same pattern).
SYMBOL_PREFIX = {BodyKind.COMMITTEE: "", BodyKind.STANDING: "BTV", BodyKind.PERMANENT: "TT",
                 BodyKind.INSPECTION: "UBKT", BodyKind.CELL_COMMITTEE: ""}


def default_symbol(kind: str, unit) -> str:
    """The symbol when none is typed: BTV + TU = BTVTU, UBKT + ĐU = UBKTĐU; a board's needs typing (BTC…)."""
    if kind not in SYMBOL_PREFIX:
        return ""
    return SYMBOL_PREFIX[kind] + issuer_suffix(unit)


@dataclass(frozen=True)
class Board:
    name: str
    prefix: str  # BTC + TU = BTCTU
    valid_from: date | None
    valid_to: date | None
    unsure: bool = False


# Advisory boards of a provincial committee, dated: the propaganda and mass-mobilization boards were merged
# in 2025 (rules-2026 §9; the merger's exact day per province is UNSURE: 01/3/2025 is taken).
PROVINCE_BOARDS = [
    Board("Văn phòng", "VP", None, None),
    Board("Ban Tổ chức", "BTC", None, None),
    Board("Ban Tuyên giáo", "BTG", None, date(2025, 2, 28), unsure=True),
    Board("Ban Dân vận", "BDV", None, date(2025, 2, 28), unsure=True),
    Board("Ban Tuyên giáo và Dân vận", "BTGDV", date(2025, 3, 1), None, unsure=True),
    Board("Ban Nội chính", "BNC", None, None),
]
# A commune committee from 01/7/2025 (QĐ 298-QĐ/TW, rules-2026 §9; the text itself was not read: likely).
COMMUNE_BOARDS = [
    Board("Văn phòng", "VP", REFORM, None),
    Board("Ban Xây dựng Đảng", "BXDĐ", REFORM, None, unsure=True),
]
BOARDS_BY_UNIT = {Kind.PROVINCE: PROVINCE_BOARDS, Kind.COMMUNE: COMMUNE_BOARDS}


def boards_on(unit_kind: str, on: date) -> list[Board]:
    return [b for b in BOARDS_BY_UNIT.get(unit_kind, [])
            if (b.valid_from is None or b.valid_from <= on) and (b.valid_to is None or b.valid_to >= on)]


# Term length in years by kind of organization (Điều lệ 2011 Điều 13: 5 years for a committee's term).
# UNSURE: a cell (not a grassroots cell) held its congress twice in five years until 2025; QĐ 294-QĐ/TW
# (pilot) and HD 06-HD/TW make it once in five years from 01/7/2025 (rules.md §9).
TERM_YEARS = 5
CELL_TERM_YEARS_BEFORE_REFORM = 2.5  # twice per 5 years
CELL_TERM_UNSURE = True


def term_years(unit_kind: str, starts_on: date) -> float:
    overrides = getattr(settings, "BODIES_RULES", {}).get("term_years", {})
    if unit_kind in overrides:
        return overrides[unit_kind]
    if unit_kind == Kind.CELL and starts_on < REFORM:
        return CELL_TERM_YEARS_BEFORE_REFORM
    return TERM_YEARS


def term_label(start_year: int, years: float) -> str:
    """“2025–2030”: the years a term is named by."""
    return f"{start_year}–{start_year + int(round(years))}"


UNSURE_NOTES = [
    "Độ dài nhiệm kỳ của chi bộ trực thuộc sau 01/7/2025 (5 năm theo QĐ 294-QĐ/TW, HD 06-HD/TW; thí điểm) "
    "được cấu hình, chưa đối chiếu toàn văn.",
    "Danh sách các ban tham mưu theo cấp (hợp nhất Ban Tuyên giáo và Ban Dân vận năm 2025; ba cơ quan tham mưu "
    "của đảng ủy xã theo QĐ 298-QĐ/TW) là dữ liệu có ngày hiệu lực, có thể điều chỉnh; ngày hợp nhất tại từng "
    "tỉnh chưa chắc chắn.",
]
