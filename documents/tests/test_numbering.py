"""Document numbers: from 01 per type within a committee term (rules.md §6), symbols parsed and printed."""

import io
from datetime import date

from docx import Document as Docx

from bodies.models import Term
from core import partydoc
from dangvu.testing import BaseTestCase, VisibilityMixin
from documents import services
from documents.models import Document
from documents.symbols import parse


class SymbolTests(BaseTestCase):
    def test_parse_what_officers_type(self):
        for text, parts in [("Số 25-KH/ĐU", (25, "KH", "ĐU")), ("21-KL/TW", (21, "KL", "TW")),
                            ("05-CT/TW", (5, "CT", "TW")), ("22-HD/BTCTU", (22, "HD", "BTCTU")),
                            ("số: 07-qđi/tw", (7, "QĐi", "TW")), ("12 - QD / DU", (12, "QĐ", "ĐU")),
                            ("147-CTHĐ/TU", (147, "CTHĐ", "TU"))]:
            symbol = parse(text)
            self.assertIsNotNone(symbol, text)
            self.assertEqual((symbol.number, symbol.doc_type, symbol.issuer), parts, text)

    def test_not_a_symbol(self):
        for text in ("", "Nghị quyết 21", "25-XYZ/ĐU", "25/ĐU", "KH-25/ĐU"):
            self.assertIsNone(parse(text), text)

    def test_printed_with_a_leading_zero_below_ten(self):
        self.assertEqual(str(parse("Số 5-NQ/ĐU")), "05-NQ/ĐU")
        self.assertEqual(str(parse("125-NQ/ĐU")), "125-NQ/ĐU")


class NumberingTests(BaseTestCase, VisibilityMixin):
    def test_each_type_counts_from_01_within_the_term(self):
        Term.objects.create(unit=self.commune_a, label="2020–2025", starts_on=date(2020, 8, 1), ends_on=date(2025, 7, 31))
        Term.objects.create(unit=self.commune_a, label="2025–2030", starts_on=date(2025, 8, 1))

        def issue(kind, on):
            return services.issue(unit=self.commune_a, doc_type=kind, on=on, title="Thử", by=self.binh).symbol
        self.assertEqual(issue("NQ", date(2025, 3, 1)), "01-NQ/ĐU")
        self.assertEqual(issue("NQ", date(2025, 7, 31)), "02-NQ/ĐU")
        self.assertEqual(issue("NQ", date(2025, 8, 1)), "01-NQ/ĐU")  # the new term starts again
        self.assertEqual(issue("QĐ", date(2025, 9, 1)), "01-QĐ/ĐU")  # each type its own sequence
        self.assertEqual(issue("NQ", date(2026, 1, 2)), "02-NQ/ĐU")  # the term, not the year

    def test_without_a_recorded_term_each_year_counts_alone(self):
        first = services.issue(unit=self.cell_a1, doc_type="NQ", on=date(2025, 12, 30), title="A", by=None)
        second = services.issue(unit=self.cell_a1, doc_type="NQ", on=date(2026, 1, 5), title="B", by=None)
        self.assertEqual((first.number_line, second.number_line), ("Số 01-NQ/CB", "Số 01-NQ/CB"))
        self.assertIsNone(first.term)

    def test_an_unknown_type_is_refused(self):
        with self.assertRaisesMessage(Exception, "không có trong danh mục"):
            services.issue(unit=self.cell_a1, doc_type="XYZ", on=date(2026, 1, 5), title="A", by=None)
        self.assertFalse(Document.objects.exists())

    def test_the_register_is_scoped(self):
        doc = services.issue(unit=self.cell_a1, doc_type="NQ", on=date(2026, 1, 5), title="Đề nghị kết nạp", by=None)
        self.assert_api_hidden_from_dung(f"/api/v1/documents/{doc.pk}")
        self.assertEqual(self.api(self.dung, "get", "/api/v1/documents").json()["count"], 0)
        found = self.api(self.binh, "get", "/api/v1/documents?q=Số 01-NQ/CB").json()
        self.assertEqual([d["symbol"] for d in found["items"]], ["01-NQ/CB"])


class PartyDocTests(BaseTestCase):
    def test_a_decision_carries_the_nine_components_of_the_layout(self):
        doc = partydoc.new()
        partydoc.heading(doc, *partydoc.issuer_of(self.cell_a1), number="Số 03-NQ/CB",
                         place=partydoc.place_of(self.cell_a1), on=date(2026, 1, 5))
        partydoc.title(doc, "Nghị quyết", "Đề nghị kết nạp đảng viên")
        partydoc.paragraph(doc, "Chi bộ đề nghị kết nạp quần chúng Trần Văn Dũng.")
        partydoc.signature(doc, ["Đảng ủy xã (để báo cáo)", "Lưu Chi bộ."], "T/M CHI BỘ", "BÍ THƯ", "Lê Văn Cường")
        text = "\n".join(p.text for t in Docx(io.BytesIO(partydoc.to_bytes(doc))).tables for c in t._cells
                         for p in c.paragraphs)
        for part in ("ĐẢNG BỘ XÃ AN HÒA", "CHI BỘ THÔN AN PHÚ", "Số 03-NQ/CB", "ĐẢNG CỘNG SẢN VIỆT NAM",
                     "An Hòa, ngày 05 tháng 01 năm 2026", "Nơi nhận:", "T/M CHI BỘ", "Lê Văn Cường"):
            self.assertIn(part, text)
