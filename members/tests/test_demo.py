"""The demo province that `make run` loads: the shape issue 2 promises, and faults for the quality page."""

import io
import re
from datetime import date
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from access.models import ApiToken
from audit.models import AuditEntry
from core.scoping import can
from members import badges, history, quality, rules, tally
from members.choices import ACTIVE
from members.demo import DEMO_CODE, REFORM, USERS
from members.models import BadgeAward, EventKind, Member, MemberEvent, Status
from members.privacy import EXPORTED, VIEWED
from members.rules import age_in_months
from orgs.models import Kind, OrgUnit, OrgUnitVersion

LEFT_BY = {Status.TRANSFERRED_OUT: EventKind.TRANSFERRED_OUT, Status.STRUCK_OFF: EventKind.STRUCK_OFF,
           Status.EXPELLED: EventKind.EXPELLED, Status.RESIGNED: EventKind.RESIGNED, Status.DECEASED: EventKind.DECEASED}
ADDRESS = re.compile(r"Thôn [^,]+, xã (An Hòa|Bình Sơn), tỉnh Sơn Nam")


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())  # the members' demo and every higher app's part (core.hooks)
        cls.everyone = Member.objects.filter(org_path__startswith=OrgUnit.objects.get(code=DEMO_CODE).path)
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

    def test_each_commune_has_members_due_for_a_badge_at_the_next_award_date_and_one_award_is_recorded(self):
        on = rules.next_award_date(timezone.localdate())
        for user in (self.xa_a, self.xa_b):
            due = badges.due_on(Member.objects.visible_to(user), on)
            self.assertGreaterEqual({r.years for r in due}, {30, 40, 50}, user)
        award = BadgeAward.objects.get()
        self.assertTrue(award.member.org_path.startswith(self.commune_a.path))
        self.assertNotIn(award.member, [r.member for r in badges.due_on(Member.objects.all(), on)])

    def test_the_district_was_open_the_day_before_the_reform_and_is_closed_since(self):
        district = OrgUnit.objects.get(kind=Kind.DISTRICT, name="Đảng bộ huyện Sơn Tịnh")
        before = OrgUnitVersion.objects.visible_on(self.tinh, date(2025, 6, 30))
        self.assertTrue(before.filter(unit=district).exists())
        self.assertFalse(OrgUnitVersion.objects.visible_on(self.tinh, REFORM).filter(unit=district).exists())
        self.assertIsNotNone(district.valid_to)
        self.assertFalse(district.children.filter(valid_to__isnull=True).exists())

    def test_a_cell_of_the_2015_2020_term_stands_in_the_tree_of_then_and_the_officers_keep_the_tree(self):
        cell = OrgUnit.objects.get(name="Chi bộ Thôn Tân An")
        then = OrgUnitVersion.objects.visible_on(self.xa_a, date(2018, 1, 1)).get(unit=cell)
        self.assertEqual(then.parent.name, "Đảng bộ xã Tịnh An")
        self.assertFalse(OrgUnitVersion.objects.on(date(2021, 1, 1)).filter(unit=cell).exists())
        self.assertTrue(can(self.tinh, "restructure", self.commune_b.path))
        self.assertTrue(can(self.xa_a, "restructure", self.commune_a.path))
        self.assertFalse(can(self.xa_b, "restructure", self.commune_a.path))

    def test_xa_a_sets_up_a_cell_of_an_hoa_from_its_first_day_and_not_before(self):
        # Issue 14's acceptance on the demo: An Hòa began on 01/07/2025, when the reform merged the old communes.
        token = ApiToken.issue(self.xa_a)
        body = {"parent": self.commune_a.pk, "name": "Chi bộ Thôn Mới", "kind": Kind.CELL,
                "decision": {"number": "15-QĐ/ĐU", "date": "2025-06-20", "body": "BTVĐU"}}
        early = self.client.post("/api/v1/orgs", {**body, "valid_from": "2025-06-30"}, content_type="application/json",
                                 HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(early.status_code, 400)
        self.assertIn("01/07/2025", early.json()["detail"])
        made = self.client.post("/api/v1/orgs", {**body, "valid_from": "2025-09-01"}, content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(made.status_code, 201, made.content.decode())
        other = self.client.post("/api/v1/orgs", {**body, "valid_from": "2025-09-01"}, content_type="application/json",
                                 HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.xa_b)}")
        self.assertEqual(other.status_code, 404)

    def test_the_quality_page_finds_the_duplicate_and_the_short_cccd_in_commune_a_only(self):
        problems = quality.problems(self.commune_a, self.xa_a)
        texts = [p.problem for p in problems]
        self.assertEqual(sum("Có thể trùng" in t for t in texts), 2)
        self.assertEqual(sum("đúng 12 chữ số" in t for t in texts), 1)
        self.assertEqual(quality.problems(self.commune_b, self.xa_b), [])
        fields = {f.field: f.percent for f in quality.report(self.commune_a, self.xa_a).fields}
        self.assertTrue(50 < fields["permanent_address"] < 100, fields)

    def test_xa_a_sees_the_same_fields_whole_on_the_page_the_api_and_the_export_and_each_is_audited(self):
        # Issue 12 item 2's acceptance on the demo itself (members.privacy; the named world's binh is tested
        # more closely in test_privacy).
        member = (Member.objects.visible_to(self.xa_a).filter(citizen_id__isnull=False).exclude(religion="")
                  .order_by("id").first())
        self.client.force_login(self.xa_a)
        self.assertContains(self.client.get(reverse("members-detail", args=[member.pk])), member.citizen_id)
        token = ApiToken.issue(self.xa_a)
        detail = self.client.get(f"/api/v1/members/{member.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
        self.assertEqual((detail["citizen_id"], detail["religion"]), (member.citizen_id, member.religion))
        export = self.client.get(reverse("members-export-xlsx"), {"unit": member.unit_id})
        rows = list(load_workbook(io.BytesIO(export.content), read_only=True).active.iter_rows(values_only=True))
        self.assertIn(member.citizen_id, [r[rows[0].index("Số CCCD")] for r in rows[1:]])
        listed = self.client.get("/api/v1/members", {"unit": member.unit_id}, HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertNotIn(member.citizen_id, listed.content.decode())  # lists mask
        viewed = AuditEntry.objects.filter(action=VIEWED, actor=self.xa_a, object_id=str(member.pk))
        self.assertEqual(viewed.count(), 2)
        export_entry = AuditEntry.objects.get(action=EXPORTED, actor=self.xa_a)
        self.assertIn(member.pk, export_entry.after["member_ids"])

    def test_loading_again_changes_nothing(self):
        # setUpTestData built the members' part only; the command's first run adds the registered parts of the
        # apps above (bodies; admission, whose ceremonies admit members), its second run nothing.
        call_command("load_demo", stdout=StringIO())
        before = (self.everyone.count(), MemberEvent.objects.count())
        out = StringIO()
        call_command("load_demo", stdout=out)
        self.assertIn("Dữ liệu mẫu đã có sẵn.", out.getvalue())
        self.assertEqual((self.everyone.count(), MemberEvent.objects.count()), before)

    def test_every_status_has_members_and_each_former_member_a_history_ending_in_the_leaving(self):
        self.assertEqual(set(self.everyone.values_list("status", flat=True)), set(Status.values))
        former = self.everyone.exclude(status__in=ACTIVE).prefetch_related("events")
        self.assertGreaterEqual(former.count(), 20)
        for member in former:
            events = list(member.events.all())
            self.assertEqual(events[0].kind, EventKind.ADMITTED, member)
            self.assertEqual(events[-1].kind, LEFT_BY[member.status], member)
            history.replay(events)  # raises on a transition the rules do not allow
            self.assertFalse(member.periods.filter(valid_to__isnull=True).exists(), member)
        self.assertTrue(self.everyone.filter(is_excused=True, status=Status.OFFICIAL).exists())
        self.assertTrue(MemberEvent.objects.filter(kind=EventKind.MOVED, note__startswith="Chuyển nơi cư trú").exists())
        self.assertTrue(MemberEvent.objects.filter(kind=EventKind.TEMP_BACK).exists())
        self.assertTrue(MemberEvent.objects.filter(kind__in=LEFT_BY.values(), on__gt=REFORM).exists())

    def test_one_member_struck_off_came_back_once_36_months_on_and_no_one_who_resigned(self):
        back = MemberEvent.objects.get(kind=EventKind.READMITTED)
        kinds = list(back.member.events.values_list("kind", "on"))
        self.assertEqual([k for k, _ in kinds], [EventKind.ADMITTED, EventKind.RECOGNIZED, EventKind.STRUCK_OFF,
                                                 EventKind.READMITTED, EventKind.RECOGNIZED])
        self.assertGreaterEqual(age_in_months(kinds[2][1], kinds[3][1]), 36)
        self.assertGreaterEqual(age_in_months(kinds[3][1], kinds[4][1]), 12)

    def test_dates_keep_to_the_rules(self):
        """Admitted aged 18 to 60, official 12 months after each admission, nothing after today."""
        today = timezone.localdate()
        self.assertFalse(MemberEvent.objects.filter(on__gt=today).exists())
        for member in self.everyone.prefetch_related("events"):
            self.assertTrue(18 * 12 <= age_in_months(member.birth_date, member.admitted_on) <= 60 * 12, member)
            entered = None
            for e in member.events.all():
                if e.kind in (EventKind.ADMITTED, EventKind.READMITTED):
                    entered = e.on
                elif e.kind == EventKind.RECOGNIZED:
                    self.assertGreaterEqual(e.on, rules.end_of_probation(entered), member)
            if member.status == Status.OFFICIAL:
                self.assertTrue(member.recognized_on and member.recognized_on <= today, member)

    def test_addresses_are_villages_of_the_new_communes(self):
        addresses = [a for pair in self.everyone.values_list("current_address", "permanent_address") for a in pair if a]
        self.assertGreater(len(addresses), 2_500)
        self.assertEqual([a for a in addresses if not ADDRESS.fullmatch(a)], [])
        teacher = self.everyone.filter(unit__name="Chi bộ Giáo viên Tự nhiên").exclude(current_address="").first()
        self.assertTrue(ADDRESS.fullmatch(teacher.current_address), teacher.current_address)
        self.assertEqual(teacher.workplace, "Trường THPT An Hòa")

    def test_the_status_filter_and_the_history_page_show_former_members(self):
        self.client.force_login(self.xa_a)
        dead = self.everyone.filter(status=Status.DECEASED, org_path__startswith=self.commune_a.path).first()
        listed = self.client.get(reverse("members-list"), {"status": Status.DECEASED})
        self.assertContains(listed, dead.full_name)
        page = self.client.get(reverse("members-detail", args=[dead.pk]))
        self.assertContains(page, "Từ trần")
        self.assertContains(page, dead.events.get(kind=EventKind.ADMITTED).on.strftime("%d/%m/%Y"))
