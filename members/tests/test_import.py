"""Member import from Excel: every bad input named precisely and nothing written; all or nothing at
10,000 rows; export → import changes nothing; dry run; the background job and its error report."""

import io
import shutil
import tempfile
import time
import zipfile
from datetime import date, timedelta
from unittest import mock

from django.db import connection
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from audit.models import AuditEntry
from core.errors import DomainError
from dangvu.testing import REFORM, BaseTestCase, VisibilityMixin, make_member
from members import tally
from members.exporter import error_report_xlsx, export_xlsx_bytes, template_xlsx
from members.importer import validate
from members.importwrite import import_changes
from members.models import ImportJob, Member, MemberEvent, MemberPeriod
from members.tasks import import_members, start_import
from orgs.models import OrgUnit

HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng"]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def cccd(serial: int, birth: date = date(1990, 4, 2), female: bool = False) -> str:
    """A CCCD that passes every check: province 001, century and gender digit, year, serial."""
    century = 2 * ((birth.year - 1900) // 100) + (1 if female else 0)
    return f"001{century}{birth.year % 100:02d}{serial:06d}"


def row(name="Hoàng Văn Mới", gender="Nam", birth=date(1990, 4, 2), citizen_id=None, code="A1",
        status="Chính thức", admitted=date(2015, 6, 1)) -> list:
    if citizen_id is None:  # a valid CCCD when the birth date is a date; none for dates written as text
        citizen_id = cccd(1, birth) if isinstance(birth, date) else ""
    return [name, gender, birth, citizen_id, code, status, admitted]


def xlsx(rows, headers=HEADERS, title="Đảng viên", touch=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for r in rows:
        ws.append(r)
    if touch:
        touch(wb, ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class ImportTestCase(VisibilityMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for cell, code in ((cls.cell_a1, "A1"), (cls.cell_a2, "A2"), (cls.cell_b1, "B1")):
            OrgUnit.objects.filter(pk=cell.pk).update(code=code)
            cell.refresh_from_db()

    def setUp(self):
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media, TASKS=IMMEDIATE)
        override.enable()
        self.addCleanup(override.disable)

    def check(self, content: bytes, user=None, unit=None):
        return validate(content, user or self.binh, unit or self.commune_a)

    def assert_refused(self, content: bytes, message: str, row=None, column=None, user=None):
        """The file is refused with `message` (at `row`/`column` when given) and nothing is written."""
        before = (Member.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count())
        result = self.check(content, user)
        self.assertFalse(result.ok, "the file should have been refused")
        found = [e for e in result.errors if message in e["message"]]
        self.assertTrue(found, f"no error says “{message}”: {[e['message'] for e in result.errors]}")
        if row is not None:
            self.assertEqual(found[0]["row"], row)
        if column is not None:
            self.assertEqual(found[0]["column"], column)
        self.assertEqual(result.creates, [])
        self.assertEqual((Member.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count()), before)
        return found[0]

    def run_job(self, content: bytes, dry_run=False, user=None, unit=None, name="danh-sach.xlsx") -> ImportJob:
        upload = io.BytesIO(content)
        upload.name, upload.size = name, len(content)
        with self.captureOnCommitCallbacks(execute=True):
            job = start_import(upload, user or self.binh, unit or self.commune_a, dry_run=dry_run)
        job.refresh_from_db()
        return job


class ImportWorksTests(ImportTestCase):
    def test_a_new_member_is_created_with_admission_and_recognition_like_the_form(self):
        job = self.run_job(xlsx([row()]))
        self.assertEqual((job.state, job.created_count), (ImportJob.State.DONE, 1), job.errors)
        m = Member.objects.get(citizen_id=cccd(1))
        self.assertEqual((m.unit, m.status, m.org_path), (self.cell_a1, "chinh_thuc", self.cell_a1.path))
        self.assertEqual(m.recognized_on, date(2016, 6, 1))  # 12 months, not 365 days (2016 is a leap year)
        self.assertEqual(sorted(m.events.values_list("kind", flat=True)), ["cong_nhan", "ket_nap"])
        self.assertTrue(MemberPeriod.objects.filter(member=m, valid_to__isnull=True, status="chinh_thuc").exists())
        entry = AuditEntry.objects.get(action="members.import.done")
        self.assertEqual(entry.after["created"], 1)
        self.assertTrue(AuditEntry.objects.filter(action="members.import.done").visible_to(self.binh).exists())
        self.assertFalse(AuditEntry.objects.filter(action="members.import.done").visible_to(self.dung).exists())

    def test_dates_as_text_day_first_in_three_spellings(self):
        rows = [row(f"Người Số {i}", birth=text) for i, text in enumerate(["12/3/1980", "12-03-1980", "12.03.1980"])]
        result = self.check(xlsx(rows))
        self.assertTrue(result.ok, result.errors)
        self.assertEqual({c.member.birth_date for c in result.creates}, {date(1980, 3, 12)})

    def test_labels_are_read_whatever_the_case_or_diacritics_and_serial_dates_too(self):
        headers = [*HEADERS, "Dân tộc", "Giáo dục phổ thông", "Lý luận chính trị"]
        line = row("Hà Thị Lan", "NU", citizen_id="", status="chinh thuc")
        line[2] = 29221  # the Excel serial number of 01/01/1980
        result = self.check(xlsx([[*line, "e-de", date(2026, 12, 12), "cao cap"]], headers))
        self.assertTrue(result.ok, result.errors)
        m = result.creates[0].member
        self.assertEqual((m.gender, m.status, m.birth_date), ("nu", "chinh_thuc", date(1980, 1, 1)))
        # "12/12" typed in a General cell becomes 12 December: read back as the grade it was
        self.assertEqual((m.ethnicity, m.general_education, m.political_theory), ("Ê Đê", "12/12", "cao_cap"))

    def test_a_title_above_the_header_row_is_skipped(self):
        def title(wb, ws):
            ws.insert_rows(1)
            ws["A1"] = "DANH SÁCH ĐẢNG VIÊN CHI BỘ AN PHÚ"

        result = self.check(xlsx([row(), row("Đinh Văn Hai", citizen_id=cccd(2), code="ZZ")], touch=title))
        self.assertEqual([(e["row"], e["cell"]) for e in result.errors], [(4, "E4")])

    def test_a_row_matching_a_cccd_updates_only_the_changed_fields_with_an_audit_entry(self):
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=cccd(7, date(1980, 5, 17)))
        headers = [*HEADERS, "Điện thoại"]
        line = ["Nguyễn Văn Ánh", "Nam", date(1980, 5, 17), cccd(7, date(1980, 5, 17)), "A1", "Chính thức",
                REFORM, "0912 345 678"]
        job = self.run_job(xlsx([line], headers))
        self.assertEqual((job.state, job.created_count, job.updated_count), ("done", 0, 1), job.errors)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).phone, "0912 345 678")
        entry = AuditEntry.objects.get(action="members.member.updated", object_id=str(self.member_a1.pk))
        self.assertEqual(entry.changes(), [("phone", "", "0912 345 678")])
        self.assertEqual(import_changes(job)[0]["fields"], [{"column": "Điện thoại", "before": "", "after": "0912 345 678"}])

    def test_a_new_cccd_completes_the_member_with_the_same_name_birth_date_and_cell(self):
        line = ["Lê Văn Cường", "Nam", date(1980, 5, 17), cccd(9, date(1980, 5, 17)), "A2", "Chính thức",
                REFORM]
        job = self.run_job(xlsx([line]))
        self.assertEqual((job.created_count, job.updated_count), (0, 1), job.errors)
        self.assertEqual(Member.objects.get(pk=self.member_a2.pk).citizen_id, cccd(9, date(1980, 5, 17)))

    def test_a_namesake_born_the_same_day_in_another_cell_is_a_different_member(self):
        line = ["Lê Văn Cường", "Nam", date(1980, 5, 17), cccd(9, date(1980, 5, 17)), "A1", "Chính thức",
                date(2015, 6, 1)]
        job = self.run_job(xlsx([line]))
        self.assertEqual((job.created_count, job.updated_count), (1, 0), job.errors)
        self.assertIsNone(Member.objects.get(pk=self.member_a2.pk).citizen_id)

    def test_two_members_of_one_name_and_birth_date_in_the_cell_ask_for_the_cccd(self):
        twin = make_member(self.cell_a2, "Lê Văn Cường", birth_date=date(1980, 5, 17))
        line = ["Lê Văn Cường", "Nam", date(1980, 5, 17), cccd(9, date(1980, 5, 17)), "A2", "Chính thức",
                REFORM]
        self.assert_refused(xlsx([line]), "Có 2 đảng viên cùng họ tên và ngày sinh trong", row=2, column="Họ và tên")
        self.assertIsNone(Member.objects.get(pk=twin.pk).citizen_id)

    def test_dry_run_tells_what_would_change_and_writes_nothing(self):
        before = (Member.objects.count(), AuditEntry.objects.count())
        job = self.run_job(xlsx([row(), row("Đinh Thị Hoa", "Nữ", citizen_id=cccd(2, female=True))]), dry_run=True)
        self.assertEqual((job.state, job.created_count), (ImportJob.State.CHECKED, 2), job.errors)
        self.assertEqual([c["name"] for c in import_changes(job)], ["Hoàng Văn Mới", "Đinh Thị Hoa"])
        self.assertEqual((Member.objects.count(), AuditEntry.objects.count()), before)
        self.assertFalse(ImportJob.objects.visible_to(self.dung).exists())

    def test_export_then_reimport_changes_nothing(self):
        Member.objects.filter(pk=self.member_a1.pk).update(
            citizen_id=cccd(7, date(1980, 5, 17)), phone="0912345678", general_education="9/12", notes="=ghi chú\ndòng 2",
            ethnicity="Ê Đê", religion="Công giáo", degree="thac_si", political_theory="cao_cap", email="a@b.vn",
            state_management="chuyen_vien", party_card_number="012345", birth_name="Nguyễn  Văn Ánh", position="-")
        OrgUnit.objects.filter(pk=self.cell_a2.pk).update(code="")  # exported and read back as "#<id>"
        members = Member.objects.visible_to(self.binh)
        for sensitive in (True, False):
            before = (Member.objects.count(), Member.objects.order_by("pk").values_list("updated_at", flat=True)[0])
            job = self.run_job(export_xlsx_bytes(members, include_sensitive=sensitive))
            self.assertEqual(job.state, ImportJob.State.DONE, job.errors)
            self.assertEqual((job.created_count, job.updated_count, job.unchanged_count), (0, 0, 3))
            self.assertEqual((Member.objects.count(),
                              Member.objects.order_by("pk").values_list("updated_at", flat=True)[0]), before)

    def test_template_downloads_and_imports_once_the_example_row_is_replaced(self):
        wb = load_workbook(io.BytesIO(template_xlsx(self.binh)))
        self.assertEqual(wb.sheetnames[:2], ["Đảng viên", "Danh mục"])
        lists = {c[0].value: [x.value for x in c[1:] if x.value] for c in wb["Danh mục"].iter_cols()}
        self.assertEqual(len(lists["Dân tộc"]), 54)
        self.assertEqual(lists["Mã chi bộ"], ["A1", "A2"])
        self.assertEqual(wb["Đảng viên"].freeze_panes, "C2")
        as_is = io.BytesIO()
        wb.save(as_is)
        self.assert_refused(as_is.getvalue(), "dòng ví dụ", row=2, column="Ghi chú")
        ws = wb["Đảng viên"]
        headers = [c.value for c in ws[1]]
        ws.delete_rows(2)
        values = dict(zip(HEADERS, row(), strict=True))
        ws.append([values.get(h) for h in headers])
        out = io.BytesIO()
        wb.save(out)
        result = self.check(out.getvalue())
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(len(result.creates), 1)

    def test_the_template_offers_only_the_cells_the_user_may_import_into(self):
        wb = load_workbook(io.BytesIO(template_xlsx(self.dung)))
        text = " ".join(str(c.value) for ws in wb for r in ws.iter_rows() for c in r if c.value)
        self.assertIn("B1", text)
        self.assert_no_trace_of_a(text)

    def test_the_job_reports_progress_and_the_error_report_marks_the_bad_cells(self):
        bad = row(birth="31/02/1980")
        job = self.run_job(xlsx([row(), bad]))
        self.assertEqual((job.state, job.total_rows, job.processed_rows), (ImportJob.State.INVALID, 2, 2))
        self.assertEqual(job.errors[0]["cell"], "C3")
        report = load_workbook(io.BytesIO(error_report_xlsx(job)))
        self.assertEqual(report.sheetnames, ["Lỗi", "Đảng viên"])
        self.assertIn("không có thật", report["Đảng viên"]["C3"].comment.text)
        self.assertEqual(report["Đảng viên"]["C3"].fill.fgColor.rgb, "00FFC7CE")
        self.assertEqual([c.value for c in report["Lỗi"][2]][:4], [3, "C3", "Ngày sinh", "31/02/1980"])

    def test_a_task_delivered_twice_imports_once(self):
        job = self.run_job(xlsx([row()]))
        self.assertEqual(import_members.call(job.pk), ImportJob.State.DONE)
        self.assertEqual(Member.objects.filter(citizen_id=cccd(1)).count(), 1)

    def test_a_crash_while_writing_fails_the_job_and_writes_nothing(self):
        with mock.patch("members.importwrite._write_updates", side_effect=RuntimeError("boom")):
            job = self.run_job(xlsx([row()]))
        self.assertEqual(job.state, ImportJob.State.FAILED)
        self.assertIn("chưa ghi gì", job.message)
        self.assertFalse(Member.objects.filter(citizen_id=cccd(1)).exists())
        self.assertFalse(AuditEntry.objects.filter(action="members.import.done").exists())

    def test_binh_cannot_start_an_import_into_commune_b(self):
        with self.assertRaisesMessage(DomainError, "không có quyền"):
            self.run_job(xlsx([row()]), unit=self.commune_b)
        self.assertFalse(ImportJob.objects.exists())

    @override_settings(MEMBER_IMPORT_MAX_BYTES=1000)
    def test_an_upload_over_the_limit_is_refused_before_it_is_kept(self):
        with self.assertRaisesMessage(DomainError, "quá giới hạn"):
            self.run_job(xlsx([row()]))
        self.assertFalse(ImportJob.objects.exists())


