"""A deterministic party: the tree and its members in the shape of PERFORMANCE.md, scaled to N members.

Nationally: 1 root, 40 committees under it, ~4,000 commune-level committees, ~52,000 grassroots
organizations, ~250,000 cells, 5.6 million members. Every count is scaled by N / 5.6 million, so at
N = 1,000,000 the tree has ~7 provinces and ~54,000 units in 5 levels, and a province, a commune and
a cell hold about as many members as real ones do (≈140,000, ≈1,400 and ≈20); only the number of
provinces shrinks. Units get ids in depth-first order, so id order, path order and tree order are
the same, and members are numbered in that order too (rows stored in tree order: locality).

Pure Python and one seeded `random.Random` per stream: the same (N, seed) gives the same rows on any
machine. `bench.load` writes them into the app's tables.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from random import Random

from bench import names
from core.tree import child_path
from members import rules
from members.choices import EventKind, Gender, Status
from members.rules import CCCD_PROVINCE_CODES
from orgs.models import Kind

# Plain strings: the choices are enums, and a driver may dump an enum by its name.
MALE, FEMALE = Gender.MALE.value, Gender.FEMALE.value
OFFICIAL, PROBATIONARY = Status.OFFICIAL.value, Status.PROBATIONARY.value

VERSION = 2  # bump when the generated rows change, so loaded fixtures are rebuilt
NATIONAL_MEMBERS = 5_600_000
NATIONAL_SHAPE = {"committees": 40, "level2": 4_000, "grassroots": 52_000, "cells": 250_000}
AS_OF = date(2026, 1, 1)  # the day the fixture describes: ages, admissions and probation are drawn for it
PARTY_FOUNDED = date(1930, 2, 3)
TREE_FROM = date(2025, 7, 1)  # the current tree took effect with the two-level local government
CELL_MIN, CELL_MAX = 3, 60
FORMER_SHARE = 1 / 5.6  # former members per current one
YEAR = 365.2425


@dataclass(slots=True)
class Unit:
    id: int
    parent_id: int | None
    path: str
    depth: int
    kind: str
    name: str
    short_name: str
    issuer_abbr: str
    is_grassroots: bool
    valid_from: date
    code: str = ""  # "Mã tổ chức": province.level2.grassroots.000.cell, as a provincial digitising project numbers them
    members: int = 0  # current members held directly (cells and grassroots cells only)
    former: int = 0  # former members (left, expelled, deceased…) whose last unit this is
    minority_share: float = 0.0  # share of ethnic-minority members in the commune it belongs to
    minority_group: str = ""  # the commune's main minority group, if it has one


def spread(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` into len(weights) integers >= minimum, proportional to the weights."""
    free = total - minimum * len(weights)
    if free < 0:
        raise ValueError(f"cannot split {total} into {len(weights)} parts of at least {minimum}")
    s = sum(weights)
    exact = [free * w / s for w in weights]
    parts = [int(x) for x in exact]
    # Largest remainders get the units lost to rounding down.
    for i in sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)[: free - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def leaf_sizes(rng: Random, n: int, total: int) -> list[int]:
    """Members per cell: 3–60, most cells small (a gamma tail), summing exactly to `total`."""
    lo = CELL_MIN if total >= CELL_MIN * n else 1
    hi = max(CELL_MAX, 2 * -(-total // n))
    shape = 1.3
    scale = max(total / n - lo, 0.1) / shape
    sizes = [min(hi, lo + round(rng.gammavariate(shape, scale))) for _ in range(n)]
    diff = total - sum(sizes)
    while diff:
        i = rng.randrange(n)
        step = 1 if diff > 0 else -1
        if lo <= sizes[i] + step <= hi:
            sizes[i] += step
            diff -= step
    return sizes


def _code(parent: Unit, n: int) -> str:
    """Mã tổ chức: 2 digits for a province, then 3 per level, "000" where a level is skipped (a chi bộ
    cơ sở has no cells, a cell sits directly under its đảng bộ cơ sở)."""
    if parent.depth == 0:
        return f"{n:02d}"
    if parent.depth == 3:  # cells of a đảng bộ cơ sở: no đảng bộ bộ phận in between
        return f"{parent.code}.000.{n:03d}"
    return f"{parent.code}.{n:03d}"


def _former(rng: Random, members: int) -> int:
    """Former members kept with a cell: about 1 million beside 5.6 million (PERFORMANCE.md)."""
    expected = members * FORMER_SHARE
    return int(expected) + (rng.random() < expected - int(expected))


def build_tree(members: int, seed: int) -> list[Unit]:
    """Every unit, root first, in depth-first (= id = path) order."""
    rng = Random(f"tree-{seed}")
    scale = members / NATIONAL_MEMBERS
    n_prov = max(1, round(NATIONAL_SHAPE["committees"] * scale))
    n_level2 = max(n_prov, round(NATIONAL_SHAPE["level2"] * scale))
    n_grass = max(n_level2, round(NATIONAL_SHAPE["grassroots"] * scale))
    n_cells = max(1, round(NATIONAL_SHAPE["cells"] * scale))

    level2_of = spread(n_level2, [rng.lognormvariate(0, 0.45) for _ in range(n_prov)], 1)
    grass_of = spread(n_grass, [rng.lognormvariate(0, 0.6) for _ in range(n_level2)], 1)
    # About 55% of grassroots organizations are đảng bộ cơ sở with cells; the rest are chi bộ cơ sở.
    is_committee = [rng.random() < 0.55 for _ in range(n_grass)]
    committees = [i for i, c in enumerate(is_committee) if c] or [0]
    for i in committees[max(1, n_cells // 2) :]:  # tiny N: not enough cells for every committee
        is_committee[i] = False
    committees = committees[: max(1, n_cells // 2)]
    is_committee[committees[0]] = True
    per_committee = spread(n_cells, [rng.lognormvariate(0, 0.7) for _ in committees], 2 if n_cells >= 4 else 1)
    cells_of = dict(zip(committees, per_committee, strict=True))
    n_leaves = n_cells + n_grass - len(committees)
    sizes = iter(leaf_sizes(rng, n_leaves, members))

    units: list[Unit] = []
    siblings: dict[int, int] = {}

    def add(parent: Unit | None, kind: str, name: str, short: str, abbr: str, grassroots: bool) -> Unit:
        uid = len(units) + 1
        unit = Unit(
            id=uid,
            parent_id=parent.id if parent else None,
            path=child_path(parent.path if parent else "", uid),
            depth=parent.depth + 1 if parent else 0,
            kind=kind,
            name=name,
            short_name=short,
            issuer_abbr=abbr,
            is_grassroots=grassroots,
            # Every unit from the Party's founding: the fixture holds the current tree only, and what happened
            # in a unit (the admissions decades ago) must fall on a day it existed (members.services).
            valid_from=PARTY_FOUNDED,
        )
        if parent:
            unit.minority_share, unit.minority_group = parent.minority_share, parent.minority_group
            siblings[parent.id] = siblings.get(parent.id, 0) + 1
            unit.code = _code(parent, siblings[parent.id])
        else:
            unit.code = "TW"
        units.append(unit)
        return unit

    root = add(None, Kind.CENTRAL.value, "Đảng Cộng sản Việt Nam", "Trung ương", "TW", False)
    provinces = rng.sample(names.PROVINCES, min(n_prov, len(names.PROVINCES)))
    l2 = g = 0  # running indexes into level2_of / grass_of
    for p in range(n_prov):
        base = provinces[p % len(provinces)]
        short = base + (f" {p // len(provinces) + 1}" if p >= len(provinces) else "")
        city = base in names.CITIES
        where = "thành phố" if city else "tỉnh"
        province = add(root, Kind.PROVINCE.value, f"Đảng bộ {where} {short}", short, "TU", False)
        n_here = level2_of[p]
        n_committees = min(len(names.PROVINCE_COMMITTEES), n_here - 1)
        seen: set[str] = set()
        for k in range(n_here):
            if k < n_committees:
                base = names.PROVINCE_COMMITTEES[k]
                level2 = add(province, Kind.UNDER_PROVINCE.value, f"{base} {where} {short}", "", "ĐU", False)
            else:
                ward = rng.random() < (0.7 if city else 0.15)
                place = names.place_name(rng)
                for _ in range(5):  # commune names are unique within a province
                    if place not in seen:
                        break
                    place = names.place_name(rng)
                else:
                    place = f"{place} {k}"
                seen.add(place)
                level = "phường" if ward else "xã"
                level2 = add(province, Kind.COMMUNE.value, f"Đảng bộ {level} {place}", f"{level.capitalize()} {place}",
                             "ĐU", False)
                # One commune in five is in the highlands, where most members are of an ethnic minority.
                if rng.random() < 0.2:
                    level2.minority_share = rng.uniform(0.3, 0.9)
                    level2.minority_group = names.MINORITY_TABLE.pick(rng)
                else:
                    level2.minority_share = rng.uniform(0, 0.08)
            for _ in range(grass_of[l2]):
                if is_committee[g]:
                    name = f"{rng.choice(names.GRASSROOTS_COMMITTEES)} {names.place_name(rng)}"
                    grass = add(level2, Kind.GRASSROOTS_COMMITTEE.value, name, "", "ĐU", True)
                    for c in range(cells_of[g]):
                        cell = add(grass, Kind.CELL.value, f"{rng.choice(names.CELLS)} {c + 1}", "", "CB", False)
                        cell.members = next(sizes)
                        cell.former = _former(rng, cell.members)
                else:
                    name = f"{rng.choice(names.GRASSROOTS_CELLS)} {names.place_name(rng)}"
                    grass = add(level2, Kind.GRASSROOTS_CELL.value, name, "", "CB", True)
                    grass.members = next(sizes)
                    grass.former = _former(rng, grass.members)
                g += 1
            l2 += 1
    return units


@dataclass(slots=True)
class MemberRow:
    """One member as the national files carry them: the profile, the state now, and the events of
    their party life that the profile alone does not tell (`events`: kind, date, unit code)."""

    id: int
    unit_id: int
    org_path: str
    unit_code: str
    full_name: str
    gender: str
    birth_date: date
    ethnicity: str
    status: str
    admitted_on: date
    recognized_on: date | None
    citizen_id: str = ""
    religion: str = ""
    phone: str = ""
    general_education: str = ""
    degree: str = ""
    political_theory: str = ""
    occupation: str = ""
    hometown: str = ""
    party_card_number: str = ""
    events: list = field(default_factory=list)


def _age(rng: Random) -> float:
    """Years, 18–100, most between 35 and 70: working members, retirees in residential cells, veterans."""
    r = rng.random()
    if r < 0.68:
        age = rng.gauss(47, 11)
    elif r < 0.92:
        age = rng.gauss(68, 7)
    else:
        age = rng.uniform(75, 101)
    return min(max(age, 18.01), 100.99)


# Former members, by how they left (most died; PERFORMANCE.md: ≈1 million beside 5.6 million).
EXITS = names.Table({Status.DECEASED.value: 70, Status.STRUCK_OFF.value: 18, Status.EXPELLED.value: 6,
                     Status.RESIGNED.value: 6})
EXIT_EVENT = {Status.DECEASED.value: EventKind.DECEASED.value, Status.STRUCK_OFF.value: EventKind.STRUCK_OFF.value,
              Status.EXPELLED.value: EventKind.EXPELLED.value, Status.RESIGNED.value: EventKind.RESIGNED.value}
WINDOW_FROM = date(2021, 1, 1)  # the five years of history the files carry
MOVE_SHARE = 0.02  # current members moved between two cells of one commune since the new tree (01/7/2025)
EXCUSED_SHARE_OVER_75 = 0.10  # excused from activity (miễn sinh hoạt), among the oldest
MARGIN = 3  # days beyond the 18th birthday, so rounding never admits anyone a day too young
MAX_ADMISSION_AGE = rules.MAX_ADMISSION_AGE_YEARS - 0.1  # years, kept clear of the limit by more than MARGIN


def member_rows(units: list[Unit], seed: int) -> Iterator[MemberRow]:
    """The current and former members of every cell, in tree order, numbered from 1."""
    rng = Random(f"members-{seed}")
    profiles = Profiles(seed)
    as_of = AS_OF.toordinal()
    cells_of = defaultdict(list)  # commune-level unit path -> its cells, where moves happen
    for u in units:
        if u.members:
            cells_of[u.path[:15]].append(u)
    member_id = 0
    for unit in units:
        for k in range(unit.members + unit.former):
            member_id += 1
            current = k < unit.members
            male = rng.random() < 0.67  # about two men for one woman
            ethnicity, family_table = _ethnicity(rng, unit)
            full_name = (
                f"{family_table.pick(rng)} {names.MIDDLE_TABLES[male].pick(rng)} {names.GIVEN_TABLES[male].pick(rng)}"
            )
            age = _age(rng) if current else min(100.99, _age(rng) + 8)
            birth = as_of - int(age * YEAR)
            # Probation lasts 12 months, so probationary members were admitted within the last year;
            # most of them are young (≈5% of all members).
            p_probation = 0.35 if age < 30 else 0.10 if age < 40 else 0.025
            if current and (age < 19.1 or rng.random() < p_probation):
                status = PROBATIONARY
                latest = max(1, int((age - 18) * YEAR) - MARGIN)  # admitted at 18 or later
                admitted = as_of - rng.randint(1, min(364, latest))
                recognized = None
            else:
                status = OFFICIAL
                # Under the admission age limit: over it the record would need the provincial consent.
                admission_age = min(18 + rng.expovariate(1 / 9), age - 1.05, MAX_ADMISSION_AGE)
                admitted = birth + int(admission_age * YEAR) + MARGIN
                recognized = rules.end_of_probation(date.fromordinal(admitted)).toordinal()
            row = MemberRow(member_id, unit.id, unit.path, unit.code, full_name, MALE if male else FEMALE,
                            date.fromordinal(birth), ethnicity, status, date.fromordinal(admitted),
                            date.fromordinal(recognized) if recognized else None)
            if not current:
                _leave(rng, row)
            elif rng.random() < MOVE_SHARE:
                _move(rng, row, unit, cells_of[unit.path[:15]])
            if current and age > 75 and rng.random() < EXCUSED_SHARE_OVER_75:
                row.events.append((EventKind.EXCUSED.value, _day_after(rng, max(row.admitted_on, WINDOW_FROM)), ""))
            profiles.fill(row, age)
            yield row


def _ethnicity(rng: Random, unit: Unit) -> tuple[str, names.Table]:
    if rng.random() < unit.minority_share:
        group = unit.minority_group if unit.minority_group and rng.random() < 0.7 else None
        table = names.MINORITY_FAMILY_TABLE if rng.random() < 0.5 else names.FAMILY_TABLE
        return group or names.MINORITY_TABLE.pick(rng), table
    return names.MAJORITY, names.FAMILY_TABLE


def _day_after(rng: Random, start: date, end: date = AS_OF) -> date:
    """A day in (start, end), or start itself if there is none."""
    a, b = start.toordinal() + 1, end.toordinal() - 1
    return date.fromordinal(rng.randint(a, b)) if a <= b else start


def _leave(rng: Random, row: MemberRow) -> None:
    """A former member: official (they were admitted long ago), left within the five years."""
    row.status = EXITS.pick(rng)
    start = max(WINDOW_FROM, row.recognized_on or row.admitted_on)
    row.events.append((EXIT_EVENT[row.status], _day_after(rng, start), ""))


def _move(rng: Random, row: MemberRow, unit: Unit, cells: list[Unit]) -> None:
    """Moved here from another cell of the commune after the new tree began."""
    others = [c for c in cells if c.id != unit.id]
    if not others:
        return
    origin = rng.choice(others)
    row.events.append((EventKind.ADMITTED.value, row.admitted_on, origin.code))
    row.events.append((EventKind.MOVED.value, _day_after(rng, max(TREE_FROM, row.admitted_on)), unit.code))


class Profiles:
    """The rest of the lý lịch, drawn from its own stream so that the core rows above stay stable."""

    def __init__(self, seed: int):
        self.rng = Random(f"profiles-{seed}")
        self.serials: dict[str, int] = {}  # CCCD prefix -> last serial: every CCCD is unique
        self.provinces = sorted(CCCD_PROVINCE_CODES)

    def fill(self, row: MemberRow, age: float) -> None:
        rng = self.rng
        birth = row.birth_date
        if rng.random() < (0.95 if row.status in (OFFICIAL, PROBATIONARY) else 0.7):
            century = 2 * ((birth.year - 1900) // 100) + (row.gender == FEMALE)
            prefix = f"{rng.choice(self.provinces)}{century}{birth.year % 100:02d}"
            serial = self.serials[prefix] = self.serials.get(prefix, 0) + 1
            row.citizen_id = f"{prefix}{serial:06d}"
        r = rng.random()
        row.religion = "Không" if r < 0.9 else "Phật giáo" if r < 0.96 else "Công giáo" if r < 0.99 else "Cao Đài"
        if rng.random() < 0.75:
            row.phone = f"0{rng.choice('3579')}{rng.randrange(10**8):08d}"
        row.general_education = ("10/10" if birth.year < 1975 and rng.random() < 0.5 else
                                 "12/12" if rng.random() < 0.85 else "9/12")
        r = rng.random()
        row.degree = "" if r < 0.55 or age < 21 else "Thạc sĩ" if r < 0.6 else "Tiến sĩ" if r < 0.605 else \
            "Cử nhân/Kỹ sư"
        r = rng.random()
        row.political_theory = "Sơ cấp" if r < 0.5 else "Trung cấp" if r < 0.7 else "Cao cấp" if r < 0.74 else ""
        row.occupation = "Hưu trí" if age > 62 else rng.choice(OCCUPATIONS)
        row.hometown = f"xã {names.place_name(rng)}, tỉnh {rng.choice(names.PROVINCES)}"
        if row.status != PROBATIONARY:
            row.party_card_number = f"{row.id:08d}"


OCCUPATIONS = ["Cán bộ, công chức", "Viên chức", "Nông dân", "Công nhân", "Lực lượng vũ trang", "Kinh doanh",
               "Lao động tự do", "Học sinh, sinh viên"]
