"""The pages: 404 for anyone without the inspection right, forms that keep what was typed and show the rule,
the member's page showing discipline only to those with the right, the statistics page."""

from datetime import date

from oversight import services
from oversight.models import Case, DisciplineDecision
from oversight.rules import CaseType, Form
from oversight.tests.world import DAY, OversightTestCase


class PagesTest(OversightTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.decision = services.decide(deciding_unit=cls.cell_a1, deciding_body=None, form=Form.REPRIMAND,
                                       member=cls.old_a1, votes_for=5, votes_total=9, violation_on=date(2025, 11, 3),
                                       decision_number="01-QĐ/CB", decided_on=DAY, reason="Vi phạm Luật Thủy sản",
                                       by=None)
        cls.case = services.open_case(cls.ubkt_a, case_type=CaseType.SIGNS, content="Dấu hiệu vi phạm",
                                      opened_on=DAY, subjects=[cls.old_a1], by=None)

    def get(self, user, url):
        self.client.force_login(user)
        return self.client.get(url)

    def test_xa_a_gets_404_on_a_discipline_record_kiemtra_a_opens(self):
        url = self.decision.get_absolute_url()
        self.assertEqual(self.get(self.kiemtra_a, url).status_code, 200)
        self.assertContains(self.get(self.kiemtra_a, url), "Vi phạm Luật Thủy sản")
        for user in (self.xa_a, self.kiemtra_b, self.binh):
            self.assertEqual(self.get(user, url).status_code, 404, user.username)
        for name in ("oversight-index", "oversight-discipline-list", "oversight-petitions", "oversight-stats"):
            from django.urls import reverse

            self.assertEqual(self.get(self.xa_a, reverse(name)).status_code, 404, name)
            self.assertEqual(self.get(self.kiemtra_a, reverse(name)).status_code, 200, name)
        listing = self.get(self.kiemtra_b, "/kiem-tra/ky-luat/").content.decode()
        self.assertNotIn("Hoàng Văn Em", listing)

    def test_the_member_page_shows_discipline_only_with_the_right(self):
        url = f"/dang-vien/{self.old_a1.pk}/"
        self.assertContains(self.get(self.kiemtra_a, url), "01-QĐ/CB")
        page = self.get(self.xa_a, url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "01-QĐ/CB")
        self.assertNotContains(page, "Kỷ luật</h2>")

    def test_the_cell_refused_expulsion_on_the_form_keeps_what_was_typed(self):
        self.client.force_login(self.kiemtra_a)
        response = self.client.post("/kiem-tra/ky-luat/ghi/", {
            "member": self.member_a1.pk, "form": Form.EXPULSION, "deciding_unit": self.cell_a1.pk,
            "votes_for": 9, "votes_total": 9, "proposal_for": 9, "proposal_total": 9, "violation_on": "01/02/2026",
            "reason": "Lý do đã gõ", "decision_number": "02-QĐ/CB", "decided_on": "02/03/2026"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Điều lệ Đảng 2011 Điều 36 khoản 1", status_code=400)
        self.assertContains(response, "Lý do đã gõ", status_code=400)
        self.assertEqual(DisciplineDecision.objects.count(), 1)

    def test_conclude_a_case_then_decide_from_it(self):
        self.client.force_login(self.kiemtra_a)
        url = self.case.get_absolute_url()
        response = self.client.post(url, {"do": "conclude", "conclude-concluded_on": "05/03/2026",
                                          "conclude-violation": "1", "conclude-conclusion": "Có vi phạm"})
        self.assertEqual(response.status_code, 302)
        page = self.client.get(url)
        self.assertContains(page, f"?case={self.case.pk}&amp;member={self.old_a1.pk}")
        response = self.client.post(f"/kiem-tra/ky-luat/ghi/?case={self.case.pk}", {
            "member": self.old_a1.pk, "form": Form.WARNING, "deciding_unit": self.commune_a.pk,
            "deciding_body": self.ubkt_a.pk, "votes_for": 3, "votes_total": 5, "violation_on": "01/01/2026",
            "reason": "Vi phạm", "decision_number": "03-QĐ/UBKTĐU", "decided_on": "06/03/2026"})
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        self.assertEqual(DisciplineDecision.objects.get(decision_number="03-QĐ/UBKTĐU").case, self.case)

    def test_open_a_case_by_the_form(self):
        self.client.force_login(self.kiemtra_a)
        response = self.client.post("/kiem-tra/mo/", {"case_type": CaseType.THEMATIC, "body": self.ubkt_a.pk,
                                                      "content": "Giám sát chuyên đề", "opened_on": "02/03/2026",
                                                      "members": [self.old_a2.pk], "units": [self.cell_a2.pk]})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Case.objects.get(content="Giám sát chuyên đề").subjects.count(), 2)
        empty = self.client.post("/kiem-tra/mo/", {"case_type": CaseType.THEMATIC, "body": self.ubkt_a.pk,
                                                   "content": "Không đối tượng", "opened_on": "02/03/2026"})
        self.assertContains(empty, "ít nhất một đối tượng", status_code=400)

    def test_statistics_page(self):
        page = self.get(self.kiemtra_a, f"/kiem-tra/thong-ke/?unit={self.commune_a.pk}&from_on=01/01/2026"
                                        "&to_on=31/03/2026")
        self.assertContains(page, 'id="so-dang-vien-bi-ky-luat">1<')
        self.assertContains(page, "chưa chắc chắn")

    def test_unit_page_links_only_for_the_inspection_role(self):
        self.assertContains(self.get(self.kiemtra_a, f"/to-chuc/{self.commune_a.pk}/"), 'id="kiem-tra"')
        self.assertNotContains(self.get(self.xa_a, f"/to-chuc/{self.commune_a.pk}/"), 'id="kiem-tra"')

    def test_the_statistics_as_excel(self):
        import io

        from openpyxl import load_workbook

        response = self.get(self.kiemtra_a, f"/kiem-tra/thong-ke/?unit={self.commune_a.pk}&from_on=01/01/2026"
                                            "&to_on=31/03/2026&xlsx=1")
        self.assertEqual(response.status_code, 200)
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertIn(("Khiển trách", 0, 1), [r[:3] for r in rows])
        self.assertIn(("Kiểm tra khi có dấu hiệu vi phạm", 0, 1), [r[:3] for r in rows])
        self.assertEqual(self.get(self.xa_a, f"/kiem-tra/thong-ke/?unit={self.commune_a.pk}&xlsx=1").status_code, 404)

    def test_the_change_log_shows_oversight_entries_only_to_the_inspection_role(self):
        self.assertContains(self.get(self.kiemtra_a, "/nhat-ky/"), "oversight.discipline.decided")
        page = self.get(self.xa_a, "/nhat-ky/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "oversight.")
        self.assertNotContains(page, "01-QĐ/CB")

    def test_the_unit_page_latest_changes_leave_oversight_out_for_xa_a(self):
        from audit.labels import ACTION_LABELS

        labels = [label for action, label in ACTION_LABELS.items() if action.startswith("oversight.")]
        page = self.get(self.xa_a, f"/to-chuc/{self.cell_a1.pk}/").content.decode()
        self.assertFalse([label for label in labels if label in page])
        page = self.get(self.kiemtra_a, f"/to-chuc/{self.cell_a1.pk}/").content.decode()
        self.assertTrue([label for label in labels if label in page])

    def test_the_work_list_links_here_for_the_inspection_role_only(self):
        self.assertContains(self.get(self.kiemtra_a, "/viec-can-lam/"), 'href="/kiem-tra/"')
        self.assertNotContains(self.get(self.xa_a, "/viec-can-lam/"), 'href="/kiem-tra/"')
