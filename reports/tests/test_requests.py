from datetime import date, timedelta

from django.test import override_settings
from django.utils import timezone

from core import worklist
from core.errors import DomainError
from dangvu.testing import BaseTestCase
from reports import requests as req
from reports import services
from reports.models import ReportTemplate
from reports.tests.helpers import ReportWorld

START, END = date(2025, 10, 1), date(2025, 12, 31)


class RequestTests(ReportWorld, BaseTestCase):
    def setUp(self):
        super().setUp()
        services.ensure_templates()
        self.deadline = timezone.localdate() + timedelta(days=5)
        self.request = req.issue_request(unit=self.province, template=ReportTemplate.objects.get(code="quy"),
                                         start=START, end=END, deadline=self.deadline, by=self.an)

    def test_goes_to_the_child_units_and_lists_who_has_not_submitted(self):
        self.assertEqual(set(self.request.recipients.all()), {self.commune_a, self.commune_b})
        req.submit(self.request, unit=self.commune_a, by=self.binh, declared={"t_khong_ghi": 7})
        self.assertEqual(req.missing(self.request), [self.commune_b])
        items = worklist.collect(self.an, timezone.localdate(), kind="bao_cao_chua_nop")
        self.assertEqual([i.title.split(" chưa nộp")[0] for i in items], [self.commune_b.name])

    def test_consolidated_figures_equal_the_sums_of_the_submitted_ones(self):
        a = req.submit(self.request, unit=self.commune_a, by=self.binh, declared={"t_khong_ghi": 7})
        b = req.submit(self.request, unit=self.commune_b, by=self.dung, declared={"t_khong_ghi": "4"})
        self.assertEqual((a.computed["dv_tong"], b.computed["dv_tong"]), (3, 1))  # counted by hand
        self.assertEqual(b.declared, {"t_khong_ghi": 4})
        report = req.consolidate(self.request, by=self.an)
        self.assertEqual(report.declared, {"dv_tong": 4, "t_khong_ghi": 11})
        report = self.generate(report, self.an)
        self.assertEqual(report.figures["dv_tong"], 4)
        self.assertEqual(report.unit, self.province)

    def test_declared_figure_never_overwrites_a_computed_one(self):
        with self.assertRaisesMessage(DomainError, "đã tính được từ hồ sơ (3)"):
            req.submit(self.request, unit=self.commune_a, by=self.binh, declared={"dv_tong": 5})
        self.assertEqual(self.request.submissions.count(), 0)

    def test_bad_declared_values_refused(self):
        for bad in ({"khong_co": 1}, {"t_khong_ghi": -1}, {"t_khong_ghi": "abc"}):
            with self.assertRaises(DomainError):
                req.submit(self.request, unit=self.commune_a, by=self.binh, declared=bad)
        self.assertEqual(self.request.submissions.count(), 0)

    def test_submission_after_close_is_refused(self):
        req.submit(self.request, unit=self.commune_a, by=self.binh)
        req.close(self.request, by=self.an)
        with self.assertRaisesMessage(DomainError, "đã đóng"):
            req.submit(self.request, unit=self.commune_b, by=self.dung)
        self.assertEqual(self.request.submissions.count(), 1)

    def test_twice_and_outside_refused(self):
        req.submit(self.request, unit=self.commune_a, by=self.binh)
        with self.assertRaisesMessage(DomainError, "đã nộp"):
            req.submit(self.request, unit=self.commune_a, by=self.binh)
        with self.assertRaises(DomainError):  # dung cannot submit for commune A
            req.submit(self.request, unit=self.commune_a, by=self.dung)

    def test_request_period_checked(self):
        with self.assertRaises(DomainError):
            req.issue_request(unit=self.province, template=self.request.template, start=END, end=START,
                              deadline=self.deadline, by=self.an)
        with self.assertRaises(DomainError):  # binh may not issue for the province
            req.issue_request(unit=self.province, template=self.request.template, start=START, end=END,
                              deadline=self.deadline, by=self.binh)


@override_settings(DEBUG=False)
class RequestPageTests(ReportWorld, BaseTestCase):
    def setUp(self):
        super().setUp()
        services.ensure_templates()
        self.request = req.issue_request(unit=self.province, template=ReportTemplate.objects.get(code="quy"),
                                         start=START, end=END, deadline=timezone.localdate(), by=self.an)

    def test_submit_page_and_detail(self):
        self.client.force_login(self.binh)
        url = f"/bao-cao/yeu-cau/{self.request.pk}/nop/{self.commune_a.pk}/"
        self.assertEqual(self.client.get(f"/bao-cao/yeu-cau/{self.request.pk}/").status_code, 200)
        response = self.client.post(url, {"declared_dv_tong": "9"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "đã tính được từ hồ sơ", status_code=400)
        self.assertEqual(self.client.post(url, {"declared_t_khong_ghi": "2"}).status_code, 302)
        self.client.force_login(self.an)
        page = self.client.get(f"/bao-cao/yeu-cau/{self.request.pk}/")
        self.assertContains(page, "Chưa nộp (1)")
        self.assertContains(page, "khai báo")
        self.assertEqual(self.client.get("/bao-cao/yeu-cau/").status_code, 200)
        self.assertEqual(self.client.get("/bao-cao/yeu-cau/moi/").status_code, 200)
        self.assertEqual(self.client.post(f"/bao-cao/yeu-cau/{self.request.pk}/", {"close": "1"}).status_code, 302)
        self.client.force_login(self.dung)
        response = self.client.post(f"/bao-cao/yeu-cau/{self.request.pk}/nop/{self.commune_b.pk}/", {"report": ""})
        self.assertContains(response, "đã đóng", status_code=400)

    def test_submit_for_a_unit_outside_reach_is_404(self):
        self.client.force_login(self.dung)
        self.assertEqual(self.client.get(f"/bao-cao/yeu-cau/{self.request.pk}/nop/{self.commune_a.pk}/").status_code, 404)
