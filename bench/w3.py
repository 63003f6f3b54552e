"""W3 of PERFORMANCE.md: the national import, end to end, against raw loads of the same file in the same run.

The app: `manage.py import_national` on the generated files (units, members current and former,
five years of events), run by `bench.load` as its own process: every row parsed and checked by the
member sheet's parsers and the profile and history rules, all or nothing in one transaction,
members, events and placements written (PostgreSQL COPY, SQLite executemany), indexes rebuilt,
tallies counted. Its rate counts member rows (the events and placements are written besides).

References, on the same `dang_vien.csv`, and on what the app wrote:
- raw load: PostgreSQL `COPY … FROM STDIN (FORMAT csv)` of the file's bytes into a table of text
  columns with no index (no parsing, no checks); SQLite `executemany` of the rows `csv.reader`
  gives into such a table;
- bulk_create: Django `bulk_create` of `Member` objects built from the first BULK_ROWS rows,
  minimal parsing (dates, unit), into the real table, rolled back. Columns with a database default
  get plain values (as `members.importer` gives them): left to `db_default`, bulk_create writes an
  expression per row and column and runs several times slower still;
- the database floor: the rows the app wrote (members, events, placements), already parsed, copied
  by the database itself into copies of their tables (`INSERT … SELECT`, primary key in place),
  then the same secondary indexes, unique constraints and foreign keys built as the app builds
  them, rolled back: what any importer of this schema pays on this machine however fast its
  checks, so `members / floor seconds` is the most any importer could reach here.
"""

import csv
import re
from datetime import date
from itertools import islice
from pathlib import Path
from time import perf_counter

from django.db import connection, transaction

from bench.load import REPO
from bench.timing import Rollback
from core import bulk
from core.text import fold, name_sort_key
from members.choices import Gender, Status
from members.importer import DB_DEFAULTS  # plain values for db_default columns, as the importer gives them
from members.models import Member, MemberEvent, MemberPeriod
from orgs.models import OrgUnit

BULK_ROWS = 100_000
STATUS = {str(s.label): s.value for s in Status}
GENDER = {str(g.label): g.value for g in Gender}


def _dmy(text: str) -> date | None:
    if not text:
        return None
    d, m, y = text.split("/")
    return date(int(y), int(m), int(d))


def raw_load(path: Path) -> tuple[int, float]:
    """Rows and seconds of the database's own bulk load of the file, nothing checked."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    cols = ", ".join(f"c{i} text" for i in range(len(header)))
    with transaction.atomic(), connection.cursor() as c:
        c.execute(f"CREATE TEMPORARY TABLE w3_raw ({cols})")
        t = perf_counter()
        if connection.vendor == "postgresql":
            with open(path, "rb") as f, c.cursor.copy("COPY w3_raw FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while block := f.read(1 << 20):
                    copy.write(block)
        else:
            with open(path, encoding="utf-8-sig", newline="") as f:
                rows = csv.reader(f)
                next(rows)
                marks = ", ".join("?" * len(header))
                connection.connection.cursor().executemany(f"INSERT INTO w3_raw VALUES ({marks})", rows)
        seconds = perf_counter() - t
        c.execute("SELECT count(*) FROM w3_raw")
        n = c.fetchone()[0]
        c.execute("DROP TABLE w3_raw")
    return n, seconds


def bulk_create(path: Path) -> tuple[int, float]:
    """Rows and seconds of Django's bulk_create of the first BULK_ROWS members, rolled back."""
    units = dict(OrgUnit.objects.values_list("code", "id"))
    paths = dict(OrgUnit.objects.values_list("id", "path"))
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(islice(reader, BULK_ROWS))
    t = perf_counter()
    members = []
    for r in rows:
        unit_id = units[r["Mã chi bộ"]]
        members.append(Member(**{**DB_DEFAULTS, **dict(
            full_name=r["Họ và tên"], gender=GENDER[r["Giới tính"]], birth_date=_dmy(r["Ngày sinh"]),
            ethnicity=r["Dân tộc"], religion=r["Tôn giáo"], status=STATUS[r["Trạng thái"]], unit_id=unit_id,
            org_path=paths[unit_id], admitted_on=_dmy(r["Ngày vào Đảng"]), recognized_on=_dmy(r["Ngày chính thức"]),
            folded_name=fold(r["Họ và tên"]), sort_key=name_sort_key(r["Họ và tên"]))}))
    try:
        with transaction.atomic():
            Member.objects.bulk_create(members, batch_size=2000)
            seconds = perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    return len(members), seconds


