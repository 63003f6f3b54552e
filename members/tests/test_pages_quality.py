"""The data-quality page: fill rates, complete records per child unit, the problems with links, the
export safe against formulas, CCCDs masked for those who may not see them, nothing of A for dung."""

import io
from datetime import date

from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from access.rules import Role
from dangvu.testing import BaseTestCase, VisibilityMixin, make_member, make_user
from members.models import Member

BAD_CCCD = "001099012345"  # the year digits do not match a birth in 1980


def quality_url(unit=None) -> str:
    return reverse("members-quality") + (f"?don_vi={unit.pk}" if unit else "")


class QualityPageTests(VisibilityMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Member.objects.filter(pk=cls.member_a2.pk).update(citizen_id=BAD_CCCD)
        Member.objects.filter(pk=cls.member_a1.pk).update(citizen_id="001080012345", phone="0912345678")

    def test_binh_gets_commune_a_by_default_with_fill_rates_and_children(self):
        self.client.force_login(self.binh)
        response = self.client.get(quality_url())
        self.assertEqual(response.context["unit"], self.commune_a)
        fields = {f.field: f for f in response.context["report"].fields}
        self.assertEqual((fields["citizen_id"].required, fields["citizen_id"].missing), (3, 1))
        self.assertContains(response, "66,7%")  # two of three have a CCCD, written the Vietnamese way
        self.assertContains(response, 'style="width: 66.7%"')
        by_unit = [(u, total) for u, total, _complete, _percent in response.context["by_unit"]]
        self.assertEqual(by_unit, [(self.cell_a2, 1), (self.cell_a1, 2)])  # "An Lạc" before "An Phú"

    def test_problems_are_listed_with_a_link_to_each_member(self):
        make_member(self.cell_a2, "Nguyễn Văn Ánh")  # same name and birth date as member_a1
        self.client.force_login(self.binh)
        response = self.client.get(quality_url())
        self.assertContains(response, f'href="{reverse("members-detail", args=[self.member_a2.pk])}"')
        self.assertContains(response, "CCCD ••••••••2345")  # a list: masked for everyone (members.privacy)
        self.assertNotContains(response, BAD_CCCD)
        self.assertContains(response, "Có thể trùng")

    def test_a_viewer_sees_the_problem_but_not_the_cccd(self):
        self.client.force_login(make_user("xem", self.commune_a, Role.VIEWER))
        response = self.client.get(quality_url())
        self.assertContains(response, "CCCD ••••••••2345: Chữ số thứ 5–6")
        self.assertNotContains(response, BAD_CCCD)

    def test_the_problem_list_exports_to_excel_safely(self):
        Member.objects.filter(pk=self.member_a2.pk).update(full_name="=HYPERLINK(\"http://x\")")
        self.client.force_login(self.binh)
        response = self.client.get(reverse("members-quality-export") + f"?don_vi={self.commune_a.pk}")
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        self.assertEqual(rows[0], ["STT", "Họ và tên", "Chi bộ", "Vấn đề", "Mã hồ sơ"])
        self.assertEqual(rows[1][1:3], ['=HYPERLINK("http://x")', "Chi bộ thôn An Lạc"])
        cell = ws["B2"]
        self.assertEqual(cell.data_type, "s")  # text, not a formula
        self.assertTrue(cell.quotePrefix)

    def test_a_child_unit_can_be_chosen(self):
        self.client.force_login(self.binh)
        response = self.client.get(quality_url(self.cell_a1))
        self.assertEqual(response.context["report"].total, 2)
        self.assertNotContains(response, BAD_CCCD)

    def test_dung_sees_no_trace_of_commune_a(self):
        make_member(self.cell_b1, "Phạm Thị Dung", birth_date=date(1980, 5, 17))  # a duplicate of B's own
        self.client.force_login(self.dung)
        response = self.client.get(quality_url())
        self.assertEqual(response.context["unit"], self.commune_b)
        self.assertContains(response, "Có thể trùng")
        self.assert_no_trace_of_a(response.content)
        export = self.client.get(reverse("members-quality-export"))
        text = " ".join(str(c.value) for r in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in r)
        self.assertIn("Phạm Thị Dung", text)
        self.assert_no_trace_of_a(text)

    def test_dung_asking_for_commune_a_is_refused_and_shown_commune_b(self):
        self.client.force_login(self.dung)
        response = self.client.get(quality_url(self.commune_a))
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(response.context["unit"], self.commune_b)
        self.assert_no_trace_of_a(response.content)

    @override_settings(DEBUG=False)
    def test_it_renders_with_debug_off(self):
        self.client.force_login(self.an)
        response = self.client.get(quality_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Đảng bộ tỉnh Thử Nghiệm")
