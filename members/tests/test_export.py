"""Member lists out to Excel and Word: Vietnamese order, safe against formula injection, sensitive
columns only for those who may see them, the party document layout, and nothing of A for dung."""

import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from dangvu.testing import BaseTestCase, VisibilityMixin, make_member
from members.exporter import export_docx, export_xlsx, export_xlsx_bytes
from members.models import Member, Status
from orgs.models import OrgUnit

ON = date(2026, 11, 23)


def sheet_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content))["Đảng viên"]
    return [[c.value for c in r] for r in ws.iter_rows()]


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join([*(p.text for p in doc.paragraphs), *cells])


class ExcelExportTests(VisibilityMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        OrgUnit.objects.filter(pk=cls.cell_a1.pk).update(code="A1")
        Member.objects.filter(pk=cls.member_a1.pk).update(citizen_id="001080012345", religion="Phật giáo")

    def test_rows_come_in_vietnamese_name_order_with_codes_labels_and_dates(self):
        make_member(self.cell_a2, "Đỗ Thị An", gender="nu")
        rows = sheet_rows(export_xlsx_bytes(Member.objects.visible_to(self.binh), include_sensitive=True))
        header = rows[0]
        names = [r[header.index("Họ và tên")] for r in rows[1:]]
        self.assertEqual(names, ["Đỗ Thị An", "Nguyễn Văn Ánh", "Trần Thị Bình", "Lê Văn Cường"])
        first = dict(zip(header, rows[2], strict=True))
        self.assertEqual(first["STT"], 2)
        self.assertEqual((first["Mã chi bộ"], first["Tên chi bộ"]), ("A1", "Chi bộ thôn An Phú"))
        self.assertEqual((first["Giới tính"], first["Trạng thái"]), ("Nam", "Chính thức"))
        self.assertEqual(first["Ngày sinh"].date(), date(1980, 5, 17))
        self.assertEqual(first["Số CCCD"], "001080012345")  # text, leading zeros kept
        cell_a2_code = dict(zip(header, rows[4], strict=True))["Mã chi bộ"]
        self.assertEqual(cell_a2_code, f"#{self.cell_a2.pk}")  # a cell without a code is named by its id

    def test_text_that_looks_like_a_formula_is_written_as_text(self):
        nasty = {"notes": "=HYPERLINK(\"http://x\",\"bấm\")", "position": "+84 trưởng thôn", "workplace": "-1+2",
                 "party_positions": "@SUM(A1)", "occupation": "\tthợ", "managed_by": "\r=1"}
        Member.objects.filter(pk=self.member_a1.pk).update(**nasty)
        ws = load_workbook(io.BytesIO(export_xlsx_bytes(Member.objects.visible_to(self.binh))))["Đảng viên"]
        cells = [c for r in ws.iter_rows() for c in r]
        self.assertFalse([c.coordinate for c in cells if c.data_type == "f"], "no cell may hold a formula")
        values = {c.value for c in cells}
        for value in nasty.values():
            self.assertIn(value, values)
        quoted = [c for c in cells if c.value in nasty.values()]
        self.assertTrue(all(c.quotePrefix for c in quoted))

    def test_a_viewer_gets_no_cccd_or_religion_column(self):
        content = export_xlsx_bytes(Member.objects.visible_to(self.binh), include_sensitive=False)
        rows = sheet_rows(content)
        self.assertNotIn("Số CCCD", rows[0])
        self.assertNotIn("Tôn giáo", rows[0])
        flat = {v for r in rows for v in r}
        self.assertNotIn("001080012345", flat)
        self.assertNotIn("Phật giáo", flat)

    def test_export_streams_to_a_file_object(self):
        out = io.BytesIO()
        export_xlsx(Member.objects.visible_to(self.an), out)
        self.assertEqual(len(sheet_rows(out.getvalue())), 5)

    def test_dungs_export_holds_nothing_of_commune_a(self):
        rows = sheet_rows(export_xlsx_bytes(Member.objects.visible_to(self.dung), include_sensitive=True))
        self.assertEqual(len(rows), 2)
        self.assert_no_trace_of_a(" ".join(str(v) for r in rows for v in r if v is not None))


class WordListTests(VisibilityMixin, BaseTestCase):
    def test_the_list_has_the_party_header_title_and_one_row_per_member(self):
        members = Member.objects.visible_to(self.binh).filter(unit=self.cell_a1)
        doc = Document(io.BytesIO(export_docx(members, self.cell_a1, ON)))
        header = doc.tables[0].rows[0].cells
        self.assertEqual([p.text for p in header[0].paragraphs], ["ĐẢNG BỘ XÃ AN HÒA", "CHI BỘ THÔN AN PHÚ", "*"])
        self.assertEqual(header[1].paragraphs[0].text, "ĐẢNG CỘNG SẢN VIỆT NAM")
        self.assertTrue(header[1].paragraphs[0].runs[0].underline)
        date_line = header[1].paragraphs[-1]
        self.assertEqual(date_line.text, "An Hòa, ngày 23 tháng 11 năm 2026")
        self.assertTrue(date_line.runs[0].italic)
        title = next(p for p in doc.paragraphs if p.text == "DANH SÁCH ĐẢNG VIÊN")
        self.assertTrue(title.runs[0].bold)
        table = doc.tables[1]
        self.assertEqual([c.text for c in table.rows[0].cells],
                         ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Ngày chính thức",
                          "Số thẻ đảng viên", "Chức vụ", "Ghi chú"])
        self.assertEqual(len(table.rows), 1 + 2)
        self.assertEqual([c.text for c in table.rows[1].cells][:4], ["1", "Nguyễn Văn Ánh", "17/05/1980", "Nam"])
        self.assertEqual(table.rows[2].cells[8].text, "Dự bị")
        text = docx_text(export_docx(members, self.cell_a1, ON))
        for line in ("Tổng số: 2 đảng viên.", "T/M CHI BỘ", "BÍ THƯ"):
            self.assertIn(line, text)

    def test_the_page_is_a4_landscape_with_party_margins_in_times_new_roman(self):
        doc = Document(io.BytesIO(export_docx(Member.objects.none(), self.cell_a1, ON)))
        section = doc.sections[0]
        self.assertEqual((round(section.page_width.cm, 1), round(section.page_height.cm, 1)), (29.7, 21.0))
        self.assertEqual(section.orientation, WD_ORIENT.LANDSCAPE)
        self.assertEqual((round(section.left_margin.cm, 1), round(section.right_margin.cm, 1)), (3.0, 1.5))
        self.assertEqual(doc.styles["Normal"].font.name, "Times New Roman")
        self.assertEqual(len(doc.tables[1].rows), 1)

    def test_a_commune_list_is_signed_for_the_party_committee(self):
        members = Member.objects.visible_to(self.binh).filter(status__in=[Status.OFFICIAL, Status.PROBATIONARY])
        text = docx_text(export_docx(members, self.commune_a, ON))
        self.assertIn("T/M ĐẢNG ỦY", text)
        self.assertIn("Lê Văn Cường", text)

    def test_the_place_is_the_commune_name(self):
        self.assertEqual(self.cell_b1.place_name(), "Bình Sơn")
        self.assertEqual(self.province.place_name(), "Thử Nghiệm")

    def test_dungs_list_holds_nothing_of_commune_a(self):
        text = docx_text(export_docx(Member.objects.visible_to(self.dung), self.cell_b1, ON))
        self.assertIn("Phạm Thị Dung", text)
        self.assert_no_trace_of_a(text)
