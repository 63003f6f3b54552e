"""Leaving (issue 15 item 7): struck off, expelled, resigned, deceased, each with its day, decision and
reason, on the member's page and the API; the member leaves the counts from that day; the record stays."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from dangvu.testing import BaseTestCase
from members import leaving, services, stats
from members.choices import EventKind, LeaveReason, Status
from members.models import Member, MemberEvent

EXITS = [(EventKind.STRUCK_OFF, Status.STRUCK_OFF, LeaveReason.QUIT_ACTIVITY),
         (EventKind.EXPELLED, Status.EXPELLED, LeaveReason.CORRUPTION),
         (EventKind.RESIGNED, Status.RESIGNED, LeaveReason.FAMILY_HARDSHIP),
         (EventKind.DECEASED, Status.DECEASED, LeaveReason.NONE)]


class LeavingOnThePageTest(BaseTestCase):
    def post(self, data, member=None):
        self.client.force_login(self.binh)
        return self.client.post(reverse("members-event", args=[(member or self.member_a2).pk]), data)

    def test_each_exit_is_recorded_with_its_day_decision_and_reason_and_leaves_the_counts(self):
        today = timezone.localdate()
        for kind, status, reason in EXITS:
            with self.subTest(kind=kind):
                member = self.member_a2 if kind != EventKind.EXPELLED else self.member_a1
                was = stats.rollup([self.commune_a], self.binh)[self.commune_a.pk].total
                sid = transaction.savepoint()
                response = self.post({"kind": kind, "on": f"{today:%d/%m/%Y}", "decision_number": "12-QĐ/ĐU",
                                      "reason": reason, "note": "ghi chú"}, member)
                self.assertRedirects(response, reverse("members-detail", args=[member.pk]))
                m = Member.objects.get(pk=member.pk)  # the record stays
                self.assertEqual(m.status, status)
                e = m.events.get(kind=kind)
                self.assertEqual((e.on, e.decision_number, e.reason), (today, "12-QĐ/ĐU", reason))
                self.assertEqual(stats.rollup([self.commune_a], self.binh)[self.commune_a.pk].total, was - 1)
                self.assertContains(self.client.get(reverse("members-detail", args=[m.pk])), "12-QĐ/ĐU")
                transaction.savepoint_rollback(sid)

    def test_struck_off_or_expelled_without_the_decision_number_is_refused_and_nothing_changes(self):
        for kind, member in [(EventKind.STRUCK_OFF, self.member_a2), (EventKind.EXPELLED, self.member_a1)]:
            response = self.post({"kind": kind, "on": f"{timezone.localdate():%d/%m/%Y}", "decision_number": " "},
                                 member)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "hãy ghi số quyết định")
            self.assertEqual(Member.objects.get(pk=member.pk).status, Status.OFFICIAL)
            self.assertFalse(MemberEvent.objects.filter(member=member, kind=kind).exists())

    def test_deceased_and_resigned_need_no_decision_number(self):
        response = self.post({"kind": EventKind.DECEASED, "on": f"{timezone.localdate():%d/%m/%Y}"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Member.objects.get(pk=self.member_a2.pk).status, Status.DECEASED)

    def test_the_form_offers_only_the_exits_the_status_allows(self):
        self.client.force_login(self.binh)
        official = self.client.get(reverse("members-detail", args=[self.member_a1.pk])).context["event_form"]
        kinds = {k for k, _ in official.fields["kind"].choices}
        self.assertTrue({"xoa_ten", "khai_tru", "ra_khoi_dang", "tu_tran"} <= kinds)
        probationary = self.client.get(reverse("members-detail", args=[self.member_a1_prob.pk])).context["event_form"]
        self.assertNotIn("khai_tru", {k for k, _ in probationary.fields["kind"].choices})
        services.record_event(self.member_a2, EventKind.DECEASED, on=timezone.localdate(), by=self.binh)
        deceased = self.client.get(reverse("members-detail", args=[self.member_a2.pk])).context["event_form"]
        self.assertEqual([k for k, _ in deceased.fields["kind"].choices], [""])


class LeavingCountsTest(BaseTestCase):
    def test_the_member_counts_up_to_the_day_before_and_not_from_the_day(self):
        day = timezone.localdate() - timedelta(days=10)
        services.record_event(self.member_a2, EventKind.STRUCK_OFF, on=day, by=self.binh, decision_number="3-QĐ/ĐU")
        before = stats.rollup([self.commune_a], self.an, on=day - timedelta(days=1))[self.commune_a.pk].total
        on_the_day = stats.rollup([self.commune_a], self.an, on=day)[self.commune_a.pk].total
        now = stats.rollup([self.commune_a], self.an)[self.commune_a.pk].total  # the tallies
        self.assertEqual((before, on_the_day, now), (3, 2, 2))


class LeavingApiTest(BaseTestCase):
    def url(self, member):
        return f"/api/v1/members/{member.pk}/events"

    def test_expulsion_over_the_api_needs_the_decision(self):
        body = {"kind": "khai_tru", "on": timezone.localdate().isoformat(), "reason": "tham_nhung"}
        refused = self.api(self.binh, "post", self.url(self.member_a1), data=body)
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(refused.json()["field"], "decision_number")
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).status, Status.OFFICIAL)
        done = self.api(self.binh, "post", self.url(self.member_a1), data={**body, "decision_number": "4-QĐ/UBKT"})
        self.assertEqual(done.status_code, 201)
        self.assertEqual((done.json()["decision_number"], done.json()["reason"]), ("4-QĐ/UBKT", "tham_nhung"))

    def test_the_history_keeps_the_exit(self):
        services.record_event(self.member_a2, EventKind.RESIGNED, on=timezone.localdate(), by=self.binh,
                              decision_number="8-QĐ/ĐU", reason=LeaveReason.FAMILY_HARDSHIP)
        events = self.api(self.binh, "get", f"/api/v1/members/{self.member_a2.pk}/history").json()["events"]
        self.assertEqual(events[-1]["kind"], "ra_khoi_dang")
        self.assertEqual(events[-1]["decision_number"], "8-QĐ/ĐU")


class ExpelHookTest(BaseTestCase):
    """The service call the inspection app will make from a discipline decision."""

    def test_expel(self):
        e = leaving.expel(self.member_a1, on=timezone.localdate(), decision_number="15-QĐ/UBKTTU", by=self.an,
                           reason=LeaveReason.CORRUPTION)
        self.assertEqual((e.kind, e.decision_number), (EventKind.EXPELLED, "15-QĐ/UBKTTU"))
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).status, Status.EXPELLED)

    def test_expel_needs_the_decision_and_an_official_member(self):
        with self.assertRaisesMessage(DomainError, "số quyết định"):
            leaving.expel(self.member_a1, on=timezone.localdate(), decision_number="", by=self.an)
        with self.assertRaisesMessage(DomainError, "Không thể ghi"):
            leaving.expel(self.member_a1_prob, on=timezone.localdate(), decision_number="1-QĐ", by=self.an)
