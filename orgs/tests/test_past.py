"""The past seen from a commune or a cell: an officer inherits what became theirs (issue 13, item 1).

On the demo province: before 01/7/2025 the old district held four old communes; Tịnh An and Tịnh Hòa
were merged into An Hòa (xa_a, kiemtra_a, chibo_a1 in one of its cells), Tịnh Bình and Tịnh Sơn into
Bình Sơn (xa_b). On 30/06/2025 each of them sees the old communes (or the cell) that became theirs,
with that day's figures, under the old district named as a label, and nothing of the other side.
"""

import re
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from access.models import ApiToken
from dangvu.testing import BaseTestCase, VisibilityMixin, make_member, make_unit
from members.demo import load_demo
from members.models import MemberPeriod
from orgs.models import Kind, OrgUnit, OrgUnitVersion, Succession, inherited_prefixes
from orgs.services import merge_units, split_unit

DAY = date(2025, 6, 30)
NGAY = "30/06/2025"
# Organizations of the old commune Tịnh An before the reform, under xã An Hòa since (members.demo).
SCHOOL_AND_CLINIC = ["Đảng bộ Trường THPT An Hòa", "Chi bộ Trạm Y tế xã An Hòa"]
ORGS = "/api/v1/orgs"


def tree_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


class PastInDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        users = get_user_model().objects
        cls.users = {u.username: u for u in users.filter(username__in=["xa_a", "xa_b", "kiemtra_a", "chibo_a1"])}
        old = OrgUnit.objects.filter(kind=Kind.COMMUNE, valid_to__isnull=False)
        cls.old = {u.name.removeprefix("Đảng bộ xã "): u for u in old}
        cls.district = OrgUnit.objects.get(kind=Kind.DISTRICT)
        cls.a1 = OrgUnit.objects.get(code="AH01")

    def members_then(self, unit: OrgUnit) -> int:
        """Members on DAY in `unit`'s subtree of that day, counted straight from the placements."""
        path = unit.version_on(DAY).path
        units = OrgUnitVersion.objects.on(DAY).filter(path__startswith=path).values("unit_id")
        return MemberPeriod.objects.on(DAY).filter(unit_id__in=units).count()

    def tree(self, username: str, **params):
        self.client.force_login(self.users[username])
        return self.client.get(reverse("orgs-tree"), {"ngay": NGAY, **params})

    def test_the_merges_are_recorded_as_successions(self):
        merged = Succession.objects.filter(successor__code="AH").values_list("predecessor__name", flat=True)
        self.assertCountEqual(merged, ["Đảng bộ xã Tịnh An", "Đảng bộ xã Tịnh Hòa"])

    def test_commune_officers_see_the_old_communes_that_became_theirs_under_the_district_as_a_label(self):
        for username in ("xa_a", "kiemtra_a"):
            response = self.tree(username)
            text = tree_text(response)
            self.assertIn("Đảng bộ huyện Sơn Tịnh Ngoài phạm vi của bạn", text, username)
            self.assertNotContains(response, f'href="{reverse("orgs-detail", args=[self.district.pk])}')
            for name in ("Tịnh An", "Tịnh Hòa"):
                unit = self.old[name]
                link = f'{reverse("orgs-detail", args=[unit.pk])}?ngay={NGAY}'
                self.assertContains(response, link)
                self.assertIn(f"Đảng bộ xã {name} Đảng bộ xã/phường/đặc khu {self.members_then(unit):,}".replace(",", "."),
                              text)
            for name in ("Tịnh Bình", "Tịnh Sơn", "Bình Sơn"):
                self.assertNotIn(name, text, username)
        text = tree_text(self.tree("xa_b"))
        self.assertIn("Đảng bộ xã Tịnh Bình", text)
        self.assertIn("Đảng bộ xã Tịnh Sơn", text)
        for name in ("Tịnh An", "Tịnh Hòa", "An Hòa"):
            self.assertNotIn(name, text)

    def test_the_old_commune_opens_with_its_cells_of_that_day(self):
        self.client.force_login(self.users["xa_a"])
        tinh_an = self.old["Tịnh An"]
        response = self.client.get(reverse("orgs-children", args=[tinh_an.pk]), {"ngay": NGAY})
        self.assertContains(response, "Chi bộ Thôn An Phú")
        self.assertContains(response, f'{reverse("orgs-detail", args=[self.a1.pk])}?ngay={NGAY}')
        self.client.force_login(self.users["xa_b"])
        self.assertEqual(self.client.get(reverse("orgs-children", args=[tinh_an.pk]), {"ngay": NGAY}).status_code, 404)

    def test_the_cell_secretary_sees_her_cell_under_its_old_commune_named_only(self):
        response = self.tree("chibo_a1")
        text = tree_text(response)
        self.assertIn("Đảng bộ xã Tịnh An Ngoài phạm vi của bạn", text)
        self.assertIn(f"Chi bộ Thôn An Phú Chi bộ trực thuộc {self.members_then(self.a1)} đảng viên", text)
        self.assertNotContains(response, f'href="{reverse("orgs-detail", args=[self.old["Tịnh An"].pk])}')
        self.assertNotIn("Tịnh Hòa", text)

    def test_the_unit_page_of_that_day_shows_its_name_parent_children_and_figures(self):
        self.client.force_login(self.users["xa_a"])
        tinh_an = self.old["Tịnh An"]
        response = self.client.get(reverse("orgs-detail", args=[tinh_an.pk]), {"ngay": NGAY})
        self.assertEqual(response.context["figures"].total, self.members_then(tinh_an))
        self.assertGreater(response.context["figures"].total, 0)
        self.assertCountEqual([c.name for c in response.context["children"]],
                              [*(f"Chi bộ Thôn An {v}" for v in ("Phú", "Lộc", "Thạnh", "Mỹ")), *SCHOOL_AND_CLINIC])
        self.assertEqual(response.context["breadcrumbs"], [{"name": "Huyện Sơn Tịnh", "url": ""}])
        history = tree_text(response).split("Lịch sử tổ chức")[1]
        self.assertIn("Đảng bộ xã Tịnh An Đảng bộ huyện Sơn Tịnh 01/01/1945 30/06/2025", history)  # named only
        self.assertNotContains(response, "Ngừng hoạt động")  # it was open that day
        # Today the old commune holds nobody: its page without a day opens on its last day.
        response = self.client.get(reverse("orgs-detail", args=[tinh_an.pk]))
        self.assertRedirects(response, f'{reverse("orgs-detail", args=[tinh_an.pk])}?ngay={NGAY}')
        self.client.force_login(self.users["xa_b"])
        self.assertEqual(self.client.get(reverse("orgs-detail", args=[tinh_an.pk]), {"ngay": NGAY}).status_code, 404)

    def test_a_cell_page_of_that_day_lists_its_members_then(self):
        self.client.force_login(self.users["chibo_a1"])
        response = self.client.get(reverse("orgs-detail", args=[self.a1.pk]), {"ngay": NGAY})
        self.assertEqual(response.context["members"].paginator.count, self.members_then(self.a1))
        self.assertEqual(response.context["breadcrumbs"], [{"name": "Xã Tịnh An", "url": ""}])
        self.assertContains(response, "Chi bộ Thôn An Phú")

    def test_the_api_answers_by_the_same_rule(self):
        tinh_an = self.old["Tịnh An"]
        for username, status in (("xa_a", 200), ("kiemtra_a", 200), ("chibo_a1", 404), ("xa_b", 404)):
            token = ApiToken.issue(self.users[username])
            response = self.client.get(f"{ORGS}/{tinh_an.pk}?on={DAY}", HTTP_AUTHORIZATION=f"Bearer {token}")
            self.assertEqual(response.status_code, status, username)
        token = ApiToken.issue(self.users["xa_a"])
        body = self.client.get(f"{ORGS}/{tinh_an.pk}?on={DAY}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
        self.assertEqual(body["members"]["total"], self.members_then(tinh_an))
        self.assertEqual(body["ancestors"], [])
        self.assertEqual(body["parent_name"], "Đảng bộ huyện Sơn Tịnh")  # named, not to be opened
        self.assertIsNone(body["parent_id"])
        self.assertEqual(len(body["children"]), 4 + len(SCHOOL_AND_CLINIC))
        items = self.client.get(f"{ORGS}?on={DAY}&page_size=100", HTTP_AUTHORIZATION=f"Bearer {token}").json()["items"]
        cells = [i for i in items if i["name"].startswith("Chi bộ Thôn An")]
        self.assertEqual({i["parent_id"] for i in cells}, {self.old["Tịnh An"].pk})  # in reach: opened by id
        names = " ".join(i["name"] for i in items)
        self.assertIn("Đảng bộ xã Tịnh Hòa", names)
        for name in ("Tịnh Bình", "Tịnh Sơn", "Bình Sơn", "Sơn Tịnh"):
            self.assertNotIn(name, names)

    def test_the_member_list_of_that_day_holds_who_was_in_what_became_theirs(self):
        tinh_an, tinh_hoa = self.old["Tịnh An"], self.old["Tịnh Hòa"]
        self.client.force_login(self.users["xa_a"])
        page = self.client.get(reverse("members-list"), {"on": NGAY, "unit": tinh_an.pk}).context["page"]
        self.assertEqual(page.paginator.count, self.members_then(tinh_an))
        then = {f"Thôn An {v}" for v in ("Phú", "Lộc", "Thạnh", "Mỹ")}
        self.assertLessEqual({m.unit_then for m in page},
                             then | {"Chi bộ Giáo viên Tự nhiên", "Chi bộ Giáo viên Xã hội", "Chi bộ Trạm Y tế xã An Hòa"})
        counts = {}
        for username in ("xa_a", "xa_b", "chibo_a1"):
            self.client.force_login(self.users[username])
            counts[username] = self.client.get(reverse("members-list"), {"on": NGAY}).context["page"].paginator.count
        self.assertEqual(counts["xa_a"], self.members_then(tinh_an) + self.members_then(tinh_hoa))
        self.assertEqual(counts["xa_b"], self.members_then(self.old["Tịnh Bình"]) + self.members_then(self.old["Tịnh Sơn"]))
        self.assertEqual(counts["chibo_a1"], self.members_then(self.a1))
        for username, status in (("xa_a", 200), ("xa_b", 404)):
            token = ApiToken.issue(self.users[username])
            response = self.client.get(f"/api/v1/members?on={DAY}&unit={tinh_an.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
            self.assertEqual(response.status_code, status, username)

    def test_a_day_still_to_come_is_refused_with_a_message(self):
        tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
        response = self.tree("xa_a", ngay=tomorrow)
        self.assertContains(response, "chưa đến, chưa có số liệu")
        self.assertContains(response, "Cây tổ chức hiện nay")
        response = self.client.get(reverse("orgs-detail", args=[self.a1.pk]), {"ngay": tomorrow}, follow=True)
        self.assertContains(response, "chưa đến, chưa có số liệu")
        response = self.client.get(reverse("members-list"), {"on": tomorrow})
        self.assertContains(response, "chưa đến, chưa có số liệu")

    def test_the_inherited_reach_is_one_range_per_unit(self):
        xa_a = self.users["xa_a"]
        prefixes = inherited_prefixes(xa_a)
        self.assertEqual(len(prefixes), 3)  # An Hòa and the two old communes merged into it
        self.assertIn(self.old["Tịnh An"].path, prefixes)
        then = self.a1.version_on(DAY).path  # the cell under Tịnh An: its own past, one more range
        self.assertEqual(inherited_prefixes(self.users["chibo_a1"]), sorted([self.a1.path, then]))

    def test_the_change_log_holds_what_became_theirs(self):
        def log(username: str, unit: OrgUnit) -> set[str]:
            self.client.force_login(self.users[username])
            response = self.client.get(reverse("audit-list"), {"don_vi": unit.pk})
            return {e.action for e in response.context["page"]} if response.status_code == 200 else set()

        tinh_an = self.old["Tịnh An"]
        # The old commune's own founding and merger, and the life events of its members then.
        for username in ("xa_a", "kiemtra_a"):
            actions = log(username, tinh_an)
            self.assertLessEqual({"orgs.unit.created", "orgs.unit.merged", "members.member.tu_tran"}, actions)
        self.client.force_login(self.users["xa_b"])
        entries = self.client.get(reverse("audit-list"), {"hanh_dong": "orgs.unit.created"}).context["page"]
        self.assertFalse({e.unit_name for e in entries} & {"Đảng bộ xã Tịnh An", "Đảng bộ xã Tịnh Hòa"})
        self.assertIn("Đảng bộ xã Tịnh Bình", {e.unit_name for e in entries})
        self.assertIn("orgs.unit.created", log("chibo_a1", self.a1))  # its founding, written under Tịnh An


class SplitBetweenTwoCommunesTests(VisibilityMixin, BaseTestCase):
    """An old commune split between A and B is neither's: each sees it by name, with only its own cells."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        old = make_unit(cls.province, "Đảng bộ xã Cũ", Kind.COMMUNE)
        cls.old, cls.x1, cls.x2 = old, make_unit(old, "Chi bộ thôn Một"), make_unit(old, "Chi bộ thôn Hai")
        make_member(cls.x1, "Đỗ Văn Một")
        make_member(cls.x2, "Đỗ Văn Hai")
        new1, new2 = split_unit(old, [{"name": "Xã Mới Một", "children": [cls.x1.pk]},
                                      {"name": "Xã Mới Hai", "children": [cls.x2.pk]}],
                                on=date(2025, 9, 1), by=None, close_source=True)
        merge_units(new1, cls.commune_a, on=date(2025, 10, 1), by=None)
        merge_units(new2, cls.commune_b, on=date(2025, 10, 1), by=None)

    def test_each_commune_sees_the_old_commune_by_name_with_its_own_cell(self):
        for user, mine, theirs in ((self.binh, self.x1, self.x2), (self.dung, self.x2, self.x1)):
            self.client.force_login(user)
            response = self.client.get(reverse("orgs-tree"), {"ngay": "01/08/2025"})
            text = tree_text(response)
            self.assertIn(f"Đảng bộ xã Cũ Ngoài phạm vi của bạn: chỉ hiện tên • {mine.name} Chi bộ trực thuộc 1 đảng viên", text)
            self.assertNotIn(theirs.name, text)
            self.assertNotContains(response, f'href="{reverse("orgs-detail", args=[self.old.pk])}')
            self.assertEqual(self.client.get(reverse("orgs-detail", args=[self.old.pk]), {"ngay": "01/08/2025"})
                             .status_code, 404)
            self.assertEqual(self.client.get(reverse("orgs-detail", args=[theirs.pk]), {"ngay": "01/08/2025"})
                             .status_code, 404)
            self.assertEqual(self.api(user, "get", f"{ORGS}/{self.old.pk}?on=2025-08-01").status_code, 404)
        self.assertNotIn(self.old.path, inherited_prefixes(self.binh))
        # The province sees the whole old commune, both cells.
        self.client.force_login(self.an)
        response = self.client.get(reverse("orgs-detail", args=[self.old.pk]), {"ngay": "01/08/2025"})
        self.assertEqual(response.context["figures"].total, 2)
