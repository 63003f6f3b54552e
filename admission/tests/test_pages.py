"""The pages: the list with its filters, a file with its steps and the next step's form, the create and edit
forms keeping what was typed; 404 outside the subtree, 403 without the right to write."""

from datetime import date

from django.urls import reverse

from admission.models import Candidate, Stage
from admission.tests.world import VOTE, AdmissionTestCase
from dangvu.testing import VisibilityMixin


class PageTests(VisibilityMixin, AdmissionTestCase):
    def setUp(self):
        self.c = self.make_candidate()

    def test_binh_sees_the_list_and_filters_it(self):
        self.make_candidate(unit=self.cell_a2, full_name="Đặng Văn Khác", helpers=[])
        self.client.force_login(self.binh)
        page = self.client.get(reverse("admission-list")).content.decode()
        self.assertIn("Võ Thị Hạnh", page)
        self.assertIn("Đặng Văn Khác", page)
        page = self.client.get(reverse("admission-list"), {"unit": self.cell_a2.pk}).content.decode()
        self.assertNotIn("Võ Thị Hạnh", page)
        page = self.client.get(reverse("admission-list"), {"stage": Stage.CELL_PROPOSED}).content.decode()
        self.assertNotIn("Võ Thị Hạnh", page)
        page = self.client.get(reverse("admission-list"), {"overdue": "on"}).content.decode()
        self.assertIn("Không có ai", page)

    def test_dung_sees_nothing_of_a(self):
        self.assert_page_hidden_from_dung(reverse("admission-detail", args=[self.c.pk]))
        self.assert_page_hidden_from_dung(reverse("admission-edit", args=[self.c.pk]))
        self.client.force_login(self.dung)
        self.assert_no_trace_of_a(self.client.get(reverse("admission-list")).content)
        self.assertEqual(self.client.post(reverse("admission-step", args=[self.c.pk]), {}).status_code, 404)

    def test_a_viewer_reads_the_file_without_a_form_and_gets_403_on_posting(self):
        self.client.force_login(self.viewer)
        page = self.client.get(reverse("admission-detail", args=[self.c.pk])).content.decode()
        self.assertIn("Võ Thị Hạnh", page)
        self.assertNotIn("Ghi bước", page)
        response = self.client.post(reverse("admission-step", args=[self.c.pk]),
                                    {"buoc-kind": "chi_bo", "buoc-on": "01/12/2025", "buoc-votes_for": "5"})
        self.assertEqual(response.status_code, 403)

    def test_a_step_from_the_page_and_a_refusal_keeps_what_was_typed(self):
        self.client.force_login(self.chi)
        url = reverse("admission-step", args=[self.c.pk])
        response = self.client.post(url, {"buoc-kind": "chi_bo", "buoc-on": "01/12/2025", "buoc-votes_for": "6",
                                          "buoc-number": "07-NQ/CB"})
        self.assertEqual(response.status_code, 400)
        page = response.content.decode()
        self.assertIn("lớn hơn số đảng viên chính thức", page)
        self.assertIn('value="07-NQ/CB"', page)
        self.assertIn('value="01/12/2025"', page)
        response = self.client.post(url, {"buoc-kind": "chi_bo", "buoc-on": "01/12/2025", "buoc-votes_for": "5"})
        self.assertRedirects(response, reverse("admission-detail", args=[self.c.pk]))
        page = self.client.get(response.url).content.decode()
        self.assertIn("5/5 tán thành", page)
        self.assertIn("Chi bộ đã đề nghị kết nạp", page)

    def test_create_chooses_the_cell_first_then_keeps_typed_input_on_error(self):
        self.client.force_login(self.binh)
        page = self.client.get(reverse("admission-create")).content.decode()
        self.assertIn("Chọn chi bộ trước", page)
        url = reverse("admission-create") + f"?unit={self.cell_a1.pk}"
        page = self.client.get(url).content.decode()
        self.assertIn("Hồ Văn Một", page)  # the cell's official members are offered
        data = {"unit": self.cell_a1.pk, "registered_on": "01/03/2025", "full_name": "Lý Thị Gõ", "gender": "nu",
                "birth_date": "02/02/2999", "ethnicity": "Kinh", "introduction": "hai_dang_vien",
                "general_education": "12/12", "helpers": [self.elders[2].pk]}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 400)
        page = response.content.decode()
        self.assertIn("Ngày sinh không được sau ngày hôm nay", page)
        self.assertIn('value="Lý Thị Gõ"', page)
        data["birth_date"] = "02/02/2001"
        response = self.client.post(url, data)
        c = Candidate.objects.get(full_name="Lý Thị Gõ")
        self.assertRedirects(response, reverse("admission-detail", args=[c.pk]))
        self.assertEqual((c.unit, c.birth_date, list(c.helpers.all())), (self.cell_a1, date(2001, 2, 2),
                                                                          [self.elders[2]]))

    def test_a_cell_of_another_commune_is_not_offered(self):
        self.client.force_login(self.binh)
        page = self.client.get(reverse("admission-create") + f"?unit={self.cell_b1.pk}").content.decode()
        self.assertIn("Chọn chi bộ trước", page)
        self.assertNotIn("Bình Tây", page)

    def test_edit_keeps_the_file(self):
        self.client.force_login(self.binh)
        url = reverse("admission-edit", args=[self.c.pk])
        page = self.client.get(url).content.decode()
        self.assertIn('value="Võ Thị Hạnh"', page)
        self.assertIn('value="01/10/2025"', page)

    def test_the_member_and_unit_pages_link_the_file(self):
        from admission import services

        self.to_submitted(self.c, vote=VOTE)
        services.decide(self.c, on=date(2026, 2, 10), number="120-QĐ/ĐU", by=self.binh)
        services.ceremony(self.c, on=date(2026, 2, 20), by=self.binh)
        self.c.refresh_from_db()
        self.client.force_login(self.binh)
        page = self.client.get(reverse("members-detail", args=[self.c.member_id])).content.decode()
        self.assertIn(reverse("admission-detail", args=[self.c.pk]), page)
        page = self.client.get(reverse("orgs-detail", args=[self.cell_a1.pk])).content.decode()
        self.assertIn(reverse("admission-list") + f"?unit={self.cell_a1.pk}", page)

    def test_a_cell_secretary_neither_sees_nor_writes_the_cccd(self):
        from audit.models import AuditEntry
        from members.privacy import VIEWED

        self.client.force_login(self.chi)
        page = self.client.get(reverse("admission-edit", args=[self.c.pk])).content.decode()
        self.assertNotIn('name="citizen_id"', page)
        self.client.force_login(self.binh)
        page = self.client.get(reverse("admission-edit", args=[self.c.pk])).content.decode()
        self.assertIn('name="citizen_id"', page)
        self.assertTrue(AuditEntry.objects.filter(action=VIEWED, actor=self.binh, object_id=str(self.c.pk)).exists())
