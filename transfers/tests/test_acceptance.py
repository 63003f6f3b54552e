"""Issue 15's acceptance: an official transfer from commune A to commune B moves the member on the day of
acceptance; A's and B's totals the day before and the day after are right, the tallies agree with the records,
and the member's history shows both units."""

from datetime import timedelta

from django.core.management import call_command

from members import stats
from members.choices import EventKind, Status
from members.models import Member, MemberPeriod
from transfers import services
from transfers.models import Status as Step
from transfers.tests.world import ACCEPTED, TransferTestCase


class AcceptanceTests(TransferTestCase):
    def totals(self, on=None):
        counts = stats.rollup([self.commune_a, self.commune_b, self.province], self.an, on=on)
        return counts[self.commune_a.pk].total, counts[self.commune_b.pk].total, counts[self.province.pk].total

    def test_the_member_moves_from_a_to_b_on_the_day_of_acceptance(self):
        before_today = self.totals()
        self.assertEqual(before_today, (3, 1, 4))
        t = self.start()
        self.assertEqual(self.totals(), (3, 1, 4), "a letter alone moves nobody")
        services.accept(t, on=ACCEPTED, by=self.dung)

        member = Member.objects.get(pk=self.member_a1.pk)
        self.assertEqual((member.unit_id, member.status), (self.cell_b1.pk, Status.OFFICIAL))
        self.assertEqual(self.totals(ACCEPTED - timedelta(days=1)), (3, 1, 4))  # the day before: still in A
        self.assertEqual(self.totals(ACCEPTED), (2, 2, 4))  # the day of acceptance: in B
        self.assertEqual(self.totals(ACCEPTED + timedelta(days=1)), (2, 2, 4))
        self.assertEqual(self.totals(), (2, 2, 4))  # today, from the tallies
        call_command("tally", "--check", stdout=open("/dev/null", "w"))  # raises CommandError on any difference

        periods = list(MemberPeriod.objects.filter(member=member).order_by("valid_from")
                       .values_list("unit_id", "valid_from", "valid_to"))
        self.assertEqual(periods[-2][0], self.cell_a1.pk)
        self.assertEqual(periods[-2][2], ACCEPTED - timedelta(days=1))
        self.assertEqual(periods[-1], (self.cell_b1.pk, ACCEPTED, None))
        kinds = list(member.events.order_by("on", "id").values_list("kind", "unit_id"))
        self.assertEqual(kinds[-2:], [(EventKind.TRANSFERRED_OUT, self.cell_a1.pk),
                                      (EventKind.TRANSFERRED_IN, self.cell_b1.pk)])
        t.refresh_from_db()
        self.assertEqual((t.status, t.accepted_on, t.presented_on), (Step.ACCEPTED, ACCEPTED, ACCEPTED))

    def test_the_members_page_shows_both_units_to_the_receiving_officer(self):
        services.accept(self.start(), on=ACCEPTED, by=self.dung)
        self.client.force_login(self.dung)
        page = self.client.get(f"/dang-vien/{self.member_a1.pk}/").content.decode()
        self.assertIn("Chi bộ thôn An Phú", page)  # where the member was: named (not opened)
        self.assertIn("Chi bộ thôn Bình Tây", page)
        self.client.force_login(self.binh)  # A no longer sees the member who left
        self.assertEqual(self.client.get(f"/dang-vien/{self.member_a1.pk}/").status_code, 404)

    def test_a_probationary_member_stays_probationary(self):
        t = self.start(self.member_a1_prob)
        services.accept(t, on=ACCEPTED, by=self.dung)
        self.assertEqual(Member.objects.get(pk=self.member_a1_prob.pk).status, Status.PROBATIONARY)
        call_command("tally", "--check", stdout=open("/dev/null", "w"))

    def test_a_transfer_outside_the_system_leaves_the_tree(self):
        t = self.start(to_outside="Chi bộ Phòng Tổ chức, Đảng ủy Sở Nội vụ tỉnh Khác")
        services.accept(t, on=ACCEPTED, by=self.binh)  # the sender records what the other province confirmed
        member = Member.objects.get(pk=self.member_a1.pk)
        self.assertEqual(member.status, Status.TRANSFERRED_OUT)
        self.assertEqual(self.totals(), (2, 1, 3))
        self.assertEqual(self.totals(ACCEPTED - timedelta(days=1)), (3, 1, 4))
        call_command("tally", "--check", stdout=open("/dev/null", "w"))

    def test_the_posts_held_in_a_end_with_the_transfer(self):
        from bodies import services as bodies
        from bodies.models import Post
        from bodies.rules import BodyKind, Title
        from dangvu.testing import REFORM

        chi_uy = bodies.create_body(self.cell_a1, kind=BodyKind.CELL_COMMITTEE, name="Chi ủy Chi bộ thôn An Phú",
                                    valid_from=REFORM, by=None)
        bodies.add_post(chi_uy, self.member_a1, title=Title.SECRETARY, from_on=REFORM, how="chi_dinh", by=None)
        services.accept(self.start(), on=ACCEPTED, by=self.dung)
        self.assertIsNotNone(Post.objects.get(member=self.member_a1).to_on)
