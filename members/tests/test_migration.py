"""The national migration: three CSV files into an empty database, all or nothing, every bad row named."""

import csv
import io
import shutil
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

from django.db import connection
from django.test import TestCase

from audit.models import AuditEntry
from dangvu.testing import make_member
from members import migration, tally
from members.models import Member, MemberEvent, MemberPeriod, Status
from members.stats import rollup
from orgs.models import OrgUnit, OrgUnitVersion

UNITS = [
    ["Mã tổ chức", "Mã cấp trên", "Tên", "Tên ngắn", "Loại", "Ký hiệu", "Là TCCSĐ", "Ngày thành lập", "Ngày kết thúc"],
    ["38", "", "Đảng bộ tỉnh Thử Nghiệm", "Tỉnh Thử Nghiệm", "Đảng bộ tỉnh/thành phố", "TU", "", "01/01/1960", ""],
    ["38.001", "38", "Đảng bộ xã An Hòa", "Xã An Hòa", "Đảng bộ xã/phường/đặc khu", "ĐU", "có", "01/01/1960", ""],
    ["38.001.001", "38.001", "Chi bộ thôn An Phú", "", "Chi bộ trực thuộc", "CB", "", "01/01/1960", ""],
    ["38.001.002", "38.001", "Chi bộ thôn An Lạc", "", "Chi bộ trực thuộc", "CB", "", "01/01/1960", ""],
]
MEMBER_HEADERS = ["Mã đảng viên", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã chi bộ", "Trạng thái",
                  "Ngày vào Đảng", "Ngày chính thức", "Dân tộc"]
MEMBERS = [
    ["101", "Nguyễn Văn Ánh", "Nam", "17/05/1980", "001080000001", "38.001.001", "Chính thức", "01/02/2005",
     "01/02/2006", "Kinh"],
    ["102", "Trần Thị Bình", "Nữ", "02/04/1998", "001198000002", "38.001.001", "Dự bị", "01/03/2026", "", "Tày"],
    ["105", "Lê Văn Cường", "Nam", "03/03/1970", "", "38.001.002", "Chính thức", "01/02/1995", "01/02/1996", ""],
    ["107", "Phạm Văn Dũng", "Nam", "04/04/1940", "", "38.001.002", "Đã từ trần", "01/02/1965", "01/02/1966", ""],
]
EVENT_HEADERS = ["Mã đảng viên", "Sự kiện", "Ngày", "Mã tổ chức", "Trạng thái sau", "Số quyết định", "Ghi chú"]
EVENTS = [
    ["105", "Kết nạp", "01/02/1995", "38.001.001", "", "12-QĐ/HU", ""],
    ["105", "Chuyển sinh hoạt trong đảng bộ", "01/09/2025", "38.001.002", "", "", "Chuyển nơi cư trú"],
    ["107", "Từ trần", "10/10/2024", "", "", "", ""],
]


