"""Hostile import files (members.tests.hostile) are refused quickly with a clear message and write
nothing; the limits are settings; errors past the cap are counted, not kept; the error report echoes
values as text, never as formulas."""

import io
import time
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from members import csvsheet
from members.exporter import error_report_xlsx
from members.models import ImportJob, Member, MemberEvent
from members.tests import hostile
from members.tests.test_import import ImportTestCase, cccd, row, xlsx
from members.tests.test_import_csv import csv_bytes


class HostileFileTests(ImportTestCase):
    def assert_job_refused(self, content: bytes, message: str, name="danh-sach.xlsx") -> ImportJob:
        before = (Member.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count())
        job = self.run_job(content, name=name)
        self.assertEqual(job.state, ImportJob.State.INVALID, job.message)
        self.assertIn(message, job.message)
        self.assertEqual(len(job.errors), 1, job.errors)  # the file as a whole, not row by row
        self.assertEqual((Member.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count()), before)
        return job

    def test_the_zip_bomb_is_refused_within_seconds_and_nothing_is_written(self):
        bomb = hostile.zip_bomb()  # 2,000,000 rows of 7 cells: 670 MB of XML in 3 MB
        started = time.monotonic()
        job = self.assert_job_refused(bomb, "quá giới hạn 300.000 dòng một lần nhập")
        self.assertLess(time.monotonic() - started, 30)  # about 2 s alone on the machine; a naive read took minutes
        self.assertEqual(load_workbook(io.BytesIO(error_report_xlsx(job))).sheetnames, ["Lỗi"])

    @override_settings(MEMBER_IMPORT_MAX_ROWS=5)
    def test_the_row_cap_is_a_setting_and_a_sheet_of_that_many_rows_passes(self):
        rows = [row(f"Đảng Viên {n}", citizen_id=cccd(n)) for n in range(1, 6)]
        job = self.run_job(xlsx(rows))
        self.assertEqual(job.state, ImportJob.State.DONE, job.errors)
        more = [row(f"Người Thứ {n}", citizen_id=cccd(n + 10)) for n in range(1, 7)]
        self.assert_job_refused(xlsx(more), "Danh sách có hơn 5 dòng dữ liệu (dòng 7 vượt giới hạn")
        self.assert_job_refused(csv_bytes(more), "Danh sách có hơn 5 dòng dữ liệu", name="danh-sach.csv")

    @override_settings(MEMBER_IMPORT_MAX_ROWS=5)
    def test_a_csv_of_many_short_lines_is_refused_before_any_row_is_kept(self):
        content = csv_bytes([row()]) + b"x\r\n" * 2000  # 500,000 such lines took 1.6 GB
        with mock.patch("members.csvsheet._data_rows", wraps=csvsheet._data_rows) as data_rows:
            self.assert_job_refused(content, "Danh sách có hơn 5 dòng dữ liệu", name="danh-sach.csv")
        data_rows.assert_not_called()

    @override_settings(MEMBER_IMPORT_MAX_ROWS=5)
    def test_rows_far_below_the_list_are_refused_before_the_sheet_is_parsed(self):
        # A cell at row 1,048,576 makes openpyxl yield a million empty rows before it.
        self.assert_job_refused(xlsx([row()], touch=lambda wb, ws: ws.cell(1048576, 1, "x")),
                                "tới dòng 1.048.576 trở đi, quá giới hạn 5 dòng")

    @override_settings(MEMBER_IMPORT_MAX_ROWS=100)
    def test_a_huge_shared_strings_table_is_refused(self):
        self.assert_job_refused(hostile.huge_shared_strings(5000), "hơn 1.200 đoạn văn bản khác nhau")

    def test_thousands_of_columns_are_refused(self):
        self.assert_job_refused(hostile.many_columns(5000), "Dòng 2 có 5.000 ô, quá giới hạn 200 cột")

    def test_a_csv_line_of_thousands_of_values_is_refused(self):
        content = csv_bytes([row()]) + b"x" + b",x" * 5000 + b"\r\n"
        self.assert_job_refused(content, "Dòng 3 có 5.001 ô, quá giới hạn 200 cột", name="danh-sach.csv")

    def test_deeply_nested_xml_in_the_sheet_is_refused(self):
        self.assert_job_refused(hostile.deeply_nested(1_000_000), "cấu trúc lồng nhau bất thường")

    def test_deeply_nested_xml_in_another_part_is_refused_by_the_parser(self):
        self.assert_job_refused(hostile.deeply_nested(100_000, "xl/styles.xml"),
                                "không phải sổ tính Excel .xlsx đọc được")

    def test_a_huge_part_other_than_a_sheet_is_refused(self):
        head = b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        styles = [head, *(b"<numFmts/>" * 100_000 for _ in range(20)), b"</styleSheet>"]  # 20 MB
        self.assert_job_refused(hostile.workbook({"xl/styles.xml": styles}), "“xl/styles.xml” của tệp nặng bất thường")

    def test_a_large_sheet_in_utf16_which_the_scan_cannot_read_is_refused(self):
        rows = "".join(hostile.SMALL_ROW for _ in range(60_000))  # 20 MB in UTF-16
        xml = b"".join(hostile._sheet([rows.encode()])).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
        sheet = xml.encode("utf-16")
        self.assert_job_refused(hostile.workbook({hostile.SHEET: sheet}), "“xl/worksheets/sheet1.xml” của tệp nặng")

    def test_a_csv_with_a_10_mb_line_is_refused(self):
        self.assert_job_refused(hostile.csv_long_line(), "có một giá trị dài hơn 131.072 ký tự từ dòng 2",
                                name="danh-sach.csv")