def floor() -> dict:
    """Seconds the database takes to write the app's rows into copies of their tables and index them."""
    seconds, built, copied = {"rows": 0.0, "indexes": 0.0}, 0, 0
    try:
        with transaction.atomic(), connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute("SET LOCAL maintenance_work_mem = '512MB'")  # as members.migration builds them
            for model in (Member, MemberEvent, MemberPeriod):
                table, copy = model._meta.db_table, f"w3_floor_{model._meta.model_name}"
                t = perf_counter()
                if connection.vendor == "postgresql":
                    c.execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS)")
                    c.execute(f"ALTER TABLE {copy} ADD PRIMARY KEY (id)")
                else:  # its CREATE TABLE: the primary key and the UNIQUE the app cannot drop either
                    c.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
                    c.execute(c.fetchone()[0].replace(f'"{table}"', f'"{copy}"', 1))
                c.execute(f"INSERT INTO {copy} SELECT * FROM {table}")
                seconds["rows"] += perf_counter() - t
                t = perf_counter()
                items = [_renamed(item, table, copy) for item in bulk.secondary_indexes(table)]
                bulk.restore_indexes(copy, items)
                seconds["indexes"] += perf_counter() - t
                built += len(items)
                c.execute(f"SELECT count(*) FROM {copy}")
                copied += c.fetchone()[0]
            raise Rollback
    except Rollback:
        pass
    return {**{k: round(v, 2) for k, v in seconds.items()}, "indexes_built": built, "rows_copied": copied}


def _renamed(item: tuple[str, str, str], table: str, copy: str) -> tuple[str, str, str]:
    """An index or constraint of `table` (bulk.secondary_indexes) as the same on `copy`, under a new name."""
    kind, name, definition = item
    if kind == "index":
        definition = re.sub(rf'INDEX "?{name}"? ON (public\.)?"?{table}"?', f'INDEX "{name}_floor" ON "{copy}"',
                            definition, count=1)
    return kind, f"{name}_floor", definition


def run(args, fixture: dict) -> dict:
    folder = REPO / fixture["files"]
    members_file = folder / "dang_vien.csv"
    imp = fixture["import"]
    rows = imp["counts"]["đảng viên"]
    app_rate = rows / imp["seconds"]
    print(f"  app: {rows:,} members in {imp['seconds']:.1f} s = {app_rate:,.0f} rows/s, "
          f"peak {fixture['import_peak_rss_mb']:,.0f} MB")
    n_raw, s_raw = raw_load(members_file)
    print(f"  raw load: {n_raw:,} rows in {s_raw:.1f} s = {n_raw / s_raw:,.0f} rows/s")
    n_bulk, s_bulk = bulk_create(members_file)
    print(f"  bulk_create: {n_bulk:,} rows in {s_bulk:.1f} s = {n_bulk / s_bulk:,.0f} rows/s")
    low = floor()
    low_s = low["rows"] + low["indexes"]
    print(f"  database floor: the app's rows copied in {low['rows']:.1f} s, indexed in {low['indexes']:.1f} s "
          f"= {rows / low_s:,.0f} member rows/s")
    return {
        "app": {"rows": rows, "events": imp["counts"]["sự kiện"], "units": imp["counts"]["tổ chức"],
                "seconds": imp["seconds"], "wall_s": fixture["import_wall_s"], "steps": imp.get("steps", {}),
                "rate": round(app_rate), "peak_rss_mb": fixture["import_peak_rss_mb"]},
        "raw": {"rows": n_raw, "seconds": round(s_raw, 2), "rate": round(n_raw / s_raw)},
        "bulk_create": {"rows": n_bulk, "seconds": round(s_bulk, 2), "rate": round(n_bulk / s_bulk)},
        "floor": {**low, "seconds": round(low_s, 2), "rate": round(rows / low_s)},
        "file_mb": round(members_file.stat().st_size / 2**20, 1),
        "sheet": sheet_import(args, fixture),
    }