class MigrationTestCase(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def write(self, units=UNITS, members=None, events=None, encoding="utf-8"):
        for name, rows in ((migration.UNITS_FILE, units), (migration.MEMBERS_FILE, [MEMBER_HEADERS, *(members or MEMBERS)]),
                           (migration.EVENTS_FILE, [EVENT_HEADERS, *(EVENTS if events is None else events)])):
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            # Decomposed (NFD), as macOS writes, and as Windows-1258 (Excel's plain "CSV") must.
            data = unicodedata.normalize("NFD", text.getvalue()).encode(encoding, errors="replace")
            (self.folder / name).write_bytes(data)

    def run_migration(self, **kw) -> migration.Report:
        return migration.run(self.folder, progress=lambda _line: None, **kw)

    def assert_refused(self, report, file, line, message, column=None):
        self.assertFalse(report.ok)
        found = [e for e in report.errors if e["file"] == file and e["line"] == line and message in e["message"]]
        self.assertTrue(found, f"no error “{message}” at {file}:{line}; got {report.errors}")
        if column is not None:
            self.assertEqual(found[0]["column"], column)
        self.assertFalse(OrgUnit.objects.exists() or Member.objects.exists() or MemberEvent.objects.exists())


class MigrationWorksTests(MigrationTestCase):
    def test_the_tree_members_history_and_tallies_are_loaded(self):
        self.write()
        report = self.run_migration()
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(report.counts["đảng viên"], 4)
        self.assertEqual([u.code for u in OrgUnit.objects.order_by("id")], ["38", "38.001", "38.001.001", "38.001.002"])
        self.assertEqual(OrgUnitVersion.objects.count(), 4)
        moved = Member.objects.get(pk=105)
        self.assertEqual(moved.unit.code, "38.001.002")
        self.assertEqual(list(moved.events.values_list("kind", "unit__code", "decision_number")), [
            ("ket_nap", "38.001.001", "12-QĐ/HU"), ("cong_nhan", "38.001.001", ""),
            ("chuyen_noi_bo", "38.001.002", "")])
        self.assertEqual(list(moved.periods.order_by("valid_from").values_list("unit__code", "valid_to")), [
            ("38.001.001", date(1996, 1, 31)), ("38.001.001", date(2025, 8, 31)), ("38.001.002", None)])
        self.assertEqual(Member.objects.get(pk=107).status, Status.DECEASED)
        self.assertEqual(Member.objects.get(pk=101).full_name, "Nguyễn Văn Ánh")  # the files were NFD: stored NFC
        self.assertEqual(moved.events.last().note, "Chuyển nơi cư trú")
        self.assertEqual(tally.check(), [])
        province = OrgUnit.objects.get(code="38")
        self.assertEqual(rollup([province], None)[province.pk].total, 0)  # no grant, no figures
        cell = OrgUnit.objects.get(code="38.001.001")
        before_move = rollup([cell], _superuser(), on=date(2025, 8, 1))[cell.pk]
        self.assertEqual(before_move.total, 2)
        self.assertTrue(AuditEntry.objects.filter(action="members.migration.done").exists())

    def test_ids_are_the_codes_and_new_members_get_new_ids_afterwards(self):
        self.write()
        self.assertTrue(self.run_migration().ok)
        later = make_member(OrgUnit.objects.get(code="38.001.001"), "Đỗ Văn Mới", admitted_on=date(2025, 7, 1))
        self.assertGreater(later.pk, 107)
        self.assertEqual(tally.check(), [])

    def test_a_dry_run_checks_everything_and_writes_nothing(self):
        self.write()
        report = self.run_migration(dry_run=True)
        self.assertTrue(report.ok)
        self.assertFalse(report.written)
        self.assertFalse(Member.objects.exists() or OrgUnit.objects.exists())
        self.assertIn("Chạy thử", report.summary())


class MigrationRefusesTests(MigrationTestCase):
    def test_a_bad_date_on_the_last_line_writes_nothing_and_names_the_line(self):
        rows = [*MEMBERS[:3], [*MEMBERS[3][:3], "31/02/1940", *MEMBERS[3][4:]]]
        self.write(members=rows)
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 5, "tháng 2/1940 chỉ có", "Ngày sinh")

    def test_members_out_of_order(self):
        self.write(members=[MEMBERS[1], MEMBERS[0], *MEMBERS[2:]])
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 3, "tăng dần")

    def test_an_event_of_nobody(self):
        self.write(events=[*EVENTS, ["999", "Từ trần", "10/10/2024", "", "", "", ""]])
        self.assert_refused(self.run_migration(), migration.EVENTS_FILE, 5, "Không có đảng viên mang mã này")

    def test_a_duplicate_citizen_id_names_both_lines(self):
        rows = [MEMBERS[0], [*MEMBERS[1][:4], "001080000001", *MEMBERS[1][5:]], *MEMBERS[2:]]
        rows[1][2], rows[1][3] = "Nam", "17/05/1980"  # the same person twice, so the CCCD itself is valid
        self.write(members=rows)
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 3, "trùng với dòng 2", "Số CCCD")

    def test_a_status_that_the_events_contradict(self):
        rows = [*MEMBERS[:3], [*MEMBERS[3][:6], "Chính thức", *MEMBERS[3][7:]]]
        self.write(members=rows)
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 5, "Theo các sự kiện")

    def test_a_move_without_the_admission_row(self):
        self.write(events=EVENTS[1:])
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 4, "phải có cả dòng “Kết nạp”")

    def test_an_admission_before_the_18th_birthday(self):
        rows = [[*MEMBERS[0][:7], "01/02/1998", "01/02/1999", "Kinh"], *MEMBERS[1:]]
        self.write(members=rows)
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 2, "chưa đủ 18 tuổi", "Ngày vào Đảng")

    def test_every_fault_of_a_row_is_named_at_once(self):
        rows = [[*MEMBERS[0][:5], "38.009.001", MEMBERS[0][6], "01/02/1998", "01/02/1997", "Kinh"], *MEMBERS[1:]]
        self.write(members=rows)
        report = self.run_migration()
        self.assertEqual([(e["line"], e["column"]) for e in report.errors],
                         [(2, "Mã chi bộ"), (2, "Ngày vào Đảng"), (2, "Ngày chính thức")])

    def test_planner_statistics_cover_the_loaded_tables_only(self):
        self.write()
        self.assertTrue(self.run_migration().written)
        if connection.vendor == "sqlite":  # PostgreSQL's autovacuum keeps the others' statistics fresh
            with connection.cursor() as c:
                c.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
                analyzed = {row[0] for row in c.fetchall()}
            self.assertIn("members_member", analyzed)
            self.assertNotIn("audit_auditentry", analyzed)

    def test_an_unknown_cell_code(self):
        rows = [[*MEMBERS[0][:5], "38.009.001", *MEMBERS[0][6:]], *MEMBERS[1:]]
        self.write(members=rows)
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 2, "Không có tổ chức mã “38.009.001”",
                            "Mã chi bộ")

    def test_units_in_a_cycle_and_an_unknown_parent(self):
        units = [*UNITS, ["X1", "X2", "Chi bộ X1", "", "Chi bộ trực thuộc", "CB", "", "01/07/2025", ""],
                 ["X2", "X1", "Chi bộ X2", "", "Chi bộ trực thuộc", "CB", "", "01/07/2025", ""],
                 ["X3", "Y", "Chi bộ X3", "", "Chi bộ trực thuộc", "CB", "", "01/07/2025", ""]]
        self.write(units=units)
        report = self.run_migration()
        self.assert_refused(report, migration.UNITS_FILE, 8, "Không có tổ chức nào mang mã cấp trên")

    def test_a_missing_column(self):
        self.write(units=[[h for h in row[:4]] for row in UNITS])
        self.assert_refused(self.run_migration(), migration.UNITS_FILE, 1, "Thiếu cột “Loại”")

    def test_a_file_not_in_utf8(self):
        self.write(encoding="cp1258")
        self.assert_refused(self.run_migration(), migration.UNITS_FILE, None, "không ở mã UTF-8")

    def test_a_database_that_already_holds_units(self):
        self.write()
        OrgUnit.objects.create(kind="tinh", name="Có sẵn", path="zzzzz", valid_from=date(2020, 1, 1))
        report = self.run_migration()
        self.assertFalse(report.ok)
        self.assertIn("cơ sở dữ liệu trống", report.errors[0]["message"])
        self.assertFalse(Member.objects.exists())
        self.assertEqual(MemberPeriod.objects.count(), 0)


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", password="x")
