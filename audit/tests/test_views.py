from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import override_settings
from django.urls import reverse

from access.rules import Role
from audit.models import AuditEntry
from dangvu.testing import BaseTestCase, VisibilityMixin, make_user
from orgs.services import merge_units, rename_unit

URL = reverse("audit-list")
MERGE_DAY = date(2026, 1, 1)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


class AuditPageTests(VisibilityMixin, BaseTestCase):
    def setUp(self):
        self.merge = merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        rename_unit(self.cell_b1, name="Chi bộ thôn Bình Đông", on=MERGE_DAY, by=self.admin)

    def entries(self, user, **filters):
        self.client.force_login(user)
        response = self.client.get(URL, filters)
        self.assertEqual(response.status_code, 200)
        return response, list(response.context["page"])

    def test_binh_sees_the_merge_in_commune_a_with_before_and_after(self):
        response, entries = self.entries(self.binh)
        self.assertIn("orgs.unit.merged", [e.action for e in entries])
        self.assertNotIn("orgs.unit.renamed", [e.action for e in entries])
        self.assertContains(response, "Hợp nhất tổ chức")
        self.assertContains(response, "Chi bộ thôn An Lạc → Chi bộ thôn An Phú")
        self.assertContains(response, "Hoạt động đến hết ngày")
        self.assertContains(response, "31/12/2025")  # valid_to shown as dd/mm/yyyy

    def test_dung_sees_his_rename_and_no_trace_of_commune_a(self):
        response, entries = self.entries(self.dung)
        self.assertEqual({e.action for e in entries}, {"orgs.unit.created", "orgs.unit.renamed"})
        self.assertContains(response, "Chi bộ thôn Bình Đông")
        self.assert_no_trace_of_a(response.content)

    def test_the_time_is_shown_in_hanoi_time(self):
        entry = AuditEntry.objects.get(action="orgs.unit.merged")
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=datetime(2026, 3, 5, 17, 30, tzinfo=ZoneInfo("UTC")))
        response, _ = self.entries(self.binh)
        self.assertContains(response, "06/03/2026 00:30")

    def test_filter_by_action(self):
        _, entries = self.entries(self.an, hanh_dong="orgs.unit.renamed")
        self.assertEqual([e.action for e in entries], ["orgs.unit.renamed"])

    def test_filter_by_actor_name(self):
        _, entries = self.entries(self.an, nguoi="admi")
        self.assertEqual({e.action for e in entries}, {"orgs.unit.merged", "orgs.unit.renamed"})
        _, entries = self.entries(self.an, nguoi="không ai")
        self.assertEqual(entries, [])

    def test_filter_by_unit_covers_its_subtree_and_either_side_of_a_merge(self):
        _, entries = self.entries(self.an, don_vi=self.commune_b.pk)
        self.assertEqual({e.unit_path[:10] for e in entries}, {self.commune_b.path})
        self.assertIn("orgs.unit.renamed", [e.action for e in entries])
        _, entries = self.entries(self.an, don_vi=self.cell_a2.pk)  # the merged cell is unit_path_2
        self.assertIn("orgs.unit.merged", [e.action for e in entries])

    def test_filter_by_dates_uses_vietnamese_days(self):
        entry = AuditEntry.objects.get(action="orgs.unit.merged")
        # 23:30 on 4 March in Hà Nội is still 4 March, although it is 16:30 UTC
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=datetime(2026, 3, 4, 23, 30, tzinfo=HANOI))
        _, entries = self.entries(self.an, tu_ngay="04/03/2026", den_ngay="04/03/2026")
        self.assertEqual([e.pk for e in entries], [entry.pk])
        _, entries = self.entries(self.an, tu_ngay="05/03/2026", den_ngay="05/03/2026")
        self.assertEqual(entries, [])

    def test_a_wrong_filter_is_explained_and_typed_values_kept(self):
        response, entries = self.entries(self.an, tu_ngay="31/02/2026", nguoi="admin")
        self.assertContains(response, "Ngày không hợp lệ")
        self.assertContains(response, 'value="31/02/2026"')
        self.assertEqual({e.action for e in entries}, {"orgs.unit.merged", "orgs.unit.renamed"})
        response, _ = self.entries(self.an, tu_ngay="05/03/2026", den_ngay="04/03/2026")
        self.assertContains(response, "phải bằng hoặc sau")

    def test_dung_cannot_filter_by_a_unit_of_commune_a(self):
        response, entries = self.entries(self.dung, don_vi=self.commune_a.pk)
        self.assertContains(response, "không có trong danh sách")
        self.assert_no_trace_of_a(response.content)

    def test_entries_are_paginated_by_fifty(self):
        first = AuditEntry.objects.filter(unit_path__startswith=self.commune_b.path).first()
        for _ in range(60):
            first.pk = None
            first.save()
        response, entries = self.entries(self.dung)
        self.assertEqual(len(entries), 50)
        self.assertContains(response, "?trang=2")
        _, entries = self.entries(self.dung, trang=2)
        self.assertEqual(len(entries), 63 - 50)

    def test_htmx_gets_only_the_log_fragment(self):
        self.client.force_login(self.binh)
        response = self.client.get(URL, {"hanh_dong": "orgs.unit.merged"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="log"')
        self.assertNotContains(response, "<html")

    def test_a_user_without_the_audit_action_gets_403(self):
        viewer = make_user("xem", self.commune_a, Role.VIEWER)
        self.client.force_login(viewer)
        response = self.client.get(URL)
        self.assertContains(response, "Bạn không có quyền", status_code=403)
        self.assertNotContains(self.client.get(reverse("orgs-tree")), URL)  # not offered in the menu

    @override_settings(DEBUG=False)
    def test_it_renders_with_debug_off(self):
        response, _ = self.entries(self.an)
        self.assertContains(response, "Nhật ký thay đổi")

    def test_the_times_are_newest_first(self):
        _, entries = self.entries(self.an)
        times = [e.created_at for e in entries]
        self.assertEqual(times, sorted(times, reverse=True))
