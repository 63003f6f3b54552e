"""The pages: scoped like the rest, forms keep what was typed, the member's and the unit's pages show ours."""

from bodies import services
from bodies.models import Post
from bodies.rules import Title
from bodies.tests.world import DAY, BodiesTestCase
from dangvu.testing import VisibilityMixin


class BodiesPagesTest(VisibilityMixin, BodiesTestCase):
    def test_the_unit_page_shows_bodies_posts_and_vacancies_and_is_hidden_from_dung(self):
        services.add_post(self.du_a, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        self.client.force_login(self.binh)
        page = self.client.get(f"/co-quan/to-chuc/{self.commune_a.pk}/").content.decode()
        for text in ("Đảng ủy xã An Hòa", "Nguyễn Văn Ánh", "Bí thư", "còn thiếu 2", "Ủy ban Kiểm tra",
                     "Điều chưa chắc chắn", "Ghi chức vụ"):
            self.assertIn(text, page)
        self.assert_page_hidden_from_dung(f"/co-quan/to-chuc/{self.commune_a.pk}/")

    def test_a_refused_post_keeps_what_was_typed_and_a_good_one_shows_on_the_members_page(self):
        self.client.force_login(self.binh)
        url = f"/co-quan/to-chuc/{self.cell_a1.pk}/chuc-vu/"
        form = {"chuc-vu-body": self.chi_uy_a1.pk, "chuc-vu-member": self.member_a1.pk, "chuc-vu-title": "bi_thu",
                "chuc-vu-how": "bau", "chuc-vu-from_on": "01/09/2025", "chuc-vu-to_on": "01/08/2025",
                "chuc-vu-decision": "Nghị quyết đại hội chi bộ"}
        refused = self.client.post(url, form)
        self.assertEqual(refused.status_code, 400)
        text = refused.content.decode()
        self.assertIn("trước ngày bắt đầu", text)
        self.assertIn('value="Nghị quyết đại hội chi bộ"', text)
        self.assertFalse(Post.objects.exists())
        done = self.client.post(url, {**form, "chuc-vu-to_on": ""})
        self.assertEqual(done.status_code, 302)
        member_page = self.client.get(f"/dang-vien/{self.member_a1.pk}/").content.decode()
        self.assertIn("Chức vụ trong các cơ quan của Đảng", member_page)
        self.assertIn("Chi ủy Chi bộ thôn An Phú", member_page)

    def test_the_unit_page_links_here_and_the_menu_has_an_entry(self):
        self.client.force_login(self.binh)
        page = self.client.get(f"/to-chuc/{self.commune_a.pk}/").content.decode()
        self.assertIn(f"/co-quan/to-chuc/{self.commune_a.pk}/", page)
        self.assertIn("Các cơ quan, nhiệm kỳ, đại hội", page)
        self.assertIn('href="/co-quan/"', page)

    def test_a_viewer_sees_no_forms_and_may_not_post(self):
        self.client.force_login(self.chi)
        page = self.client.get(f"/co-quan/to-chuc/{self.cell_a1.pk}/").content.decode()
        self.assertNotIn("Ghi chức vụ", page)
        response = self.client.post(f"/co-quan/to-chuc/{self.cell_a1.pk}/dai-hoi/", {"dai-hoi-term_label": "2025–2030"})
        self.assertEqual(response.status_code, 403)

    def test_recording_a_congress_through_the_page(self):
        self.client.force_login(self.binh)
        url = f"/co-quan/to-chuc/{self.cell_a1.pk}/dai-hoi/"
        response = self.client.post(url, {"dai-hoi-term_label": "2025–2030", "dai-hoi-held_from": "25/07/2025",
                                          "dai-hoi-held_to": "25/07/2025"})
        self.assertEqual(response.status_code, 302)
        page = self.client.get(f"/co-quan/to-chuc/{self.commune_a.pk}/?nk=2025-2030").content.decode()
        held = page.split("Đã đại hội")[1].split("Chưa đại hội")[0]
        self.assertIn("Chi bộ thôn An Phú", held)

    def test_marking_a_member_managed_by_the_standing_committee(self):
        btv = services.create_body(self.commune_a, kind="ban_thuong_vu", name="Ban Thường vụ Đảng ủy xã An Hòa",
                                   symbol="BTVĐU", valid_from=self.commune_a.valid_from, by=None)
        self.client.force_login(self.binh)
        url = f"/co-quan/to-chuc/{self.commune_a.pk}/dien-btv/"
        form = {"dien-btv-body": btv.pk, "dien-btv-member": self.member_a2.pk, "dien-btv-from_on": "01/09/2025"}
        self.assertEqual(self.client.post(url, form).status_code, 302)
        again = self.client.post(url, form)
        self.assertEqual(again.status_code, 400)
        self.assertIn("đã thuộc diện", again.content.decode())
        member_page = self.client.get(f"/dang-vien/{self.member_a2.pk}/").content.decode()
        self.assertIn("Thuộc diện <strong>Ban Thường vụ Đảng ủy xã An Hòa</strong> quản lý từ 01/09/2025", member_page)
