import re
from datetime import date, timedelta

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.rules import Role
from audit.models import AuditEntry
from dangvu.testing import BaseTestCase, VisibilityMixin, make_member, make_unit, make_user
from members.models import Member
from orgs.models import Kind, OrgUnit
from orgs.services import close_unit, merge_units, move_unit

MERGE_DAY = date(2026, 1, 1)
DAY_BEFORE = MERGE_DAY - timedelta(days=1)


def tree_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("orgs-tree") + (f"?{query}" if query else "")


def plain(response) -> str:
    """The text of a page without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def totals(response) -> dict[str, int]:
    """{unit name: members rolled up} as a tree page or fragment shows them."""
    text = " ".join(response.content.decode().split())
    return {name: int(n) for name, n in re.findall(r'<a href="/to-chuc/\d+/(?:\?ngay=[\d/]+)?">([^<]+)</a>.*?<strong>(\d+)</strong>', text)}


class TreePageTests(VisibilityMixin, BaseTestCase):
    def test_the_site_root_leads_to_the_tree(self):
        self.client.force_login(self.binh)
        self.assertRedirects(self.client.get("/"), reverse("orgs-tree"))

    def test_it_requires_login(self):
        response = self.client.get(tree_url())
        self.assertRedirects(response, f"{reverse('access-login')}?next={tree_url()}")

    def test_binh_sees_commune_a_and_not_commune_b(self):
        self.client.force_login(self.binh)
        response = self.client.get(tree_url())
        self.assertEqual([n.unit for n in response.context["nodes"]], [self.commune_a])
        self.assertContains(response, "Đảng bộ xã An Hòa")
        self.assertNotContains(response, "Bình Sơn")
        self.assertNotContains(response, "Thử Nghiệm")  # the province is above binh's reach
        # the cells load when the commune's node is opened
        self.assertContains(response, f'hx-get="{reverse("orgs-children", args=[self.commune_a.pk])}"')
        self.assertNotContains(response, "Chi bộ thôn An Phú")

    def test_each_node_shows_members_rolled_up_over_its_subtree(self):
        self.client.force_login(self.binh)
        commune = self.client.get(tree_url()).context["nodes"][0]
        self.assertEqual((commune.counts.total, commune.counts.official, commune.counts.probationary), (3, 2, 1))
        self.assertTrue(commune.has_children)

    def test_the_open_arrow_is_drawn_only_where_there_are_children_to_show(self):
        lone = make_unit(self.province, "Đảng bộ xã Cô Đơn", Kind.COMMUNE)
        old_cell = make_unit(lone, "Chi bộ thôn Cũ")
        close_unit(old_cell, on=MERGE_DAY, by=self.admin)
        self.client.force_login(self.an)

        def arrows(**params) -> dict[str, bool]:
            html = self.client.get(reverse("orgs-children", args=[self.province.pk]), params).content.decode()
            names = ("Đảng bộ xã An Hòa", "Đảng bộ xã Bình Sơn", "Đảng bộ xã Cô Đơn")
            return {name: f'aria-label="Tổ chức trực thuộc {name}"' in html for name in names if name in html}

        self.assertEqual(arrows(), {"Đảng bộ xã An Hòa": True, "Đảng bộ xã Bình Sơn": True,
                                    "Đảng bộ xã Cô Đơn": False})  # its only cell has closed
        self.assertTrue(arrows(da_giai_the="1")["Đảng bộ xã Cô Đơn"])
        self.assertTrue(arrows(ngay="31/12/2025")["Đảng bộ xã Cô Đơn"])  # the cell was still open then
        self.assertFalse(arrows(ngay="01/01/2026")["Đảng bộ xã Cô Đơn"])
        self.assertTrue(arrows(ngay="01/01/2026", da_giai_the="1")["Đảng bộ xã Cô Đơn"])
        cells = self.client.get(reverse("orgs-children", args=[self.commune_a.pk]))
        self.assertContains(cells, "Chi bộ thôn An Phú")
        self.assertNotContains(cells, "Tổ chức trực thuộc")  # cells without tổ đảng

    def test_an_sees_the_province_and_both_communes_under_it(self):
        self.client.force_login(self.an)
        response = self.client.get(tree_url())
        self.assertEqual([n.unit for n in response.context["nodes"]], [self.province])
        self.assertIn("Đảng bộ tỉnh Thử Nghiệm Đảng bộ tỉnh/thành phố 4 đảng viên · 3 chính thức · 1 dự bị",
                      plain(response))
        response = self.client.get(reverse("orgs-children", args=[self.province.pk]))
        self.assertContains(response, "Đảng bộ xã An Hòa")
        self.assertContains(response, "Đảng bộ xã Bình Sơn")

    def test_dung_sees_no_trace_of_commune_a(self):
        self.client.force_login(self.dung)
        response = self.client.get(tree_url())
        self.assertContains(response, "Đảng bộ xã Bình Sơn")
        self.assert_no_trace_of_a(response.content)

    def test_the_search_box_finds_units_by_name_within_reach_only(self):
        self.client.force_login(self.dung)
        response = self.client.get(tree_url(q="Chi bộ"))
        self.assertContains(response, "Chi bộ thôn Bình Tây")
        self.assert_no_trace_of_a(response.content)
        self.client.force_login(self.an)
        response = self.client.get(tree_url(q="an lac"))
        self.assertEqual([n.name for n in response.context["nodes"]], ["Chi bộ thôn An Lạc"])
        response = self.client.get(tree_url(q="XÃ AN HOA"))  # the short name, without diacritics
        self.assertEqual([n.unit for n in response.context["nodes"]], [self.commune_a])

    def test_htmx_gets_only_the_tree_fragment(self):
        self.client.force_login(self.binh)
        response = self.client.get(tree_url(q="An"), headers={"HX-Request": "true"})
        self.assertContains(response, 'id="tree"')
        self.assertNotContains(response, "<html")

    def test_a_wrong_date_is_explained_and_the_tree_of_today_shown(self):
        self.client.force_login(self.binh)
        response = self.client.get(tree_url(ngay="31/02/2026"))
        self.assertContains(response, "Ngày không hợp lệ")
        self.assertContains(response, 'value="31/02/2026"')
        self.assertContains(response, "Cây tổ chức hiện nay")
        self.assertContains(response, "Đảng bộ xã An Hòa")

    def test_the_menu_offers_restructuring_only_to_those_who_may(self):
        self.client.force_login(self.chi)
        self.assertNotContains(self.client.get(tree_url()), reverse("orgs-restructure"))
        self.client.force_login(self.binh)  # an organization officer keeps the tree of their commune
        self.assertContains(self.client.get(tree_url()), reverse("orgs-restructure"))
        self.client.force_login(self.admin)
        self.assertContains(self.client.get(tree_url()), reverse("orgs-restructure"))

    @override_settings(DEBUG=False)
    def test_it_renders_with_debug_off(self):
        self.client.force_login(self.an)
        response = self.client.get(tree_url())
        self.assertContains(response, '<html lang="vi">')
        self.assertContains(response, "htmx-2.0.11.min.js")


class ChildrenFragmentTests(VisibilityMixin, BaseTestCase):
    def test_it_lists_the_children_with_their_roll_ups(self):
        self.client.force_login(self.an)
        response = self.client.get(reverse("orgs-children", args=[self.commune_a.pk]))
        self.assertContains(response, "Chi bộ thôn An Phú")
        self.assertContains(response, "Chi bộ thôn An Lạc")
        self.assertNotContains(response, "<html")
        self.assertIn("Chi bộ thôn An Lạc Chi bộ trực thuộc 1 đảng viên · 1 chính thức · 0 dự bị", plain(response))
        self.assertIn("Chi bộ thôn An Phú Chi bộ trực thuộc 2 đảng viên · 1 chính thức · 1 dự bị", plain(response))

    def test_the_number_of_queries_does_not_grow_with_the_number_of_children(self):
        self.client.force_login(self.an)
        url = reverse("orgs-children", args=[self.commune_a.pk])
        for tag, day in (("hôm nay", ""), ("31/12/2025", "?ngay=31/12/2025")):
            with CaptureQueriesContext(connection) as two_cells:
                self.client.get(url + day)
            for i in range(5):
                make_member(make_unit(self.commune_a, f"Chi bộ thêm {i} ({tag})"), f"Người Thứ {i}")
            with CaptureQueriesContext(connection) as seven_cells:
                response = self.client.get(url + day)
            self.assertContains(response, f"Chi bộ thêm 4 ({tag})")
            self.assertEqual(len(seven_cells), len(two_cells), day)

    def test_dung_gets_404_for_the_children_of_commune_a(self):
        self.assert_page_hidden_from_dung(reverse("orgs-children", args=[self.commune_a.pk]))

    def test_dung_sees_no_trace_of_a_in_the_children_of_commune_b(self):
        self.client.force_login(self.dung)
        response = self.client.get(reverse("orgs-children", args=[self.commune_b.pk]))
        self.assertContains(response, "Chi bộ thôn Bình Tây")
        self.assert_no_trace_of_a(response.content)

    def test_an_expired_session_sends_the_whole_page_to_the_login_form(self):
        url = reverse("orgs-children", args=[self.commune_a.pk])
        response = self.client.get(url, headers={"HX-Request": "true",
                                                  "HX-Current-URL": "http://testserver/to-chuc/?ngay=31/12/2025"})
        self.assertEqual(response["HX-Redirect"], f"{reverse('access-login')}?next=/to-chuc/%3Fngay%3D31/12/2025")
        self.assertNotContains(response, "Mật khẩu")

    def test_an_unknown_id_is_404(self):
        self.client.force_login(self.an)
        self.assertEqual(self.client.get("/to-chuc/99999999/con/").status_code, 404)
        self.assertEqual(self.client.get("/to-chuc/99999999999999999999999/con/").status_code, 404)
        self.assertEqual(self.client.get("/to-chuc/abc/con/").status_code, 404)


class TreeAsOfDateTests(VisibilityMixin, BaseTestCase):
    def setUp(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        self.client.force_login(self.binh)
        self.cells = reverse("orgs-children", args=[self.commune_a.pk])

    def test_the_merged_cell_is_in_the_tree_of_the_day_before(self):
        response = self.client.get(tree_url(ngay="31/12/2025"))
        self.assertContains(response, "Cây tổ chức như tại ngày <strong>31/12/2025</strong>")
        self.assertContains(response, f"{self.cells}?ngay=31%2F12%2F2025")  # opening a node keeps the date
        response = self.client.get(f"{self.cells}?ngay=31/12/2025")
        self.assertEqual(totals(response), {"Chi bộ thôn An Lạc": 1, "Chi bộ thôn An Phú": 2})
        self.assertNotContains(response, "Ngừng hoạt động")  # it was open that day

    def test_the_merged_cell_is_gone_from_the_day_of_the_merge_and_today(self):
        self.assertEqual(totals(self.client.get(f"{self.cells}?ngay=01/01/2026")), {"Chi bộ thôn An Phú": 3})
        self.assertEqual(totals(self.client.get(self.cells)), {"Chi bộ thôn An Phú": 3})

    def test_the_closed_cell_shows_with_a_badge_when_asked(self):
        response = self.client.get(f"{self.cells}?da_giai_the=1")
        self.assertEqual(totals(response), {"Chi bộ thôn An Phú": 3, "Chi bộ thôn An Lạc": 0})
        self.assertContains(response, "Ngừng hoạt động", count=1)
        response = self.client.get(tree_url(da_giai_the="on"))
        self.assertContains(response, f"{self.cells}?da_giai_the=1")

    def test_the_tree_page_counts_as_of_the_day(self):
        make_member(self.cell_a1, "Võ Văn Mới", admitted_on=MERGE_DAY, status="du_bi")
        self.assertEqual(totals(self.client.get(tree_url(ngay="31/12/2025"))), {"Đảng bộ xã An Hòa": 3})
        self.assertEqual(totals(self.client.get(tree_url())), {"Đảng bộ xã An Hòa": 4})

    def test_before_the_units_existed_the_tree_is_empty(self):
        response = self.client.get(tree_url(ngay="31/12/1989"))
        self.assertContains(response, "chưa có hoặc không còn tổ chức nào")


class UnitPageTests(VisibilityMixin, BaseTestCase):
    def test_it_shows_the_unit_its_children_breakdown_members_and_history(self):
        self.client.force_login(self.binh)
        response = self.client.get(reverse("orgs-detail", args=[self.commune_a.pk]))
        self.assertContains(response, "<h1>Đảng bộ xã An Hòa</h1>", html=True)
        self.assertContains(response, "Đảng bộ xã/phường/đặc khu")
        self.assertContains(response, "Chi bộ thôn An Phú")
        self.assertContains(response, "01/01/1990")  # founded, dd/mm/yyyy
        breakdown = response.context["breakdown"]
        self.assertEqual((breakdown.total, breakdown.male, breakdown.female), (3, 2, 1))
        self.assertEqual(response.context["members"].paginator.count, 0)  # members sit in the cells

    def test_the_cell_page_lists_its_members_with_birth_dates(self):
        self.client.force_login(self.chi)
        response = self.client.get(reverse("orgs-detail", args=[self.cell_a1.pk]))
        self.assertContains(response, "Nguyễn Văn Ánh")
        self.assertContains(response, "Trần Thị Bình")
        self.assertContains(response, "17/05/1980")
        self.assertContains(response, "Dự bị")

    def test_members_are_paginated_by_thirty(self):
        for i in range(31):
            make_member(self.cell_b1, f"Đảng Viên Số {i:02d}")
        self.client.force_login(self.dung)
        url = reverse("orgs-detail", args=[self.cell_b1.pk])
        self.assertEqual(len(self.client.get(url).context["members"]), 30)
        self.assertEqual(len(self.client.get(f"{url}?trang=2").context["members"]), 2)

    def test_breadcrumbs_show_only_the_ancestors_in_reach(self):
        self.client.force_login(self.binh)
        crumbs = self.client.get(reverse("orgs-detail", args=[self.cell_a1.pk])).context["breadcrumbs"]
        self.assertEqual(crumbs, [{"name": "Xã An Hòa", "url": reverse("orgs-detail", args=[self.commune_a.pk])}])

    def test_an_officer_on_their_own_unit_has_no_ancestor_to_look_up(self):
        self.client.force_login(self.binh)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("orgs-detail", args=[self.commune_a.pk]))
        self.assertEqual(response.context["breadcrumbs"], [])
        self.assertNotIn("Thử Nghiệm", response.content.decode())  # the province above is not theirs
        unit_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "orgs_orgunit"' in q["sql"]]
        self.assertEqual(len(unit_queries), 2, unit_queries)  # the unit and its children

    def test_the_history_names_a_parent_only_where_it_is_in_reach(self):
        move_unit(self.cell_a2, self.commune_b, on=MERGE_DAY, by=self.admin)

        def history(user, unit) -> str:
            self.client.force_login(user)
            response = self.client.get(reverse("orgs-detail", args=[unit.pk]))
            return plain(response).split("Lịch sử tổ chức")[1].split("Thay đổi gần đây")[0]

        self.assertIn("Đảng bộ xã Bình Sơn 01/01/2026 nay", history(self.an, self.cell_a2))
        self.assertIn("Đảng bộ xã An Hòa", history(self.an, self.cell_a2))  # the former parent, in reach
        self.assertIn("Đảng bộ xã Bình Sơn 01/01/2026 nay", history(self.dung, self.cell_a2))
        # Where the cell was before belongs to its history: the former parent by name, without a link.
        self.assertIn("Chi bộ thôn An Lạc Đảng bộ xã An Hòa 01/01/1990 31/12/2025", history(self.dung, self.cell_a2))
        self.assertNotContains(self.client.get(reverse("orgs-detail", args=[self.cell_a2.pk])),
                               f'href="{reverse("orgs-detail", args=[self.commune_a.pk])}')
        self.assertIn("ngoài phạm vi của bạn", history(self.binh, self.commune_a))  # the province above

    def test_the_history_and_the_latest_changes_of_the_unit_are_shown(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        self.client.force_login(self.binh)
        response = self.client.get(reverse("orgs-detail", args=[self.cell_a2.pk]))
        self.assertContains(response, "31/12/2025")  # the last day of the merged cell
        self.assertContains(response, "Hợp nhất tổ chức")
        self.assertContains(response, "Ngừng hoạt động")

    def test_the_ten_latest_changes_come_newest_first_from_either_place_of_a_change(self):
        def entry(minutes: int, path: str, path_2: str = "") -> AuditEntry:
            e = AuditEntry.objects.create(action="members.member.updated", actor_name="x", unit_path=path,
                                          unit_path_2=path_2, object_type="members.member", object_id="1",
                                          object_repr=f"thay đổi {minutes}")
            later = timezone.now() + timedelta(days=1, minutes=-minutes)  # after the world's own entries
            AuditEntry.objects.filter(pk=e.pk).update(created_at=later)
            return e

        in_a = [entry(m, self.cell_a1.path if m % 2 else self.cell_a2.path) for m in range(2, 14)]
        b_to_a = entry(1, self.cell_b1.path, self.cell_a1.path)  # the newest: a move from B into A
        in_b = entry(0, self.cell_b1.path)
        self.client.force_login(self.binh)
        shown = self.client.get(reverse("orgs-detail", args=[self.commune_a.pk])).context["audit_entries"]
        self.assertEqual([e.pk for e in shown], [b_to_a.pk] + [e.pk for e in in_a[:9]])
        self.client.force_login(self.dung)
        shown = self.client.get(reverse("orgs-detail", args=[self.commune_b.pk])).context["audit_entries"]
        self.assertEqual([e.pk for e in shown][:2], [in_b.pk, b_to_a.pk])  # then the world's own, about B
        self.assertFalse({e.pk for e in in_a} & {e.pk for e in shown})

    def test_dung_gets_404_for_commune_a(self):
        self.assert_page_hidden_from_dung(reverse("orgs-detail", args=[self.commune_a.pk]))
        self.assert_page_hidden_from_dung(reverse("orgs-detail", args=[self.cell_a1.pk]))

    def test_dung_sees_no_trace_of_a_on_the_page_of_commune_b(self):
        self.client.force_login(self.dung)
        response = self.client.get(reverse("orgs-detail", args=[self.commune_b.pk]))
        self.assertContains(response, "Chi bộ thôn Bình Tây")
        self.assert_no_trace_of_a(response.content)
        self.assertNotContains(response, "Thử Nghiệm")

    def test_restructuring_links_are_only_for_those_who_may_restructure(self):
        url = reverse("orgs-detail", args=[self.cell_a1.pk])
        self.client.force_login(self.chi)
        self.assertNotContains(self.client.get(url), reverse("orgs-merge", args=[self.cell_a1.pk]))
        self.client.force_login(self.binh)
        self.assertContains(self.client.get(url), reverse("orgs-merge", args=[self.cell_a1.pk]))
        self.client.force_login(self.admin)
        self.assertContains(self.client.get(url), reverse("orgs-merge", args=[self.cell_a1.pk]))

    @override_settings(DEBUG=False)
    def test_it_renders_with_debug_off(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("orgs-detail", args=[self.province.pk]))
        self.assertContains(response, "Đảng bộ tỉnh Thử Nghiệm")
        self.assertContains(response, reverse("orgs-split", args=[self.province.pk]))


class RestructureFormTests(VisibilityMixin, BaseTestCase):
    def post(self, url_name: str, unit: OrgUnit, step: str, **data):
        self.client.force_login(self.admin)
        return self.client.post(reverse(url_name, args=[unit.pk]), {"buoc": step, **data}, follow=step == "xac-nhan")

    def test_the_merge_preview_shows_what_will_move_and_changes_nothing(self):
        make_member(self.cell_a2, "Võ Thị Hạnh", status="du_bi")
        response = self.post("orgs-merge", self.cell_a2, "xem-truoc", target=self.cell_a1.pk, on="01/01/2026")
        self.assertContains(response, "Xem trước")
        self.assertContains(response, "Xác nhận")
        self.assertContains(response, "sẽ hợp nhất vào <strong>Chi bộ thôn An Phú</strong>", html=False)
        counts = response.context["preview"]["counts"]
        self.assertEqual((counts.total, counts.official, counts.probationary), (2, 1, 1))
        self.cell_a2.refresh_from_db()
        self.assertTrue(self.cell_a2.is_open)
        self.assertFalse(AuditEntry.objects.filter(action="orgs.unit.merged").exists())

    def test_confirming_the_merge_performs_it_and_writes_the_audit_entry(self):
        response = self.post("orgs-merge", self.cell_a2, "xac-nhan", target=self.cell_a1.pk, on="01/01/2026")
        self.assertRedirects(response, reverse("orgs-detail", args=[self.cell_a1.pk]))
        self.assertContains(response, "Đã hợp nhất “Chi bộ thôn An Lạc” vào “Chi bộ thôn An Phú” từ ngày 01/01/2026")
        self.cell_a2.refresh_from_db()
        self.assertEqual(self.cell_a2.valid_to, DAY_BEFORE)
        self.assertEqual(Member.objects.get(pk=self.member_a2.pk).unit, self.cell_a1)
        entry = AuditEntry.objects.get(action="orgs.unit.merged")
        self.assertEqual(entry.actor, self.admin)

    def test_merging_into_itself_shows_the_message_and_keeps_what_was_typed(self):
        response = self.post("orgs-merge", self.cell_a1, "xem-truoc", target=self.cell_a1.pk, on="02/01/2026",
                             note="QĐ số 12")
        self.assertContains(response, "Không thể hợp nhất một tổ chức vào chính nó.")
        self.assertContains(response, 'value="02/01/2026"')
        self.assertContains(response, f'<option value="{self.cell_a1.pk}" selected>', html=False)
        self.assertContains(response, "QĐ số 12")
        self.assertIsNone(response.context["preview"])

    def test_going_back_from_the_preview_keeps_everything_typed(self):
        response = self.post("orgs-rename", self.cell_a1, "sua", name="Chi bộ thôn Phú Mỹ", short_name="Phú Mỹ",
                             on="02/01/2026")
        self.assertIsNone(response.context["preview"])
        self.assertContains(response, 'value="Chi bộ thôn Phú Mỹ"')
        self.assertContains(response, 'value="02/01/2026"')
        self.assertEqual(OrgUnit.objects.get(pk=self.cell_a1.pk).name, "Chi bộ thôn An Phú")

    def test_a_date_that_does_not_exist_is_refused_and_kept(self):
        response = self.post("orgs-merge", self.cell_a2, "xac-nhan", target=self.cell_a1.pk, on="31/02/2026")
        self.assertContains(response, "Ngày không hợp lệ")
        self.assertContains(response, 'value="31/02/2026"')
        self.assertTrue(OrgUnit.objects.get(pk=self.cell_a2.pk).is_open)

    def test_a_date_in_the_future_is_refused_on_the_date_field(self):
        later = (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")
        response = self.post("orgs-move", self.cell_a1, "xem-truoc", new_parent=self.commune_b.pk, on=later)
        self.assertFormError(response.context["form"], "on", "Ngày hiệu lực không được sau ngày hôm nay.")

    def test_the_move_preview_shows_the_new_place_children_and_members(self):
        school = make_unit(self.commune_a, "Đảng bộ Trường THCS An Hòa", Kind.GRASSROOTS_COMMITTEE)
        teachers = make_unit(school, "Chi bộ Giáo viên")
        make_unit(school, "Chi bộ Nhân viên")
        make_member(teachers, "Lê Thị Giáo")
        response = self.post("orgs-move", school, "xem-truoc", new_parent=self.commune_b.pk, on="01/01/2026")
        preview = response.context["preview"]
        self.assertEqual(preview["new_path"], ["Đảng bộ tỉnh Thử Nghiệm", "Đảng bộ xã Bình Sơn",
                                               "Đảng bộ Trường THCS An Hòa"])
        self.assertEqual({c.name for c in preview["children"]}, {"Chi bộ Giáo viên", "Chi bộ Nhân viên"})
        self.assertEqual(preview["counts"].total, 1)
        self.assertContains(response, "Chi bộ Nhân viên")

    def test_the_move_preview_refuses_a_commune_under_a_commune_on_the_new_parent(self):
        response = self.post("orgs-move", self.commune_a, "xem-truoc", new_parent=self.commune_b.pk,
                             on="01/01/2026")
        self.assertIsNone(response.context["preview"])
        [message] = response.context["form"].errors["new_parent"]
        self.assertIn("không thể trực thuộc “Đảng bộ xã Bình Sơn”", message)
        self.assertIn("Quy định 294-QĐ/TW", message)

    def test_confirming_a_move_moves_the_subtree(self):
        response = self.post("orgs-move", self.cell_a1, "xac-nhan", new_parent=self.commune_b.pk, on="01/01/2026")
        self.assertRedirects(response, reverse("orgs-detail", args=[self.cell_a1.pk]))
        self.cell_a1.refresh_from_db()
        self.assertEqual(self.cell_a1.parent, self.commune_b)
        self.assertEqual(AuditEntry.objects.filter(action="orgs.unit.moved").count(), 1)

    def test_moving_under_its_own_descendant_shows_the_message(self):
        response = self.post("orgs-move", self.commune_a, "xac-nhan", new_parent=self.cell_a1.pk, on="01/01/2026")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "tổ chức cấp dưới của nó")
        self.assertEqual(OrgUnit.objects.get(pk=self.commune_a.pk).parent, self.province)

    def test_rename_then_close_through_the_forms(self):
        self.post("orgs-rename", self.cell_b1, "xac-nhan", name="Chi bộ thôn Bình Đông", short_name="",
                  on="01/01/2026")
        self.assertEqual(OrgUnit.objects.get(pk=self.cell_b1.pk).name, "Chi bộ thôn Bình Đông")
        response = self.post("orgs-close", self.cell_b1, "xem-truoc", on="02/01/2026", note="")
        self.assertContains(response, "còn 1 đảng viên đang sinh hoạt")  # the service's rule, shown at preview

    def test_split_gives_the_chosen_members_to_the_new_cell(self):
        response = self.post("orgs-split", self.cell_a1, "xem-truoc", on="01/01/2026", name_1="Chi bộ thôn An Phú 2",
                             kind="chi_bo", **{f"member_{self.member_a1_prob.pk}": "1"})
        self.assertEqual(response.context["preview"]["parts"][0]["member_objects"], [self.member_a1_prob])
        self.assertContains(response, "Trần Thị Bình")
        data = {k: v for k, v in response.context["form"].data.items() if k not in ("buoc", "csrfmiddlewaretoken")}
        response = self.post("orgs-split", self.cell_a1, "xac-nhan", **data)
        new = OrgUnit.objects.get(name="Chi bộ thôn An Phú 2")
        self.assertRedirects(response, reverse("orgs-detail", args=[self.cell_a1.pk]))
        self.assertEqual(Member.objects.get(pk=self.member_a1_prob.pk).unit, new)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit, self.cell_a1)

    def test_a_split_is_not_held_to_five_new_units(self):
        names = {f"name_{i}": f"Chi bộ thôn Mới {i}" for i in range(1, 6)}
        self.client.force_login(self.an)  # the province's officer: the new communes sit under the province
        url = reverse("orgs-split", args=[self.commune_a.pk])
        more = self.client.post(url + "?so=10", {"buoc": "them", "on": "01/01/2026", "kind": "xa", **names})
        self.assertContains(more, 'name="name_10"')
        self.assertContains(more, 'value="Chi bộ thôn Mới 5"')  # what was typed is kept
        self.assertNotContains(more, "Hãy nhập")
        names |= {f"name_{i}": f"Đảng bộ xã Mới {i}" for i in range(1, 8)}
        response = self.client.post(url, {"buoc": "xac-nhan", "on": "01/01/2026", "kind": "xa", **names})
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.assertEqual(OrgUnit.objects.filter(name__startswith="Đảng bộ xã Mới").count(), 7)

    def test_split_refuses_a_member_sent_to_a_new_unit_without_a_name(self):
        response = self.post("orgs-split", self.cell_a1, "xem-truoc", on="01/01/2026", name_1="Chi bộ mới",
                             kind="chi_bo", **{f"member_{self.member_a1.pk}": "2"})
        self.assertContains(response, "Tổ chức mới 2 chưa có tên")

    def test_target_choices_come_only_from_units_the_user_may_restructure(self):
        grantee = make_user("em", self.commune_a, Role.ADMIN)
        self.client.force_login(grantee)
        response = self.client.get(reverse("orgs-merge", args=[self.cell_a1.pk]))
        choices = set(response.context["form"].fields["target"].queryset)
        self.assertEqual(choices, {self.commune_a, self.cell_a1, self.cell_a2})
        self.assertNotContains(response, "Bình")
        response = self.client.post(reverse("orgs-merge", args=[self.cell_a1.pk]),
                                    {"buoc": "xac-nhan", "target": self.cell_b1.pk, "on": "01/01/2026"})
        self.assertContains(response, "không có trong danh sách bạn được phép chọn")
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit, self.cell_a1)

    def test_chi_who_may_not_restructure_gets_403(self):
        self.client.force_login(self.chi)
        for name in ("orgs-create", "orgs-move", "orgs-rename", "orgs-close", "orgs-merge", "orgs-split"):
            response = self.client.get(reverse(name, args=[self.cell_a1.pk]))
            self.assertEqual(response.status_code, 403, name)
        self.assertContains(response, "không có quyền", status_code=403)
        response = self.client.post(reverse("orgs-merge", args=[self.cell_a1.pk]),
                                    {"buoc": "xac-nhan", "target": self.cell_a2.pk, "on": "01/01/2026"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(OrgUnit.objects.get(pk=self.cell_a1.pk).is_open)

    def test_dung_gets_404_for_the_forms_of_commune_a(self):
        for name in ("orgs-create", "orgs-move", "orgs-rename", "orgs-close", "orgs-merge", "orgs-split"):
            self.assert_page_hidden_from_dung(reverse(name, args=[self.cell_a1.pk]))

    def test_the_menu_page_leads_to_the_chosen_form(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("orgs-restructure"), {"don_vi": self.cell_a1.pk, "thao_tac": "split"})
        self.assertRedirects(response, reverse("orgs-split", args=[self.cell_a1.pk]))
        self.client.force_login(self.chi)
        self.assertEqual(self.client.get(reverse("orgs-restructure")).status_code, 403)
