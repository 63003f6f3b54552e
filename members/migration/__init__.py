"""The national migration: the whole tree, every member and their history from CSV files, in minutes.

Three UTF-8 CSV files in one folder (headers in Vietnamese, described in docs/migration.md):
`to_chuc.csv` (units), `dang_vien.csv` (members: "Mã đảng viên" and the columns of the member
sheet, `members.spreadsheet.COLUMNS`, checked by the same parsers) and `su_kien.csv` (events of
their party life). It loads an empty database (the first load of a national or provincial
database); the member and event files are sorted by "Mã đảng viên", so they are read side by side
in one pass and memory stays flat at any size.

All or nothing, as every import: rows are checked and streamed into the tables inside one
transaction (PostgreSQL `COPY`, SQLite `executemany`, secondary indexes dropped and rebuilt), and
any error anywhere rolls everything back and is reported with its file, line, column and value.
A bad row at line 4,000,000 writes nothing. The tallies are counted once at the end.
"""

from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from django.core.management.color import no_style
from django.db import connection, transaction

from audit.services import record
from core import bulk
from core.memory import cycle_collector_paused, peak_rss_mb
from core.text import vn_number
from members import tally
from members.migration.files import EVENTS_FILE, MEMBER_CODE, MEMBERS_FILE, UNITS_FILE, Report
from members.migration.members import MemberLoader
from members.migration.units import UnitRow, read_units, write_units
from members.models import Member, MemberEvent, MemberPeriod
from orgs.models import OrgUnit, OrgUnitVersion

__all__ = ["EVENTS_FILE", "MEMBERS_FILE", "MEMBER_CODE", "UNITS_FILE", "Report", "run"]
TABLES = [OrgUnit, OrgUnitVersion, Member, MemberEvent, MemberPeriod]


class Abort(Exception):
    """Raised inside the transaction to roll it back once the report is complete."""


def run(folder: str | Path, *, by=None, dry_run: bool = False, progress: Callable[[str], None] = print) -> Report:
    """Check and load the three files of `folder`; nothing is written unless every row is right."""
    started = perf_counter()
    folder = Path(folder)
    report = Report()
    for name in (UNITS_FILE, MEMBERS_FILE, EVENTS_FILE):
        if not (folder / name).is_file():
            report.error(name, None, "", "", f"Không thấy tệp {name} trong thư mục {folder}.")
    if OrgUnit.objects.exists() or Member.objects.exists():
        report.error("", None, "", "", "Cơ sở dữ liệu đã có tổ chức hoặc đảng viên; chuyển đổi toàn bộ chỉ chạy trên "
                                       "cơ sở dữ liệu trống (nhập bổ sung hãy dùng trang Nhập từ Excel).")
    if not report.ok:
        return _finish(report, started)
    units = read_units(folder / UNITS_FILE, report)
    progress(f"  {UNITS_FILE}: {vn_number(len(units))} tổ chức, {vn_number(report.error_count)} lỗi")
    if not report.ok:
        return _finish(report, started)
    try:
        with cycle_collector_paused(), transaction.atomic():
            _load(folder, units, report, progress, by)
            if dry_run or not report.ok:
                raise Abort
            report.written = True
    except Abort:
        pass
    if report.written:
        t = perf_counter()
        _analyze()
        report.steps["analyze"] = round(perf_counter() - t, 2)
    return _finish(report, started)


def _finish(report: Report, started: float) -> Report:
    report.seconds = perf_counter() - started
    report.peak_rss_mb = peak_rss_mb()
    return report


def _load(folder: Path, units: list[UnitRow], report: Report, progress, by) -> None:
    saved = {m._meta.db_table: bulk.secondary_indexes(m._meta.db_table) for m in TABLES}
    for table, items in saved.items():
        bulk.drop_indexes(table, items)
    write_units(units)
    report.counts["tổ chức"] = len(units)
    loader = MemberLoader(folder, units, report, progress)
    loader.run()
    if not report.ok:
        return
    t = perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:  # index builds of tens of millions of rows sort in memory, not on disk
            c.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for table, items in saved.items():
        bulk.restore_indexes(table, items)
    with connection.cursor() as c:
        for sql in connection.ops.sequence_reset_sql(no_style(), TABLES):
            c.execute(sql)
    report.steps["indexes"] = round(perf_counter() - t, 2)
    progress(f"  chỉ mục dựng lại trong {perf_counter() - t:.1f} giây")
    t = perf_counter()
    tally.rebuild()
    report.steps["tallies"] = round(perf_counter() - t, 2)
    progress(f"  số liệu tổng hợp tính trong {perf_counter() - t:.1f} giây")
    record("members.migration.done", actor=by, obj=OrgUnit.objects.order_by("id").first(),
           unit_path=units[0].path, unit_name=units[0].name, after=dict(report.counts))


def _analyze() -> None:
    """Fresh planner statistics for the tables just loaded (autovacuum would get there later), and only
    those: SQLite never refreshes statistics by itself, so an ANALYZE of the still empty audit log would
    tell its planner, for good, that the log holds one row (it then walked 100,000 entries for ten)."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ANALYZE " + ", ".join(m._meta.db_table for m in TABLES))
        else:
            for m in TABLES:
                c.execute(f"ANALYZE {connection.ops.quote_name(m._meta.db_table)}")
