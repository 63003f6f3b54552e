"""Member import from CSV: what Excel's "Save As" writes imports like the xlsx (BOM, ";", quotes,
dates as text, leading zeros), every bad file is named precisely with nothing written, export →
CSV → import changes nothing, and the error report marks the cells of a CSV too."""

import csv
import io
import unicodedata
from datetime import date, datetime

from django.test import TestCase, override_settings
from openpyxl import load_workbook

from audit.models import AuditEntry
from core.text import vn_date
from members import tally
from members.exporter import error_report_xlsx, export_xlsx_bytes
from members.models import ImportJob, Member
from members.tests.test_import import HEADERS, ImportTestCase, cccd, row, xlsx
from orgs.models import OrgUnit

BOM = "\ufeff".encode()


def csv_bytes(rows, headers=HEADERS, delimiter=",", bom=True) -> bytes:
    """A CSV as Excel's "CSV UTF-8 (Comma delimited)" writes it: BOM, CRLF, dates as shown (dd/mm/yyyy).
    `headers=None`: lines to add to another file."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if headers is not None:
        writer.writerow(headers)
    for r in rows:
        writer.writerow([vn_date(v) if isinstance(v, date) else ("" if v is None else v) for v in r])
    return (BOM if bom else b"") + out.getvalue().encode()


def cp1258(text: str) -> bytes:
    """As Excel's plain "CSV (Comma delimited)" on a Vietnamese Windows writes text: Windows-1258,
    where a letter with a tone is its base letter (ă, ê, ơ… are single bytes) and a combining tone mark."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones)))
        out.extend(p for p in parts if p in tones)
    return "".join(out).encode("cp1258")


def saved_as_csv(workbook: bytes, delimiter: str = ",") -> bytes:
    """The member sheet of `workbook` as Excel saves it as CSV UTF-8: each cell as it is shown."""
    ws = load_workbook(io.BytesIO(workbook))["Đảng viên"]

    def shown(value) -> str:
        if isinstance(value, datetime | date):
            return value.strftime("%d/%m/%Y")  # the export's date format, DD/MM/YYYY
        return "" if value is None else str(value)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for cells in ws.iter_rows(values_only=True):
        writer.writerow([shown(v) for v in cells])
    return BOM + out.getvalue().encode()