TARGETS = {"postgresql": (150_000, 0.4, 3.0), "sqlite": (100_000, None, None)}


def render(results: dict[str, dict]) -> list[str]:
    from bench.report import DATABASES, fixture_line, met

    out = [
        "## W3: the national import",
        "",
        "`manage.py import_national` (members.migration) on the generated files, as its own process: every row "
        "parsed and checked (the member sheet's parsers, the profile and history rules), all or nothing in one "
        "transaction, events and placements derived and written, indexes rebuilt, tallies counted. References on "
        "the same member file in the same run: the database's raw bulk load (PostgreSQL COPY of the bytes, SQLite "
        "executemany of `csv.reader` rows, into text columns, nothing checked) and Django `bulk_create` of "
        f"{BULK_ROWS:,} `Member` objects; and the database floor: the rows the app wrote (members, events, "
        "placements) copied by the database itself into copies of their tables, then indexed as the app indexes "
        "them — what any importer of this schema pays here, however fast its checks.",
        "",
        "| database | app rows/s (members) | time | peak RSS | raw load rows/s | app/raw | bulk_create rows/s | "
        "app/bulk_create | database floor rows/s | app/floor | target (PERFORMANCE.md) | |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    bounds = []
    for db, r in results.items():
        app, raw, bulk, low = r["app"], r["raw"], r["bulk_create"], r.get("floor")
        rate, speed_raw, speed_bulk = TARGETS[db]
        ok = app["rate"] >= rate and (speed_raw is None or app["rate"] / raw["rate"] >= speed_raw) and \
            (speed_bulk is None or app["rate"] / bulk["rate"] >= speed_bulk)
        floor_rate, floor_ratio = (f"{low['rate']:,}", f"{app['rate'] / low['rate']:.2f}") if low else ("–", "–")
        target = f"≥ {rate:,} rows/s" + (f", ≥ {speed_raw}× raw, ≥ {speed_bulk:g}× bulk_create" if speed_raw else "")
        out.append(
            f"| {DATABASES[db]} | {app['rate']:,} | {app['seconds']:,.0f} s | {app['peak_rss_mb']:,.0f} MB "
            f"| {raw['rate']:,} | {app['rate'] / raw['rate']:.2f} | {bulk['rate']:,} | {app['rate'] / bulk['rate']:.2f} "
            f"| {floor_rate} | {floor_ratio} "
            f"| {target} | {met(ok)} |")
        if low and low["rate"] < rate:
            bounds.append(f"{DATABASES[db]}: the floor alone — {low['rows_copied']:,} rows copied in {low['rows']:,.0f} s, "
                          f"{low['indexes_built']} indexes and constraints built in {low['indexes']:,.0f} s — allows at "
                          f"most {low['rate']:,} member rows/s, below the target of {rate:,}: no importer of these "
                          "tables and indexes reaches it on this machine.")
    out += ["", *bounds] if bounds else []
    out += [
        "",
        "**The member sheet at province scale** (issue 3): the page's import (`members.importer.validate` then "
        "`apply`, as its background task runs them) of a CSV of new members into the median province: every row "
        "checked, the unit codes and CCCDs looked up, members, events and placements written with COPY, tallies "
        "and audit updated; rolled back afterwards. References: the same file's raw load and bulk_create.",
        "",
        "| database | province | rows | app rows/s | checking | raw load rows/s | app/raw | bulk_create rows/s | "
        "app/bulk_create |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for db, r in results.items():
        sh = r.get("sheet")
        if sh:
            out.append(f"| {DATABASES[db]} | {sh['province']} | {sh['rows']:,} | {sh['rate']:,} | {sh['check_s']:,.1f} s "
                       f"of {sh['seconds']:,.1f} s | {sh['raw_rate']:,} | {sh['rate'] / sh['raw_rate']:.2f} "
                       f"| {sh['bulk_rate']:,} | {sh['rate'] / sh['bulk_rate']:.2f} |")
    for db, r in results.items():
        app = r["app"]
        steps = ", ".join(f"{k} {v:,.0f} s" for k, v in app["steps"].items())
        out += ["", f"{DATABASES[db]}: {fixture_line(r)} {app['rows']:,} member rows, {app['events']:,} events, "
                    f"{app['units']:,} units from a {r['file_mb']:,} MB member file; steps: {steps}."]
    out.append("")
    return out


# --- the member sheet at province scale (issue 3): the page's import, not the migration ------------

SHEET_HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo", "Số CCCD", "Mã chi bộ", "Trạng thái",
                 "Ngày vào Đảng", "Ngày chính thức"]
SERIAL_FROM = 500_000  # CCCD serials above any the fixture uses, so every row is a new member


def write_sheet(path: Path, cells: list[str], n: int, seed: int) -> None:
    """`n` new members of the province's cells, as a cadre's CSV export would hold them."""
    from random import Random

    from bench import names

    rng = Random(f"sheet-{seed}")
    serials: dict[str, int] = {}
    with open(path, "w", encoding="utf-8-sig", newline="") as f:  # Excel's "CSV UTF-8" has a BOM
        out = csv.writer(f)
        out.writerow(SHEET_HEADERS)
        for _ in range(n):
            male = rng.random() < 0.67
            birth = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
            admitted = date(birth.year + rng.randint(19, 21), rng.randint(1, 12), rng.randint(1, 28))
            prefix = f"001{2 * ((birth.year - 1900) // 100) + (not male)}{birth.year % 100:02d}"
            serial = serials[prefix] = serials.get(prefix, SERIAL_FROM) + 1
            name = (f"{names.FAMILY_TABLE.pick(rng)} {names.MIDDLE_TABLES[male].pick(rng)} "
                    f"{names.GIVEN_TABLES[male].pick(rng)}")
            out.writerow([name, "Nam" if male else "Nữ", birth.strftime("%d/%m/%Y"), "Kinh", "Không",
                          f"{prefix}{serial:06d}", rng.choice(cells), "Chính thức", admitted.strftime("%d/%m/%Y"),
                          admitted.replace(year=admitted.year + 1).strftime("%d/%m/%Y")])


def sheet_import(args, fixture: dict) -> dict:
    """The page's import (`members.importer.validate` then `apply`, as the background task runs them) of a
    province-sized CSV into the median province, rolled back; with the same references."""
    from django.contrib.auth import get_user_model

    from access.models import Grant
    from access.rules import Role
    from bench.load import DATA
    from bench.w1 import pick_units
    from core.tree import subtree_q
    from members import importer, importwrite
    from orgs.models import CELL_KINDS

    province = pick_units()["province"][0]
    cells = list(OrgUnit.objects.filter(subtree_q("path", province.path), kind__in=CELL_KINDS, valid_to__isnull=True)
                 .exclude(code="").values_list("code", flat=True))
    n = max(1_000, args.members // 40)  # PERFORMANCE.md's province: 140,000 of 5.6 million
    path = DATA / f"w3-sheet-{n}.csv"
    if not path.exists():
        write_sheet(path, cells, n, args.seed)
    user, _ = get_user_model().objects.get_or_create(username="bench-w3")
    Grant.objects.get_or_create(user=user, unit=OrgUnit.objects.get(parent__isnull=True), role=Role.ORGANIZATION)
    t = perf_counter()
    try:
        with transaction.atomic():
            result = importer.validate(path, user, province)
            checked = perf_counter() - t
            if not result.ok or len(result.creates) != n:
                raise SystemExit(f"W3 sheet: the import refused the generated file: {result.errors[:3]}")
            importwrite.apply(result, user=user, unit=province)
            seconds = perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    n_raw, s_raw = raw_load(path)
    n_bulk, s_bulk = bulk_create(path)
    print(f"  member sheet import, {province.name}: {n:,} rows in {seconds:.1f} s = {n / seconds:,.0f} rows/s "
          f"(checking {checked:.1f} s); raw {n_raw / s_raw:,.0f} rows/s; bulk_create {n_bulk / s_bulk:,.0f} rows/s")
    return {"province": province.name, "rows": n, "seconds": round(seconds, 2), "check_s": round(checked, 2),
            "rate": round(n / seconds), "raw_rate": round(n_raw / s_raw), "bulk_rate": round(n_bulk / s_bulk)}
