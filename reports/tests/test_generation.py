import io
import re
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from core.errors import DomainError
from dangvu.testing import BaseTestCase, VisibilityMixin
from reports import defaults, render, services
from reports.models import Report, ReportTemplate
from reports.tests.helpers import ReportWorld

Q_START, Q_END = date(2025, 10, 1), date(2025, 12, 31)


def document_xml(report) -> str:
    report.docx.open("rb")
    with zipfile.ZipFile(io.BytesIO(report.docx.read())) as z:
        xml = z.read("word/document.xml").decode()
    report.docx.close()
    return xml


def text_of(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def edited(old: str, new: str) -> bytes:
    """The default quarterly template with `old` replaced by `new` in its body (as a user would in Word)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(defaults.build("quy"))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(old.encode(), new.encode())
            dst.writestr(item, data)
    return out.getvalue()


class GenerationTests(ReportWorld, BaseTestCase):
    def setUp(self):
        super().setUp()
        services.ensure_templates()
        self.quarter = ReportTemplate.objects.get(code="quy")

    def make(self, user=None, unit=None):
        return services.create_report(unit=unit or self.commune_a, template=self.quarter, start=Q_START, end=Q_END,
                                      by=user or self.binh)

    def test_generates_word_in_party_layout_with_figures_and_texts(self):
        report = self.make()
        services.save_texts(report, {"ket_qua": "Sinh hoạt chi bộ đều đặn."}, by=self.binh)
        report = self.generate(report, self.binh)
        report.refresh_from_db()
        self.assertEqual((report.status, report.progress), ("done", 100))
        text = text_of(document_xml(report))
        self.assertIn("ĐẢNG BỘ TỈNH THỬ NGHIỆM", text)  # superior
        self.assertIn("ĐẢNG BỘ XÃ AN HÒA", text)  # issuer
        self.assertIn("ĐẢNG CỘNG SẢN VIỆT NAM", text)
        self.assertIn(f"Số {report.document.symbol}", text)
        self.assertTrue(report.document.symbol.startswith("01-BC/"))
        self.assertIn("An Hòa, ngày 31 tháng 12 năm 2025", text)
        # commune A has 3 members (a1, a1_prob, a2): counted by hand
        self.assertIn("Tổng số đảng viên: 3.", text)
        self.assertEqual(report.figures["dv_tong"], 3)
        self.assertIn("Sinh hoạt chi bộ đều đặn.", text)
        self.assertIn("Máy chủ chưa cài LibreOffice", report.message)
        self.assertFalse(report.pdf)

    def test_same_inputs_same_content_and_number_issued_once(self):
        report = self.generate(self.make(), self.binh)
        first, number = document_xml(report), report.document_id
        report = self.generate(report, self.binh)
        self.assertEqual(report.document_id, number)
        strip = lambda x: re.sub(r"ngày \d\d tháng \d\d năm \d{4}", "", x)  # noqa: E731
        self.assertEqual(strip(first), strip(document_xml(report)))

    def test_period_ending_before_it_starts_is_refused(self):
        with self.assertRaisesMessage(DomainError, "kết thúc (30/09/2025) trước khi bắt đầu (01/10/2025)"):
            services.create_report(unit=self.commune_a, template=self.quarter, start=Q_START,
                                   end=date(2025, 9, 30), by=self.binh)
        self.assertEqual(Report.objects.count(), 0)
        # one day long is a period
        services.create_report(unit=self.commune_a, template=self.quarter, start=Q_START, end=Q_START, by=self.binh)

    def test_unit_outside_subtree_is_refused(self):
        with self.assertRaises(DomainError):
            self.make(user=self.dung)

    def test_upload_refuses_unknown_placeholder_naming_it(self):
        data = edited("{{ dv_tong }}", "{{ dv_khong_co }}")
        with self.assertRaisesMessage(DomainError, "dv_khong_co"):
            services.upload_template(self.quarter, SimpleUploadedFile("m.docx", data), by=self.admin)
        bad_section = edited("text.ket_qua", "text.bia_dat")
        with self.assertRaisesMessage(DomainError, "text.bia_dat"):
            services.upload_template(self.quarter, SimpleUploadedFile("m.docx", bad_section), by=self.admin)
        self.quarter.refresh_from_db()
        self.assertFalse(self.quarter.file)
        services.upload_template(self.quarter, SimpleUploadedFile("m.docx", defaults.build("quy")), by=self.admin)
        self.quarter.refresh_from_db()
        self.assertTrue(self.quarter.file)

    def test_only_admin_uploads(self):
        with self.assertRaises(DomainError):
            services.upload_template(self.quarter, SimpleUploadedFile("m.docx", defaults.build("quy")), by=self.binh)

    def test_every_default_template_is_valid_and_renders(self):
        for kind in defaults.KINDS:
            data = defaults.path_of(kind).read_bytes()
            render.check_template(data)
            self.assertIn(b"word/document.xml", render.render_docx(data, {"text": {}}))


@override_settings(DEBUG=False)
class PdfTests(ReportWorld, BaseTestCase):
    pdf = True

    def test_pdf_by_libreoffice(self):
        if render.soffice() is None:
            self.fail("LibreOffice is required for this test (libreoffice-writer-nogui)")
        services.ensure_templates()
        report = services.create_report(unit=self.commune_a, template=ReportTemplate.objects.get(code="nam"),
                                        start=date(2025, 1, 1), end=Q_END, by=self.binh)
        report = self.generate(report, self.binh)
        self.assertEqual(report.status, "done")
        report.pdf.open("rb")
        self.assertTrue(report.pdf.read(5).startswith(b"%PDF"))
        report.pdf.close()
        self.client.force_login(self.binh)
        response = self.client.get(f"/bao-cao/{report.pk}/tai/pdf")
        self.assertEqual(response.status_code, 200)


class VisibilityTests(ReportWorld, VisibilityMixin, BaseTestCase):
    def test_report_pages_hidden_outside_subtree(self):
        services.ensure_templates()
        report = services.create_report(unit=self.commune_a, template=ReportTemplate.objects.get(code="quy"),
                                        start=Q_START, end=Q_END, by=self.binh)
        self.assert_page_hidden_from_dung(f"/bao-cao/{report.pk}/")
        self.assert_page_hidden_from_dung(f"/bao-cao/{report.pk}/tien-do/")
        self.assert_api_hidden_from_dung(f"/api/v1/reports/{report.pk}")
