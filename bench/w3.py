"""W3 of PERFORMANCE.md: the national import, end to end, against raw loads of the same file in the same run.

The app: `manage.py import_national` on the generated files (units, members current and former,
five years of events), run by `bench.load` as its own process: every row parsed and checked by the
member sheet's parsers and the profile and history rules, all or nothing in one transaction,
members, events and placements written (PostgreSQL COPY, SQLite executemany), indexes rebuilt,
tallies counted. Its rate counts member rows (the events and placements are written besides).

References, on the same `dang_vien.csv`:
- raw load: PostgreSQL `COPY … FROM STDIN (FORMAT csv)` of the file's bytes into a table of text
  columns with no index (no parsing, no checks); SQLite `executemany` of the rows `csv.reader`
  gives into such a table;
- bulk_create: Django `bulk_create` of `Member` objects built from the first BULK_ROWS rows,
  minimal parsing (dates, unit), into the real table, rolled back. Columns with a database default
  get plain values (as `members.importer` gives them): left to `db_default`, bulk_create writes an
  expression per row and column and runs several times slower still.
"""

import csv
from datetime import date
from itertools import islice
from pathlib import Path
from time import perf_counter

from django.db import connection, transaction

from bench.load import REPO
from core.text import fold, name_sort_key
from members.choices import Gender, Status
from members.importer import DB_DEFAULTS  # plain values for db_default columns, as the importer gives them
from members.models import Member
from orgs.models import OrgUnit

BULK_ROWS = 100_000
STATUS = {str(s.label): s.value for s in Status}
GENDER = {str(g.label): g.value for g in Gender}


class Rollback(Exception):
    pass


def _dmy(text: str) -> date | None:
    if not text:
        return None
    d, m, y = text.split("/")
    return date(int(y), int(m), int(d))


def raw_load(path: Path) -> tuple[int, float]:
    """Rows and seconds of the database's own bulk load of the file, nothing checked."""
    with open(path, encoding="utf-8", newline="") as f:
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
            with open(path, encoding="utf-8", newline="") as f:
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
    with open(path, encoding="utf-8", newline="") as f:
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
    return {
        "app": {"rows": rows, "events": imp["counts"]["sự kiện"], "units": imp["counts"]["tổ chức"],
                "seconds": imp["seconds"], "wall_s": fixture["import_wall_s"], "steps": imp.get("steps", {}),
                "rate": round(app_rate), "peak_rss_mb": fixture["import_peak_rss_mb"]},
        "raw": {"rows": n_raw, "seconds": round(s_raw, 2), "rate": round(n_raw / s_raw)},
        "bulk_create": {"rows": n_bulk, "seconds": round(s_bulk, 2), "rate": round(n_bulk / s_bulk)},
        "file_mb": round(members_file.stat().st_size / 2**20, 1),
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
        f"{BULK_ROWS:,} `Member` objects.",
        "",
        "| database | app rows/s (members) | time | peak RSS | raw load rows/s | app/raw | bulk_create rows/s | "
        "app/bulk_create | target (PERFORMANCE.md) | |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for db, r in results.items():
        app, raw, bulk = r["app"], r["raw"], r["bulk_create"]
        rate, speed_raw, speed_bulk = TARGETS[db]
        ok = app["rate"] >= rate and (speed_raw is None or app["rate"] / raw["rate"] >= speed_raw) and \
            (speed_bulk is None or app["rate"] / bulk["rate"] >= speed_bulk)
        target = f"≥ {rate:,} rows/s" + (f", ≥ {speed_raw}× raw, ≥ {speed_bulk:g}× bulk_create" if speed_raw else "")
        out.append(
            f"| {DATABASES[db]} | {app['rate']:,} | {app['seconds']:,.0f} s | {app['peak_rss_mb']:,.0f} MB "
            f"| {raw['rate']:,} | {app['rate'] / raw['rate']:.2f} | {bulk['rate']:,} | {app['rate'] / bulk['rate']:.2f} "
            f"| {target} | {met(ok)} |")
    for db, r in results.items():
        app = r["app"]
        steps = ", ".join(f"{k} {v:,.0f} s" for k, v in app["steps"].items())
        out += ["", f"{DATABASES[db]}: {fixture_line(r)} {app['rows']:,} member rows, {app['events']:,} events, "
                    f"{app['units']:,} units from a {r['file_mb']:,} MB member file; steps: {steps}."]
    out.append("")
    return out