class TenThousandRowsTests(ImportTestCase):
    def test_three_bad_rows_in_ten_thousand_write_nothing_then_the_corrected_file_imports_all(self):
        # Rows are built as plain lists and written in write-only mode to keep the test fast.
        birth = date(1985, 1, 1)
        rows = [[f"Nguyễn Văn Số {i}", "Nam", birth, cccd(i, birth), "A1" if i % 2 else "A2", "Chính thức",
                 date(2010, 1, 1)] for i in range(10_000)]
        bad = {17: (2, "31/02/1985"), 5000: (3, "00108501234X"), 9998: (4, "ZZ")}
        good = [list(r) for r in rows]
        for i, (col, value) in bad.items():
            rows[i][col] = value

        def write(data) -> bytes:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("Đảng viên")
            ws.append(HEADERS)
            for r in data:
                ws.append(r)
            out = io.BytesIO()
            wb.save(out)
            return out.getvalue()

        before = Member.objects.count()
        bad_file, good_file = write(rows), write(good)
        started = time.perf_counter()
        job = self.run_job(bad_file)
        checked = time.perf_counter() - started
        self.assertEqual(job.state, ImportJob.State.INVALID)
        self.assertEqual(sorted({e["row"] for e in job.errors}), [19, 5002, 10000])  # list index + header + 1
        self.assertEqual(Member.objects.count(), before)

        started = time.perf_counter()
        job = self.run_job(good_file)
        imported = time.perf_counter() - started
        self.assertEqual((job.state, job.created_count), (ImportJob.State.DONE, 10_000), job.errors[:3])
        self.assertEqual(Member.objects.count(), before + 10_000)
        self.assertEqual(MemberEvent.objects.filter(member__citizen_id__startswith="001").count(), 20_000)
        # admitted in 2010 into cells founded in 2025: one placement each, from the cell's founding
        self.assertEqual(MemberPeriod.objects.filter(member__citizen_id__startswith="001", valid_to=None).count(),
                         10_000)
        print(f"\n10.000 dòng: kiểm tra (có lỗi) {checked:.1f} s, nhập {imported:.1f} s")