class ErrorCapTests(ImportTestCase):
    @override_settings(MEMBER_IMPORT_MAX_ERRORS=3)
    def test_errors_past_the_cap_are_counted_and_the_report_says_how_many(self):
        bad = [row(f"Người Thứ {n}", birth="31/02/1980") for n in range(5)]
        job = self.run_job(xlsx(bad))
        self.assertEqual((job.state, len(job.errors), job.errors_left_out), (ImportJob.State.INVALID, 3, 2))
        self.assertIn("5 lỗi (liệt kê 3 lỗi đầu tiên", job.message)
        errors = load_workbook(io.BytesIO(error_report_xlsx(job)))["Lỗi"]
        self.assertIn("Còn 2 lỗi nữa không liệt kê", errors.cell(5, 5).value)
        self.client.force_login(self.binh)
        page = self.client.get(reverse("members-import-job", args=[job.pk]))
        self.assertContains(page, "Các lỗi cần sửa (5)")
        self.assertContains(page, "Ngoài ra còn 2 lỗi không liệt kê")


class ErrorReportTests(ImportTestCase):
    def test_the_report_echoes_a_formula_as_text(self):
        formula = '=HYPERLINK("http://ke-xau.example","Bấm vào đây")'
        job = self.run_job(xlsx([row(), row(formula, citizen_id=cccd(2))]))
        self.assertEqual(job.state, ImportJob.State.INVALID)
        report = load_workbook(io.BytesIO(error_report_xlsx(job)))
        echoed = report["Lỗi"]["D2"]
        self.assertEqual((echoed.data_type, echoed.value), ("s", formula))
        copied = report["Đảng viên"]["A3"]
        self.assertEqual((copied.data_type, copied.value), ("s", formula))
        self.assertIn("công thức", copied.comment.text)
        self.assertFalse([c.coordinate for ws in report for r in ws.iter_rows() for c in r if c.data_type == "f"])


class ImportPageTests(ImportTestCase):
    @override_settings(MEMBER_IMPORT_MAX_ROWS=250_000)
    def test_the_page_says_the_limits(self):
        self.client.force_login(self.binh)
        self.assertContains(self.client.get(reverse("members-import")), "Mỗi lần nhập tối đa 250.000 dòng")
