"""The demo's bodies (bodies/demo.py), as `make run` loads them through the load_demo command."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from access.models import ApiToken
from bodies.models import Body, Post
from members.demo import DEMO_CODE
from orgs.models import OrgUnit


class BodiesDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.province = OrgUnit.objects.get(code=DEMO_CODE)
        cls.tinh = get_user_model().objects.get(username="tinh")

    def get(self, url):
        return self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.tinh)}")

    def test_tinh_sees_the_committee_standing_committee_and_inspection_commission_with_their_posts(self):
        items = self.get(f"/api/v1/orgs/{self.province.pk}/bodies").json()["items"]
        by_symbol = {b["symbol"]: b for b in items}
        for symbol in ("TU", "BTVTU", "UBKTTU", "BTCTU"):
            self.assertTrue(by_symbol[symbol]["posts"], symbol)
        self.assertEqual(by_symbol["BTGTU"]["valid_to"], "2025-02-28")  # merged in 2025, kept as history
        self.client.force_login(self.tinh)
        page = self.client.get(f"/co-quan/to-chuc/{self.province.pk}/").content.decode()
        for symbol in ("TU", "BTVTU", "UBKTTU"):
            for post in by_symbol[symbol]["posts"]:
                self.assertIn(post["member_name"], page)
                member_page = self.client.get(f"/dang-vien/{post['member_id']}/").content.decode()
                self.assertIn(Body.objects.get(symbol=symbol, unit=self.province).name, member_page)

    def test_the_communes_that_have_not_held_their_2025_2030_congress(self):
        progress = self.get(f"/api/v1/congresses/progress?unit={self.province.pk}&term=2025-2030&kind=xa").json()
        self.assertEqual([u["name"] for u in progress["not_held"]], ["Đảng bộ xã Bình Sơn"])
        self.assertEqual([u["name"] for u in progress["held"]], ["Đảng bộ xã An Hòa"])
        cells = self.get(f"/api/v1/congresses/progress?unit={self.province.pk}&term=2025-2030&kind=chi_bo").json()
        self.assertTrue(cells["held"])
        self.assertTrue(cells["not_held"])

    def test_loading_again_adds_nothing(self):
        before = (Body.objects.count(), Post.objects.count())
        call_command("load_demo", stdout=StringIO())
        self.assertEqual((Body.objects.count(), Post.objects.count()), before)

    def test_the_district_bodies_ended_with_it(self):
        district = OrgUnit.objects.get(parent=self.province, kind="huyen")
        bodies = Body.objects.filter(unit=district)
        self.assertEqual(set(bodies.values_list("symbol", flat=True)), {"HU", "BTVHU", "UBKTHU"})
        self.assertEqual(set(bodies.values_list("valid_to", flat=True)), {district.valid_to})
        self.assertFalse(Post.objects.filter(body__unit=district, to_on__isnull=True).exists())

    def test_the_work_lists_of_xa_a_and_xa_b_show_a_congress_each_and_b_sees_nothing_of_a(self):
        def items(username):
            token = ApiToken.issue(get_user_model().objects.get(username=username))
            return self.client.get("/api/v1/worklist?page_size=200", HTTP_AUTHORIZATION=f"Bearer {token}").json()["items"]

        a, b = items("xa_a"), items("xa_b")
        self.assertEqual([(i["kind"], i["overdue"]) for i in a if i["kind"] == "bodies.congress"],
                         [("bodies.congress", True)])
        self.assertEqual([(i["kind"], i["overdue"]) for i in b if i["kind"] == "bodies.congress"],
                         [("bodies.congress", False)])
        a_units = set(OrgUnit.objects.subtree(OrgUnit.objects.get(short_name="Xã An Hòa")).values_list("pk", flat=True))
        self.assertTrue(a_units >= {i["unit_id"] for i in a})
        self.assertFalse(a_units & {i["unit_id"] for i in b})