class BulkWriteTests(ImportTestCase):
    """New members are written with COPY (PostgreSQL) or executemany (SQLite), ids taken beforehand."""

    def test_imported_members_hold_exactly_what_create_member_writes(self):
        headers = [*HEADERS, "Dân tộc", "Học vị", "Giáo dục phổ thông", "Ghi chú"]
        line = [*row(), "Tày", "Thạc sĩ", "12/12", "nhập từ tệp"]
        job = self.run_job(xlsx([line], headers))
        self.assertEqual(job.state, ImportJob.State.DONE, job.errors)
        imported = Member.objects.get(citizen_id=cccd(1))
        made = make_member(self.cell_a1, "Hoàng Văn Mới", birth_date=date(1990, 4, 2), citizen_id=cccd(2),
                           admitted_on=date(2015, 6, 1), ethnicity="Tày", degree="thac_si", general_education="12/12",
                           notes="nhập từ tệp")
        skip = {"id", "citizen_id", "updated_at"}
        columns = [f.attname for f in Member._meta.concrete_fields if f.attname not in skip]
        self.assertEqual(Member.objects.filter(pk=imported.pk).values(*columns).get(),
                         Member.objects.filter(pk=made.pk).values(*columns).get())
        self.assertIsNotNone(imported.updated_at)

        def history(member):
            events = member.events.order_by("on").values_list("kind", "on", "unit", "org_path", "status_after",
                                                              "decision_number", "note")
            periods = member.periods.values_list("unit", "status", "valid_from", "valid_to")
            return list(events), list(periods)

        self.assertEqual(history(imported), history(made))
        self.assertIsNotNone(imported.events.first().created_at)

    def test_ids_are_taken_for_the_new_members_and_a_later_create_member_still_works(self):
        job = self.run_job(xlsx([row(), row("Đinh Văn Hai", citizen_id=cccd(2)), row("Vũ Văn Ba", citizen_id=cccd(3))]))
        self.assertEqual(job.created_count, 3, job.errors)
        ids = list(Member.objects.filter(citizen_id__in=[cccd(1), cccd(2), cccd(3)]).order_by("pk")
                   .values_list("pk", flat=True))
        self.assertEqual([Member.objects.get(pk=pk).full_name for pk in ids], ["Hoàng Văn Mới", "Đinh Văn Hai", "Vũ Văn Ba"])
        self.assertEqual(set(MemberEvent.objects.filter(member_id__in=ids).values_list("member_id", flat=True)), set(ids))
        self.assertEqual(set(MemberPeriod.objects.filter(member_id__in=ids).values_list("member_id", flat=True)), set(ids))
        if connection.vendor == "postgresql":  # the sequence has been moved past the ids the import took
            with connection.cursor() as c:
                c.execute("SELECT pg_get_serial_sequence('members_member', 'id')")
                c.execute(f"SELECT last_value FROM {c.fetchone()[0]}")
                self.assertGreaterEqual(c.fetchone()[0], max(ids))
        later = make_member(self.cell_a2, "Lý Thị Sau", citizen_id=cccd(4, date(1980, 5, 17), female=True), gender="nu")
        self.assertGreater(later.pk, max(ids))
        self.assertEqual(self.run_job(xlsx([row("Mai Văn Tư", citizen_id=cccd(5))])).created_count, 1)
        self.assertGreater(Member.objects.get(citizen_id=cccd(5)).pk, later.pk)

    def test_the_id_of_a_deleted_member_is_not_given_again(self):
        gone = make_member(self.cell_a1, "Người Đã Xóa")
        gone_id = gone.pk
        gone.delete()
        self.run_job(xlsx([row()]))
        self.assertGreater(Member.objects.get(citizen_id=cccd(1)).pk, gone_id)

    def test_the_tallies_agree_with_the_members_after_imports(self):
        self.assertEqual(tally.check(), [])
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=cccd(7, date(1980, 5, 17)))
        self.run_job(xlsx([row(), row("Đinh Thị Hoa", "Nữ", citizen_id=cccd(2, female=True), status="Dự bị")]))
        headers = [*HEADERS, "Dân tộc"]
        update = ["Nguyễn Văn Ánh", "Nam", date(1980, 5, 17), cccd(7, date(1980, 5, 17)), "A1", "Chính thức",
                  REFORM, "Mường"]  # now a minority: a counted attribute changes
        job = self.run_job(xlsx([update, [*row("Vũ Văn Ba", citizen_id=cccd(3)), "Tày"]], headers))
        self.assertEqual((job.created_count, job.updated_count), (1, 1), job.errors)
        self.assertEqual(tally.check(), [])

    def test_a_cccd_written_between_the_check_and_the_write_fails_the_job_and_writes_nothing(self):
        def someone_else_writes(*args):
            make_member(self.cell_a2, "Người Khác", birth_date=date(1990, 4, 2), citizen_id=cccd(1))

        with mock.patch("members.importwrite.save_changes", side_effect=someone_else_writes):
            job = self.run_job(xlsx([row("Đinh Văn Hai", citizen_id=cccd(2)), row()]))
        self.assertEqual(job.state, ImportJob.State.FAILED)
        self.assertIn("dữ liệu đã thay đổi ở nơi khác", job.message)
        self.assertFalse(Member.objects.filter(citizen_id=cccd(2)).exists())
        self.assertFalse(AuditEntry.objects.filter(action="members.import.done").exists())
        self.assertEqual(tally.check(), [])


