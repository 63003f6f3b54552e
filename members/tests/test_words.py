"""No English left for users on the import page, in the template and in the import's messages."""

import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from members.exporter import template_xlsx
from members.tests.test_import import HEADERS, ImportTestCase, row, xlsx

ENGLISH = re.compile(r"\b(sheet|email)\b", re.IGNORECASE)


def texts(content: bytes) -> list[str]:
    """Every string a user reads in a workbook: cells, comments, validation prompts and errors."""
    wb = load_workbook(io.BytesIO(content))
    found = list(wb.sheetnames)
    for ws in wb.worksheets:
        for cells in ws.iter_rows():
            found += [str(c.value) for c in cells if isinstance(c.value, str)]
            found += [c.comment.text for c in cells if c.comment]
        for dv in ws.data_validations.dataValidation:
            found += [t for t in (dv.prompt, dv.promptTitle, dv.error, dv.errorTitle) if t]
    return found


class WordsTests(ImportTestCase):
    def test_the_template_says_trang_tinh_and_thu_dien_tu(self):
        content = template_xlsx(self.binh)
        self.assertEqual([t for t in texts(content) if ENGLISH.search(t)], [])
        headers = [c.value for c in load_workbook(io.BytesIO(content))["Đảng viên"][1]]
        self.assertIn("Thư điện tử", headers)
        guide = " ".join(texts(content))
        self.assertIn("trang tính “Danh mục”", guide)
        self.assertIn("“CSV UTF-8”, tức CSV mã UTF-8", guide)

    def test_a_file_with_the_old_email_header_still_imports(self):
        for header in ("Email", "Thư điện tử"):
            result = self.check(xlsx([[*row(), "an@example.vn"]], headers=[*HEADERS, header]))
            self.assertTrue(result.ok, (header, result.errors))
            self.assertEqual(result.creates[0].member.email, "an@example.vn", header)

    def test_a_file_without_the_member_sheet_is_told_of_its_trang_tinh(self):
        result = self.check(xlsx([row()], title="Danh sach", touch=lambda wb, ws: wb.create_sheet("Trang 2")))
        message = result.errors[0]["message"]
        self.assertIn("Không có trang tính “Đảng viên”", message)
        self.assertIsNone(ENGLISH.search(message))

    def test_the_import_page_explains_saving_as_csv_in_vietnamese(self):
        self.client.force_login(self.binh)
        text = self.client.get(reverse("members-import")).content.decode()
        self.assertIsNone(ENGLISH.search(re.sub(r"<[^>]+>", " ", text)))
        self.assertIn("“File” → “Save As” (Tệp → Lưu thành)", text)
        self.assertIn("tức CSV mã UTF-8, các cột ngăn bằng dấu phẩy", text)
