"""No oracle of citizen IDs (members.collisions): a CCCD held out of the user's reach is still refused,
each such collision is in the audit log of the level that sees both units, and past the day's cap
imports (dry runs too) and `POST /api/v1/members` are refused with a word to ask the level above."""

from datetime import date
from unittest import mock

from django.urls import reverse

from audit.models import AuditEntry
from members import collisions
from members.importer import validate
from members.models import ImportJob, Member
from members.tests.test_import import ImportTestCase, cccd, row, xlsx
from members.tests.test_pages_forms import CCCD, MediaTestCase, new_member, profile_of

MEMBERS = "/api/v1/members"
BORN = date(1990, 4, 2)


def capped(n: int):
    return mock.patch("members.rules.CCCD_COLLISIONS_PER_DAY", n)


class CollisionTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Three members of commune B with CCCDs that binh (commune A) might type.
        cls.held = [cccd(50 + i, BORN) for i in range(3)]
        Member.objects.filter(pk=cls.member_b1.pk).update(citizen_id=cls.held[0])
        cls.more_b = [cls.member_b1]
        for i, number in enumerate(cls.held[1:], start=1):
            cls.more_b.append(Member.objects.create(
                full_name=f"Người Bình Sơn {i}", gender="nam", birth_date=BORN, status="chinh_thuc",
                unit=cls.cell_b1, citizen_id=number, admitted_on=date(2015, 6, 1)))

    def posted(self, number: str, name="Hồ Văn Thử"):
        data = {"unit_id": self.cell_a1.pk, "full_name": name, "gender": "nam", "birth_date": BORN.isoformat(),
                "admitted_on": "2015-06-01", "status": "chinh_thuc", "citizen_id": number}
        return self.api(self.binh, "post", MEMBERS, data=data)

    def entries(self):
        return AuditEntry.objects.filter(action=collisions.ACTION)

    def test_a_collision_in_a_dry_run_is_refused_and_recorded_for_the_province_only(self):
        job = self.run_job(xlsx([row(citizen_id=self.held[0])]), dry_run=True)
        self.assertEqual(job.state, ImportJob.State.INVALID)
        self.assertIn("thuộc đơn vị ngoài phạm vi của bạn", job.errors[0]["message"])
        [entry] = self.entries()
        self.assertEqual((entry.actor, entry.after["cccd"], entry.unit_path, entry.unit_path_2),
                         (self.binh, self.held[0], self.province.path, ""))
        self.assertEqual(entry.after["tried_unit"], self.commune_a.name)
        self.assertTrue(self.entries().visible_to(self.an, "audit").exists())  # sees both communes
        self.assertFalse(self.entries().visible_to(self.binh, "audit").exists())  # would learn whose it is
        self.assertFalse(self.entries().visible_to(self.dung, "audit").exists())

    def test_a_duplicate_within_reach_is_no_collision(self):
        Member.objects.filter(pk=self.member_a2.pk).update(citizen_id=cccd(77, BORN))
        self.assertEqual(self.posted(cccd(77, BORN)).status_code, 400)
        self.assertFalse(self.entries().exists())

    def test_past_the_cap_a_file_is_refused_whole_without_naming_any_row(self):
        with capped(2):
            result = validate(xlsx([row(f"Người {i}", citizen_id=n) for i, n in enumerate(self.held)]),
                              self.binh, self.commune_a)
            self.assertEqual([e["row"] for e in result.errors], [None])
            self.assertIn("liên hệ cấp ủy cấp trên", result.errors[0]["message"])
            self.assertEqual(self.entries().count(), 3)  # every one tried is recorded
            # The next file, even one without a held CCCD and only a dry run, is refused before any lookup.
            job = self.run_job(xlsx([row(citizen_id=cccd(90, BORN))]), dry_run=True)
            self.assertEqual(job.state, ImportJob.State.INVALID)
            self.assertIn("liên hệ cấp ủy cấp trên", job.errors[0]["message"])
            self.assertEqual(self.entries().count(), 3)

    def test_under_the_cap_each_row_says_what_is_wrong(self):
        with capped(5):
            result = validate(xlsx([row(f"Người {i}", citizen_id=n) for i, n in enumerate(self.held)]),
                              self.binh, self.commune_a)
        self.assertEqual([e["row"] for e in result.errors], [2, 3, 4])

    def test_the_api_records_each_collision_then_refuses_past_the_cap(self):
        with capped(2):
            for number in self.held[:2]:
                response = self.posted(number)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn("đã có trong hồ sơ của một đảng viên khác", response.json()["detail"])
            self.assertEqual(list(self.entries().values_list("after__cccd", flat=True).order_by("id")), self.held[:2])
            # The cap is met: even a CCCD nobody holds is refused now, or the refusal would answer the question.
            response = self.posted(cccd(91, BORN))
            self.assertEqual(response.status_code, 400)
            self.assertIn("liên hệ cấp ủy cấp trên", response.json()["detail"])
            self.assertFalse(Member.objects.filter(citizen_id=cccd(91, BORN)).exists())
            self.assertEqual(self.entries().count(), 2)

    def test_an_edit_to_a_held_cccd_is_recorded_too(self):
        response = self.api(self.binh, "patch", f"{MEMBERS}/{self.member_a1.pk}", data={"citizen_id": self.held[1]})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.entries().get().object_id, str(self.more_b[1].pk))


class FormCollisionTests(MediaTestCase):
    def test_the_edit_form_refuses_a_held_cccd_and_the_record_of_it_stays(self):
        Member.objects.filter(pk=self.member_b1.pk).update(citizen_id=CCCD)
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-edit", args=[self.member_a1.pk]),
                                    profile_of(self.member_a1, citizen_id=CCCD))
        self.assertEqual(response.context["form"].errors["citizen_id"],
                         [f"Số CCCD {CCCD} đã có trong hồ sơ của một đảng viên khác."])
        entry = AuditEntry.objects.get(action=collisions.ACTION)
        self.assertEqual((entry.actor, entry.unit_path, entry.after["cccd"]), (self.binh, self.province.path, CCCD))
        self.assertIsNone(Member.objects.get(pk=self.member_a1.pk).citizen_id)

    def test_the_create_form_refuses_a_held_cccd_and_records_it(self):
        Member.objects.filter(pk=self.member_b1.pk).update(citizen_id=CCCD)
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-create"), new_member(unit=self.cell_a1.pk, citizen_id=CCCD))
        self.assertIn("đã có trong hồ sơ", " ".join(response.context["form"].errors["citizen_id"]))
        self.assertEqual(AuditEntry.objects.filter(action=collisions.ACTION).count(), 1)
