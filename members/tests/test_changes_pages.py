"""The page, its Excel file and the API of membership changes: scoping, bad dates, links."""

import io
from datetime import date

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangvu.testing import BaseTestCase, VisibilityMixin
from members.choices import EventKind
from members.services import record_event
from members.views.changes import presets, quarter_of

API = "/api/v1/members/changes"


class ChangesApiTest(VisibilityMixin, BaseTestCase):
    def setUp(self):
        record_event(self.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_b1, by=self.an)

    def get(self, user, unit, start="2026-01-01", end="2026-12-31"):
        return self.api(user, "get", f"{API}?unit={unit.pk}&from={start}&to={end}")

    def test_figures_of_a_commune(self):
        body = self.get(self.binh, self.commune_a).json()
        self.assertEqual(body["unit"], {"id": self.commune_a.pk, "name": self.commune_a.name})
        self.assertEqual((body["from"], body["to"]), ("2026-01-01", "2026-12-31"))
        self.assertEqual(body["figures"]["transferred_out"], 1)
        self.assertEqual(body["figures"]["recognized"], 2)
        self.assertEqual(len(body["left_by_reason"]), 7)

    def test_a_unit_outside_reach_is_404_like_a_missing_one(self):
        self.assert_api_hidden_from_dung(f"{API}?unit={self.commune_a.pk}&from=2026-01-01&to=2026-12-31")
        self.assertEqual(self.get(self.dung, self.cell_a1).status_code, 404)
        self.assertEqual(self.api(self.an, "get", f"{API}?unit=999999&from=2026-01-01&to=2026-12-31").status_code, 404)
        self.assertEqual(self.get(self.dung, self.commune_b).status_code, 200)

    def test_bad_dates_are_422(self):
        for start, end in [("2026-13-01", "2026-12-31"), ("01/01/2026", "2026-12-31"), ("2026-05-01", "2026-04-01"),
                           ("2099-01-01", "2099-12-31")]:
            response = self.get(self.an, self.province, start, end)
            self.assertEqual(response.status_code, 422, (start, end))
            self.assertIn("detail", response.json())

    def test_defaults_are_the_callers_top_unit_and_this_year(self):
        body = self.api(self.binh, "get", API).json()
        year = timezone.localdate().year
        self.assertEqual((body["unit"]["id"], body["from"], body["to"]),
                         (self.commune_a.pk, f"{year}-01-01", f"{year}-12-31"))


class ChangesPageTest(VisibilityMixin, BaseTestCase):
    url = reverse("members-changes")

    def setUp(self):
        record_event(self.member_a2, EventKind.STRUCK_OFF, on=date(2026, 8, 3), by=self.binh, decision_number="7-QĐ/ĐU",
                     reason="tu_y_bo_sinh_hoat")

    def test_the_table_links_each_figure_to_its_members(self):
        self.client.force_login(self.binh)
        response = self.client.get(self.url, {"don_vi": self.commune_a.pk, "tu_ngay": "01/01/2026",
                                              "den_ngay": "31/12/2026"})
        self.assertContains(response, "Biến động đảng viên")
        link = response.context["rows"][[r["key"] for r in response.context["rows"]].index("struck_off")]["url"]
        self.assertTrue(link)
        listed = self.client.get(link)
        self.assertContains(listed, "Lê Văn Cường")
        self.assertContains(listed, "7-QĐ/ĐU")

    def test_a_unit_outside_reach_is_404(self):
        self.assert_page_hidden_from_dung(f"{reverse('members-changes-list')}?don_vi={self.commune_a.pk}"
                                          "&tu_ngay=01/01/2026&den_ngay=31/12/2026&chi_tieu=struck_off")
        self.client.force_login(self.dung)
        response = self.client.get(self.url, {"don_vi": self.commune_a.pk})
        self.assertEqual(response.context["result"], None)  # refused by the unit box, nothing counted
        self.assert_no_trace_of_a(response.content)

    def test_dates_typed_the_wrong_way_round_are_refused_with_a_message(self):
        self.client.force_login(self.an)
        response = self.client.get(self.url, {"don_vi": self.province.pk, "tu_ngay": "01/05/2026",
                                              "den_ngay": "01/04/2026"})
        self.assertContains(response, "sau ngày cuối kỳ")
        self.assertIsNone(response.context["result"])

    def test_excel_export(self):
        self.client.force_login(self.an)
        response = self.client.get(reverse("members-changes-xlsx"), {"don_vi": self.province.pk,
                                                                    "tu_ngay": "01/01/2026", "den_ngay": "31/12/2026"})
        self.assertEqual(response.status_code, 200)
        ws = load_workbook(io.BytesIO(response.content)).active
        values = {row[0].strip(): row[1] for row in ws.iter_rows(min_row=5, values_only=True) if row and row[0]}
        self.assertEqual(values["Xóa tên"], 1)
        self.assertEqual(values["Tự ý bỏ sinh hoạt đảng"], 1)

    def test_linked_from_the_member_list_and_the_unit_page(self):
        self.client.force_login(self.chi)
        self.assertContains(self.client.get(reverse("members-list")), reverse("members-changes"))
        self.assertContains(self.client.get(reverse("orgs-detail", args=[self.cell_a1.pk])),
                            f"{reverse('members-changes')}?don_vi={self.cell_a1.pk}")


