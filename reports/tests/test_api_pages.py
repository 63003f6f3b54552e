from datetime import date

from django.test import override_settings

from dangvu.testing import BaseTestCase
from reports import services
from reports.models import Report, ReportTemplate
from reports.tests.helpers import ReportWorld


@override_settings(DEBUG=False)
class ApiTests(ReportWorld, BaseTestCase):
    def test_templates_listed_with_codes(self):
        response = self.api(self.binh, "get", "/api/v1/reports/templates")
        self.assertEqual(response.status_code, 200)
        self.assertEqual({t["code"] for t in response.json()}, {"quy", "6thang", "nam", "nhiemky", "chuyende"})

    def test_post_then_get_done_with_files(self):
        body = {"template": "quy", "unit": self.commune_a.pk, "period_start": "2025-10-01", "period_end": "2025-12-31"}
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api(self.binh, "post", "/api/v1/reports", data=body)
        self.assertEqual(response.status_code, 202)
        self.assertEqual(response.json()["status"], "queued")
        got = self.api(self.binh, "get", f"/api/v1/reports/{response.json()['id']}").json()
        self.assertEqual((got["status"], got["progress"]), ("done", 100))
        self.assertTrue(got["files"]["docx"].endswith(f"/bao-cao/{got['id']}/tai/docx"))
        self.assertEqual(got["figures"]["dv_tong"], 3)
        self.client.force_login(self.binh)
        self.assertEqual(self.client.get(got["files"]["docx"]).status_code, 200)
        self.assertNotIn("pdf", got["files"])  # no LibreOffice (patched away)
        import io

        from openpyxl import load_workbook
        sheet = load_workbook(io.BytesIO(b"".join(self.client.get(got["files"]["xlsx"]).streaming_content))).active
        rows = {r[0]: r[2] for r in sheet.iter_rows(min_row=3, values_only=True)}
        self.assertEqual(rows["dv_tong"], 3)

    def test_bad_input(self):
        bad = {"template": "quy", "unit": self.commune_a.pk, "period_start": "2025-10-01", "period_end": "2025-09-30"}
        response = self.api(self.binh, "post", "/api/v1/reports", data=bad)
        self.assertEqual(response.status_code, 422)
        self.assertIn("trước khi bắt đầu", response.json()["detail"])
        self.assertEqual(self.api(self.binh, "post", "/api/v1/reports", data={**bad, "template": "x",
                                                                             "period_end": "2025-12-31"}).status_code, 422)
        outside = {**bad, "period_end": "2025-12-31"}
        self.assertEqual(self.api(self.dung, "post", "/api/v1/reports", data=outside).status_code, 404)
        self.assertEqual(self.api(self.binh, "get", "/api/v1/reports/999999").status_code, 404)
        self.assertEqual(Report.objects.count(), 0)


@override_settings(DEBUG=False)
class PageTests(ReportWorld, BaseTestCase):
    def test_new_report_generate_and_download(self):
        self.client.force_login(self.binh)
        self.assertContains(self.client.get("/bao-cao/"), "Báo cáo sơ kết, tổng kết")
        self.assertEqual(self.client.get("/bao-cao/moi/").status_code, 200)
        template = ReportTemplate.objects.get(code="quy")
        bad = self.client.post("/bao-cao/moi/", {"unit": self.commune_a.pk, "template": template.pk,
                                                 "period_start": "01/10/2025", "period_end": "30/09/2025"})
        self.assertContains(bad, "trước khi bắt đầu", status_code=400)
        self.assertContains(bad, "30/09/2025", status_code=400)  # the form keeps what was typed
        response = self.client.post("/bao-cao/moi/", {"unit": self.commune_a.pk, "template": template.pk,
                                                      "period_start": "01/10/2025", "period_end": "31/12/2025"})
        report = Report.objects.get()
        self.assertRedirects(response, f"/bao-cao/{report.pk}/")
        page = self.client.get(f"/bao-cao/{report.pk}/")
        self.assertContains(page, "Tạo tệp báo cáo")
        self.assertContains(page, "chưa cài LibreOffice")  # soffice is patched away in ReportWorld
        self.assertEqual(self.client.post(f"/bao-cao/{report.pk}/", {"ket_qua": "Tốt."}).status_code, 302)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/bao-cao/{report.pk}/tao-tep/")
        progress = self.client.get(f"/bao-cao/{report.pk}/tien-do/")
        self.assertContains(progress, "Tải bản Word")
        download = self.client.get(f"/bao-cao/{report.pk}/tai/docx")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(self.client.get(f"/bao-cao/{report.pk}/tai/pdf").status_code, 404)

    def test_template_upload_page_names_unknown_placeholder(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from reports.tests.test_generation import edited

        services.ensure_templates()
        self.client.force_login(self.binh)
        self.assertEqual(self.client.get("/bao-cao/mau/quy/").status_code, 404)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get("/bao-cao/mau/quy/").status_code, 200)
        response = self.client.post("/bao-cao/mau/quy/", {"file": SimpleUploadedFile(
            "m.docx", edited("{{ dv_tong }}", "{{ so_dang_vien }}"))})
        self.assertContains(response, "so_dang_vien", status_code=400)

    def test_progress_bar_while_running(self):
        services.ensure_templates()
        report = services.create_report(unit=self.commune_a, template=ReportTemplate.objects.get(code="quy"),
                                        start=date(2025, 10, 1), end=date(2025, 12, 31), by=self.binh)
        Report.objects.filter(pk=report.pk).update(status="running", progress=40)
        self.client.force_login(self.binh)
        page = self.client.get(f"/bao-cao/{report.pk}/tien-do/")
        self.assertContains(page, 'aria-valuenow="40"')
        self.assertContains(page, "hx-trigger")