class BadInputTests(ImportTestCase):
    def test_a_file_that_is_neither_xlsx_nor_csv(self):
        self.assert_refused(b"%PDF-1.7\n\x00\x01\x02binary" * 20, "Tệp không phải Excel .xlsx hay CSV")

    def test_an_old_xls_file_is_named_as_such(self):
        self.assert_refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel cũ (.xls)")

    def test_a_zip_that_is_not_a_workbook(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
        self.assert_refused(out.getvalue(), "không phải sổ tính Excel")

    def test_an_empty_file(self):
        self.assert_refused(b"", "Tệp rỗng")

    @override_settings(MEMBER_IMPORT_MAX_BYTES=1000)
    def test_a_file_over_the_size_limit(self):
        self.assert_refused(xlsx([row()]), "quá giới hạn")

    def test_a_missing_sheet_names_the_sheets_there_are(self):
        def second_sheet(wb, ws):
            wb.create_sheet("Trang 2")

        self.assert_refused(xlsx([row()], title="Danh sach", touch=second_sheet),
                            "Không có trang tính “Đảng viên”. Tệp có các trang tính: “Danh sach”, “Trang 2”")

    def test_a_single_sheet_of_another_name_is_read(self):
        self.assertTrue(self.check(xlsx([row()], title="Sheet1")).ok)

    def test_a_renamed_column_is_named_with_the_closest_header(self):
        headers = ["Họ và tên", "Giới tính", "Ngay sinh nhat", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng"]
        error = self.assert_refused(xlsx([row()], headers), "Thiếu cột bắt buộc “Ngày sinh”. Cột gần giống nhất trong "
                                                            "tệp là “Ngay sinh nhat”", row=1)
        self.assertEqual(error["cell"], "C1")

    def test_a_missing_column(self):
        self.assert_refused(xlsx([row()[:6]], HEADERS[:6]), "Thiếu cột bắt buộc “Ngày vào Đảng”")

    def test_an_unknown_column_suggests_the_template_header(self):
        self.assert_refused(xlsx([[*row(), "0912"]], [*HEADERS, "So dien thoai di dong"]), "không có trong mẫu")

    def test_headers_only(self):
        self.assert_refused(xlsx([]), "không có dòng dữ liệu nào")

    def test_an_empty_sheet(self):
        self.assert_refused(xlsx([], headers=[]), "trống")

    def test_a_formula(self):
        line = row()
        line[2] = "=DATE(1990,4,2)"
        result = self.check(xlsx([line]))
        self.assertEqual([(e["cell"], e["message"][:16]) for e in result.errors], [("C2", "Ô chứa công thức")])

    def test_merged_cells(self):
        self.assert_refused(xlsx([row(), row("Đinh Văn Hai", citizen_id=cccd(2))],
                                 touch=lambda wb, ws: ws.merge_cells("E2:E3")), "Ô gộp E2:E3", row=2, column="Mã chi bộ")

    def test_an_impossible_date(self):
        self.assert_refused(xlsx([row(birth="31/02/1980")]), "tháng 2/1980 chỉ có 29 ngày", row=2, column="Ngày sinh")

    def test_a_month_first_date(self):
        self.assert_refused(xlsx([row(birth="3/25/1980")]), "không có tháng 25", column="Ngày sinh")

    def test_a_two_digit_year(self):
        self.assert_refused(xlsx([row(birth="12/03/80")]), "năm phải ghi đủ 4 chữ số")

    def test_a_cccd_with_thousand_separators(self):
        self.assert_refused(xlsx([row(citizen_id="001.090.000.001")]), "dấu phân cách hàng nghìn", column="Số CCCD")

    def test_a_cccd_of_11_digits(self):
        self.assert_refused(xlsx([row(citizen_id="00109000000")]), "đúng 12 chữ số (đang có 11)", column="Số CCCD")

    def test_a_cccd_with_letters(self):
        self.assert_refused(xlsx([row(citizen_id="00109000000A")]), "chỉ gồm chữ số", column="Số CCCD")

    def test_a_cccd_that_excel_turned_into_a_number(self):
        self.assert_refused(xlsx([row(citizen_id=1090000001)]), "Số CCCD bị mất số 0 ở đầu; hãy định dạng cột là Văn bản (Text)"
                            .replace("; hãy", " (Excel đọc thành số 1090000001); hãy"))

    def test_a_duplicate_cccd_inside_the_file_names_both_rows(self):
        result = self.check(xlsx([row(), row("Đinh Văn Hai"), row("Vũ Văn Ba", citizen_id=cccd(3))]))
        messages = {e["row"]: e["message"] for e in result.errors}
        self.assertEqual(messages, {2: "Số CCCD trùng với dòng 3 trong cùng tệp.",
                                    3: "Số CCCD trùng với dòng 2 trong cùng tệp."})

    def test_a_cccd_of_a_member_outside_reach_does_not_say_whose(self):
        Member.objects.filter(pk=self.member_b1.pk).update(citizen_id=cccd(5, date(1980, 5, 17), female=True))
        result = self.check(xlsx([row("Ai Đó", "Nữ", date(1980, 5, 17), cccd(5, date(1980, 5, 17), True))]))
        [error] = result.errors
        self.assertIn("đã có trong hệ thống, thuộc đơn vị ngoài phạm vi của bạn", error["message"])
        self.assertEqual(error["column"], "Số CCCD")
        # Nothing written but the collision's audit entry (members.collisions; tested in test_collisions).
        self.assertEqual(list(AuditEntry.objects.filter(action="members.cccd.collision").values_list("unit_path")),
                         [(self.province.path,)])
        self.assertNotIn("Dung", error["message"])
        self.assertNotIn("Bình", error["message"])

    def test_an_unknown_unit_code(self):
        self.assert_refused(xlsx([row(code="ZZ")]), "Không có chi bộ mã “ZZ” trong phạm vi", column="Mã chi bộ")

    def test_binh_importing_into_commune_bs_cell_is_told_the_code_is_unknown(self):
        error = self.assert_refused(xlsx([row(code="B1")]), "Không có chi bộ mã “B1” trong phạm vi")
        self.assertNotIn("Bình Tây", error["message"])

    def test_a_closed_cell(self):
        OrgUnit.objects.filter(pk=self.cell_a2.pk).update(valid_to=date(2026, 1, 1))
        self.assert_refused(xlsx([row(code="A2")]), "đã kết thúc hoạt động từ 01/01/2026", column="Mã chi bộ")

    def test_a_commune_is_not_a_cell(self):
        OrgUnit.objects.filter(pk=self.commune_a.pk).update(code="XA")
        self.assert_refused(xlsx([row(code="XA")]), "không phải chi bộ")

    def test_a_birth_date_in_the_future(self):
        future = date.today() + timedelta(days=3)
        self.assert_refused(xlsx([row(birth=future, citizen_id="")]), "Ngày sinh không được sau ngày hôm nay",
                            column="Ngày sinh")

    def test_an_admission_before_the_18th_birthday(self):
        self.assert_refused(xlsx([row(birth=date(2000, 6, 1), admitted=date(2018, 5, 31), citizen_id="")]),
                            "chưa đủ 18 tuổi", column="Ngày vào Đảng")

    def test_every_rule_a_row_breaks_is_named_at_once(self):
        line = row(code="B1", birth=date(1991, 6, 1), admitted=date(2008, 5, 31), citizen_id=cccd(1, date(1990, 1, 1)))
        result = self.check(xlsx([line]))
        self.assertEqual(sorted((e["row"], e["column"]) for e in result.errors),
                         [(2, "Mã chi bộ"), (2, "Ngày vào Đảng"), (2, "Số CCCD")])
        self.assertEqual(result.creates, [])

    def test_a_cccd_that_does_not_match_the_birth_year(self):
        self.assert_refused(xlsx([row(citizen_id=cccd(1, date(1991, 1, 1)))]), "hai số cuối của năm sinh")

    def test_a_required_value_left_empty(self):
        line = row()
        line[1] = None
        self.assert_refused(xlsx([line]), "Thiếu “Giới tính”", row=2, column="Giới tính")

    def test_a_value_outside_the_list(self):
        line = row()
        line[5] = "Đang sinh hoạt"
        self.assert_refused(xlsx([line]), "không có trong danh mục; chọn một trong: Dự bị, Chính thức")

    def test_a_new_member_must_be_probationary_or_official(self):
        self.assert_refused(xlsx([row(status="Đã từ trần")]), "dự bị hoặc chính thức")

    def test_an_existing_member_cannot_change_cell_or_status_through_the_file(self):
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=cccd(7, date(1980, 5, 17)))
        line = ["Nguyễn Văn Ánh", "Nam", date(1980, 5, 17), cccd(7, date(1980, 5, 17)), "A2", "Chính thức",
                REFORM]
        self.assert_refused(xlsx([line]), "đang sinh hoạt ở Chi bộ thôn An Phú")
        line[4], line[5] = "A1", "Dự bị"
        self.assert_refused(xlsx([line]), "Hồ sơ đang là “Chính thức”")

    def test_one_bad_row_among_good_ones_writes_nothing(self):
        job = self.run_job(xlsx([row(), row("Đinh Văn Hai", citizen_id=cccd(2), code="ZZ")]))
        self.assertEqual(job.state, ImportJob.State.INVALID)
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())