class PresetTest(BaseTestCase):
    def test_quarters(self):
        self.assertEqual(quarter_of(date(2026, 12, 4)), (date(2026, 10, 1), date(2026, 12, 31)))
        self.assertEqual(quarter_of(date(2026, 1, 1)), (date(2026, 1, 1), date(2026, 3, 31)))
        self.assertEqual(quarter_of(date(2026, 6, 30)), (date(2026, 4, 1), date(2026, 6, 30)))

    def test_presets_include_the_terms_of_the_nearest_unit_that_has_some(self):
        from bodies.models import Term

        Term.objects.create(unit=self.commune_a, label="2025–2030", starts_on=date(2025, 7, 1))
        labels = [label for label, _a, _b in presets(self.cell_a1, timezone.localdate())]
        self.assertIn("Nhiệm kỳ 2025–2030", labels)
        self.assertTrue(any(label.startswith("Quý") for label in labels))
        self.assertNotIn("Nhiệm kỳ 2025–2030", [label for label, _a, _b in presets(self.cell_b1, timezone.localdate())])


class UnitLinkTest(BaseTestCase):
    def test_a_link_naming_only_the_unit_shows_this_years_dates(self):
        self.client.force_login(self.binh)
        response = self.client.get(reverse("members-changes"), {"don_vi": self.cell_a1.pk})
        year = timezone.localdate().year
        self.assertContains(response, f'value="01/01/{year}"')
        self.assertContains(response, f'value="31/12/{year}"')
        self.assertEqual(response.context["unit"], self.cell_a1)


class MembersBehindTest(BaseTestCase):
    def test_a_member_moved_out_of_reach_is_named_without_a_link(self):
        record_event(self.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_b1, by=self.an)
        self.client.force_login(self.binh)
        response = self.client.get(reverse("members-changes-list"), {
            "don_vi": self.commune_a.pk, "tu_ngay": "01/01/2026", "den_ngay": "31/12/2026", "chi_tieu": "transferred_out"})
        self.assertContains(response, "Lê Văn Cường")
        self.assertNotContains(response, reverse("members-detail", args=[self.member_a2.pk]))
        self.client.force_login(self.an)
        response = self.client.get(reverse("members-changes-list"), {
            "don_vi": self.commune_b.pk, "tu_ngay": "01/01/2026", "den_ngay": "31/12/2026", "chi_tieu": "transferred_in"})
        self.assertContains(response, reverse("members-detail", args=[self.member_a2.pk]))