class CsvWorksTests(ImportTestCase):
    def test_excel_csv_utf8_with_a_bom_and_semicolons_imports_like_the_xlsx(self):
        rows = [row(), row("Đinh Thị Hoa", "Nữ", citizen_id=cccd(2, female=True), status="Dự bị")]
        job = self.run_job(csv_bytes(rows, delimiter=";"), name="danh-sach.csv")
        self.assertEqual((job.state, job.created_count), (ImportJob.State.DONE, 2), job.errors)
        m = Member.objects.get(citizen_id=cccd(1))  # the leading zeros kept: CSV has no numbers
        self.assertEqual((m.full_name, m.birth_date, m.unit, m.status), ("Hoàng Văn Mới", date(1990, 4, 2),
                                                                         self.cell_a1, "chinh_thuc"))
        self.assertEqual(Member.objects.get(citizen_id=cccd(2, female=True)).gender, "nu")
        self.assertTrue(job.file.name.endswith(".csv"))
        self.assertEqual(AuditEntry.objects.get(action="members.import.done").after["created"], 2)
        self.assertEqual(tally.check(), [])

    def test_utf8_without_a_bom_and_commas(self):
        result = self.check(csv_bytes([row()], bom=False))
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.creates[0].member.full_name, "Hoàng Văn Mới")

    def test_text_typed_decomposed_is_read_composed(self):
        content = unicodedata.normalize("NFD", csv_bytes([row()]).decode()).encode()  # as a Mac writes it
        result = self.check(content)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.creates[0].member.full_name, unicodedata.normalize("NFC", "Hoàng Văn Mới"))

    def test_quoted_values_hold_delimiters_and_line_breaks_and_rows_are_numbered_as_excel_shows_them(self):
        headers = [*HEADERS, "Quê quán", "Ghi chú"]
        rows = [[*row(), "xã Tân Lập, tỉnh Mẫu", "dòng 1\r\ndòng 2; \"trích\""],
                [*row("Đinh Văn Hai", citizen_id=cccd(2), code="ZZ"), "", ""]]
        content = csv_bytes(rows, headers)
        self.assertIn('"xã Tân Lập, tỉnh Mẫu"'.encode(), content)
        result = self.check(content)
        # the second member sits on line 4 of the file but on row 3 once Excel opens it
        self.assertEqual([(e["row"], e["cell"]) for e in result.errors], [(3, "E3")])
        result = self.check(csv_bytes(rows[:1], headers))
        self.assertTrue(result.ok, result.errors)
        m = result.creates[0].member
        self.assertEqual((m.hometown, m.notes), ("xã Tân Lập, tỉnh Mẫu", "dòng 1\r\ndòng 2; \"trích\""))

    def test_empty_trailing_columns_and_blank_lines_are_ignored(self):
        content = csv_bytes([[*row(), "", ""], [], [*row("Đinh Văn Hai", citizen_id=cccd(2)), "", ""]],
                            [*HEADERS, "", ""])
        result = self.check(content)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual([c.row for c in result.creates], [2, 4])

    def test_dates_as_text_in_the_spellings_excel_writes(self):
        rows = [row(f"Người Số {i}", birth=text) for i, text in enumerate(["12/3/1980", "12-03-1980", "1980-03-12"])]
        result = self.check(csv_bytes(rows))
        self.assertTrue(result.ok, result.errors)
        self.assertEqual({c.member.birth_date for c in result.creates}, {date(1980, 3, 12)})

    def test_a_title_and_a_sep_line_above_the_header_are_skipped(self):
        content = b"sep=;\r\nDANH S\xc3\x81CH \xc4\x90\xe1\xba\xa2NG VI\xc3\x8aN;;;\r\n" + csv_bytes(
            [row(), row("Đinh Văn Hai", citizen_id=cccd(2), code="ZZ")], delimiter=";", bom=False)
        result = self.check(content)
        self.assertEqual([(e["row"], e["cell"]) for e in result.errors], [(5, "E5")])

    def test_the_format_is_told_by_the_content_and_the_stored_name_keeps_the_extension(self):
        as_xlsx = self.run_job(csv_bytes([row()]), name="danh-sach.xlsx")  # a CSV named .xlsx
        self.assertEqual((as_xlsx.state, as_xlsx.created_count), (ImportJob.State.DONE, 1), as_xlsx.errors)
        self.assertTrue(as_xlsx.file.name.endswith(".xlsx"))
        as_csv = self.run_job(xlsx([row("Đinh Văn Hai", citizen_id=cccd(2))]), name="DS.CSV")  # an xlsx named .CSV
        self.assertEqual((as_csv.state, as_csv.created_count), (ImportJob.State.DONE, 1), as_csv.errors)
        self.assertTrue(as_csv.file.name.endswith(".csv"))
        self.assertEqual(as_csv.original_name, "DS.CSV")

    def test_export_then_save_as_csv_then_reimport_changes_nothing(self):
        Member.objects.filter(pk=self.member_a1.pk).update(
            citizen_id=cccd(7, date(1980, 5, 17)), phone="0912345678", general_education="9/12", notes="=ghi chú\ndòng 2",
            ethnicity="Ê Đê", religion="Công giáo", degree="thac_si", political_theory="cao_cap", email="a@b.vn",
            state_management="chuyen_vien", party_card_number="012345", birth_name="Nguyễn  Văn Ánh", position="-",
            hometown="xã Tân Lập, tỉnh Mẫu")
        OrgUnit.objects.filter(pk=self.cell_a2.pk).update(code="")  # exported and read back as "#<id>"
        members = Member.objects.visible_to(self.binh)
        for sensitive, delimiter in ((True, ","), (False, ";")):
            before = list(Member.objects.order_by("pk").values_list("updated_at", flat=True))
            content = saved_as_csv(export_xlsx_bytes(members, include_sensitive=sensitive), delimiter)
            job = self.run_job(content, name="xuat.csv")
            self.assertEqual(job.state, ImportJob.State.DONE, job.errors)
            self.assertEqual((job.created_count, job.updated_count, job.unchanged_count), (0, 0, 3))
            self.assertEqual(list(Member.objects.order_by("pk").values_list("updated_at", flat=True)), before)

    def test_the_error_report_of_a_csv_marks_its_cells_and_keeps_its_text(self):
        bad = row("=HYPERLINK(\"http://x\")", birth="31/02/1980")
        job = self.run_job(csv_bytes([row(), bad]), name="danh-sach.csv")
        self.assertEqual((job.state, job.total_rows), (ImportJob.State.INVALID, 2))
        report = load_workbook(io.BytesIO(error_report_xlsx(job)))
        self.assertEqual(report.sheetnames, ["Lỗi", "Đảng viên"])
        sheet = report["Đảng viên"]
        self.assertIn("không có thật", sheet["C3"].comment.text)
        self.assertEqual(sheet["C3"].fill.fgColor.rgb, "00FFC7CE")
        self.assertIn("công thức", sheet["A3"].comment.text)
        self.assertEqual((sheet["A3"].data_type, sheet["A3"].value), ("s", "=HYPERLINK(\"http://x\")"))
        self.assertEqual(sheet["D2"].value, cccd(1))  # text, leading zeros kept
        self.assertEqual([c.value for c in report["Lỗi"][2]][:2], [3, "A3"])

    def test_the_error_report_of_an_unreadable_csv_is_the_list_alone(self):
        job = self.run_job(cp1258(csv_bytes([row()], bom=False).decode()), name="danh-sach.csv")
        self.assertEqual(job.state, ImportJob.State.INVALID)
        self.assertEqual(load_workbook(io.BytesIO(error_report_xlsx(job))).sheetnames, ["Lỗi"])


