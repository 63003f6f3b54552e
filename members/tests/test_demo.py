"""The demo province that `make run` loads: the shape issue 2 promises, and faults for the quality page."""

from datetime import date

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from members import quality, tally
from members.demo import DEMO_CODE, REFORM, USERS, load_demo
from members.models import Member
from orgs.models import Kind, OrgUnit, OrgUnitVersion


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        users = get_user_model().objects
        cls.tinh, cls.xa_a, cls.xa_b = (users.get(username=u) for u in ("tinh", "xa_a", "xa_b"))
        cls.commune_a = OrgUnit.objects.get(code="AH")
        cls.commune_b = OrgUnit.objects.get(code="BS")

    def test_every_demo_login_exists_with_the_printed_password(self):
        for username, *_ in USERS:  # through the login page: django-axes needs the request
            response = self.client.post(reverse("access-login"), {"username": username, "password": "demo-dangvu"})
            self.assertRedirects(response, reverse("orgs-tree"), msg_prefix=username)
            self.client.post(reverse("access-logout"))

    def test_about_two_thousand_members_and_the_tallies_agree_with_them(self):
        province = OrgUnit.objects.get(code=DEMO_CODE)
        total = Member.objects.active().filter(org_path__startswith=province.path).count()
        self.assertTrue(1_500 <= total <= 2_500, total)
        self.assertEqual(tally.check(), [])

    def test_each_commune_officer_sees_only_her_commune(self):
        seen_by_a = Member.objects.visible_to(self.xa_a).active()
        self.assertTrue(seen_by_a.exists())
        self.assertFalse(seen_by_a.filter(org_path__startswith=self.commune_b.path).exists())
        self.assertFalse(Member.objects.visible_to(self.xa_b).filter(org_path__startswith=self.commune_a.path).exists())
        self.assertEqual(Member.objects.visible_to(self.tinh).active().count(),
                         seen_by_a.count() + Member.objects.visible_to(self.xa_b).active().count())

    def test_the_district_was_open_the_day_before_the_reform_and_is_closed_since(self):
        district = OrgUnit.objects.get(kind=Kind.DISTRICT, name="Đảng bộ huyện Sơn Tịnh")
        before = OrgUnitVersion.objects.visible_on(self.tinh, date(2025, 6, 30))
        self.assertTrue(before.filter(unit=district).exists())
        self.assertFalse(OrgUnitVersion.objects.visible_on(self.tinh, REFORM).filter(unit=district).exists())
        self.assertIsNotNone(district.valid_to)
        self.assertFalse(district.children.filter(valid_to__isnull=True).exists())

    def test_the_quality_page_finds_the_duplicate_and_the_short_cccd_in_commune_a_only(self):
        problems = quality.problems(self.commune_a, self.xa_a)
        texts = [p.problem for p in problems]
        self.assertEqual(sum("Có thể trùng" in t for t in texts), 2)
        self.assertEqual(sum("đúng 12 chữ số" in t for t in texts), 1)
        self.assertEqual(quality.problems(self.commune_b, self.xa_b), [])
        fields = {f.field: f.percent for f in quality.report(self.commune_a, self.xa_a).fields}
        self.assertTrue(50 < fields["permanent_address"] < 100, fields)