class CsvBadInputTests(ImportTestCase):
    def test_excel_plain_csv_in_windows_1258_is_refused_with_how_to_save_it_as_csv_utf8(self):
        content = cp1258(csv_bytes([row()], bom=False).decode())
        error = self.assert_refused(content, "không lưu theo bảng mã UTF-8 (dòng 1 có chữ không đọc được)")
        self.assertIn("“CSV UTF-8 (Comma delimited) (*.csv)”", error["message"])
        self.assertIsNone(error["row"])
        self.assertIn("Chưa ghi gì.", self.check(content).summary())

    def test_a_single_line_not_in_utf8_is_named(self):
        ascii_headers = ["Ho va ten", "Gioi tinh", "Ngay sinh", "So CCCD", "Ma chi bo", "Trang thai", "Ngay vao Dang"]
        good = csv_bytes([row("Nguyen Van Mot")], ascii_headers, bom=False)
        content = good + cp1258(csv_bytes([row("Đinh Văn Hai", citizen_id=cccd(2))], None, bom=False).decode())
        self.assert_refused(content, "(dòng 3 có chữ không đọc được)")

    def test_a_unicode_text_file_is_refused(self):
        self.assert_refused("\ufeffHọ và tên\tGiới tính\r\n".encode("utf-16-le"), "“Văn bản Unicode” (UTF-16)")

    def test_a_completely_empty_file(self):
        self.assert_refused(b"", "Tệp rỗng (0 byte)")
        self.assert_refused(BOM + b"\r\n\r\n", "Tệp CSV trống")

    def test_a_file_with_only_the_header(self):
        self.assert_refused(csv_bytes([]), "Tệp CSV không có dòng dữ liệu nào dưới dòng tiêu đề (dòng 1)")

    def test_a_line_with_more_values_than_headers_is_reported_alone(self):
        shifted = row("Đinh Văn Hai", citizen_id=cccd(2))
        shifted[0:1] = ["Đinh Văn Hai", "xã Tân Lập"]  # an unquoted comma in a value moved the rest right
        result = self.check(csv_bytes([row(), shifted]))
        self.assertEqual(len(result.errors), 1, result.errors)
        error = result.errors[0]
        self.assertEqual((error["row"], error["cell"], error["value"]), (3, "H3", vn_date(date(2015, 6, 1))))
        self.assertIn("nhiều hơn 7 cột của dòng tiêu đề", error["message"])
        self.assertIn("dấu phẩy (,)", error["message"])
        self.assertEqual(result.creates, [])

    def test_an_unclosed_quote_is_reported_with_its_line(self):
        content = csv_bytes([row()]) + b'"Dinh Van Hai,Nam\r\n' + csv_bytes([row("Vũ Văn Ba", citizen_id=cccd(3))],
                                                                              None, bom=False)
        self.assert_refused(content, "Tệp CSV hỏng từ dòng 3: dấu ngoặc kép")

    @override_settings(MEMBER_IMPORT_MAX_BYTES=100)
    def test_a_file_over_the_size_limit(self):
        self.assert_refused(csv_bytes([row(), row("Đinh Văn Hai", citizen_id=cccd(2))]), "quá giới hạn")

    def test_a_binary_file_renamed_csv_is_neither_xlsx_nor_csv(self):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
        self.assert_refused(png, "Tệp không phải Excel .xlsx hay CSV")
        job = self.run_job(png, name="danh-sach.csv")
        self.assertEqual(job.state, ImportJob.State.INVALID)
        self.assertIn("không phải Excel .xlsx hay CSV", job.message)

    def test_a_formula_is_reported_as_in_an_xlsx_but_text_starting_with_equals_is_text(self):
        line = row()
        line[2] = "=DATE(1990,4,2)"
        result = self.check(csv_bytes([line]))
        self.assertEqual([(e["cell"], e["message"][:16]) for e in result.errors], [("C2", "Ô chứa công thức")])
        self.assert_refused(csv_bytes([[*row(), "=A1"]], [*HEADERS, "Ghi chú"]), "Ô chứa công thức (=A1)")
        result = self.check(csv_bytes([[*row(), "= xem hồ sơ giấy"]], [*HEADERS, "Ghi chú"]))
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.creates[0].member.notes, "= xem hồ sơ giấy")

    def test_headers_are_checked_as_in_an_xlsx(self):
        headers = ["Họ và tên", "Giới tính", "Ngay sinh nhat", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng"]
        error = self.assert_refused(csv_bytes([row()], headers), "Thiếu cột bắt buộc “Ngày sinh”. Cột gần giống nhất "
                                                                 "trong tệp là “Ngay sinh nhat”", row=1)
        self.assertEqual(error["cell"], "C1")

    def test_a_cccd_that_excel_wrote_in_scientific_form(self):
        self.assert_refused(csv_bytes([row(citizen_id="1,09E+11")]), "đổi thành dạng số mũ (1,09E+11)",
                            column="Số CCCD")

    def test_a_cccd_that_lost_its_leading_zero(self):
        self.assert_refused(csv_bytes([row(citizen_id="1090000001")]), "đúng 12 chữ số (đang có 10)", row=2)


class PhoneTests(TestCase):
    def test_a_phone_number_that_lost_its_leading_zero_is_named(self):
        from members.spreadsheet import CellError, parse_phone

        with self.assertRaisesMessage(CellError, "hãy ghi 0912345678"):
            parse_phone("912345678")
        self.assertEqual(parse_phone("0912 345 678"), "0912 345 678")
        self.assertEqual(parse_phone("+84912345678"), "+84912345678")
