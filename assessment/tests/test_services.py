"""The steps' guards: score, level against score, order of steps, membership, duplicates, competence, quota."""

import io
from datetime import date

from assessment import services
from assessment.models import Rating, Summary
from assessment.rules import Level, Subject
from assessment.tests.world import DECIDED_ON, PROPOSED_ON, SELF_ON, YEAR, AssessmentTestCase
from audit.models import AuditEntry
from core.errors import DomainError
from dangvu.testing import make_member, make_unit


class QuotaTests(AssessmentTestCase):
    def setUp(self):
        self.goods = [self.rate(m, Level.GOOD, 80) for m in self.crowd(self.cell_a1, 12, "Tốt")]
        self.stars = [self.rate(m, Level.EXCELLENT, 95) for m in self.crowd(self.cell_a2, 4, "Xuất sắc")]
        for r in self.goods:
            services.decide(r, level=Level.GOOD, body=self.du_a, on=DECIDED_ON, by=self.binh)

    def test_third_excellent_of_twelve_good_is_refused_citing_the_rule(self):
        services.decide(self.stars[0], level=Level.EXCELLENT, body=self.du_a, on=DECIDED_ON, by=self.binh)
        services.decide(self.stars[1], level=Level.EXCELLENT, body=self.du_a, on=DECIDED_ON, by=self.binh)
        with self.assertRaises(DomainError) as caught:
            services.decide(self.stars[2], level=Level.EXCELLENT, body=self.du_a, on=DECIDED_ON, by=self.binh)
        message = caught.exception.message
        self.assertIn("20% × 12 = 2,4 → 2", message)
        self.assertIn("QĐ 366-QĐ/TW Điều 11", message)
        self.stars[2].refresh_from_db()
        self.assertEqual(self.stars[2].result, "")
        self.assertEqual(Rating.objects.filter(decided_level=Level.EXCELLENT).count(), 2)

    def test_the_exception_raises_the_quota_to_25_percent(self):
        services.record_exception(self.du_a, year=YEAR, subject=Subject.MEMBERS, reason="Dẫn đầu phong trào",
                                  by=self.binh)
        for r in self.stars[:3]:  # 25% of 12 = 3
            services.decide(r, level=Level.EXCELLENT, body=self.du_a, on=DECIDED_ON, by=self.binh)
        with self.assertRaises(DomainError):
            services.decide(self.stars[3], level=Level.EXCELLENT, body=self.du_a, on=DECIDED_ON, by=self.binh)

    def test_turning_a_good_into_done_may_not_break_the_quota(self):
        for r in self.stars[:2]:
            services.decide(r, level=Level.EXCELLENT, body=self.du_a, on=DECIDED_ON, by=self.binh)
        # 11 good would allow 2 (2.2): still fine; then 9 good allow only 1.
        services.decide(self.goods[0], level=Level.DONE, body=self.du_a, on=DECIDED_ON, by=self.binh, reason="Chậm")
        services.decide(self.goods[1], level=Level.DONE, body=self.du_a, on=DECIDED_ON, by=self.binh, reason="Chậm")
        with self.assertRaises(DomainError):
            services.decide(self.goods[2], level=Level.DONE, body=self.du_a, on=DECIDED_ON, by=self.binh, reason="x")

    def test_summary_follows_decisions_and_changes(self):
        services.decide(self.stars[0], level=Level.EXCELLENT, body=self.du_a, on=DECIDED_ON, by=self.binh)
        services.decide(self.goods[0], level=Level.DONE, body=self.du_a, on=DECIDED_ON, by=self.binh, reason="Chậm")
        rows = {(s.unit_id, s.level): s.count for s in Summary.objects.filter(year=YEAR, count__gt=0)}
        self.assertEqual(rows, {(self.cell_a1.pk, Level.GOOD): 11, (self.cell_a1.pk, Level.DONE): 1,
                                (self.cell_a2.pk, Level.EXCELLENT): 1})


class GuardTests(AssessmentTestCase):
    def test_score_outside_0_100_is_refused(self):
        for bad in (-1, 100.5, 101, "abc"):
            with self.assertRaises(DomainError, msg=bad):
                services.self_assess(self.round_a, member=self.member_a1, score=bad, level=Level.GOOD, by=None)
        for edge, level in ((0, Level.FAILED), (100, Level.EXCELLENT)):
            rating = services.self_assess(self.round_a, member=make_member(self.cell_a1, f"Biên {edge}"),
                                          score=edge, level=level, by=None)
            self.assertEqual(rating.self_level, level)

    def test_level_contradicting_the_score_needs_a_reason(self):
        bands = [(90, Level.EXCELLENT, Level.GOOD), (89.99, Level.GOOD, Level.EXCELLENT), (70, Level.GOOD, Level.DONE),
                 (69.5, Level.DONE, Level.GOOD), (50, Level.DONE, Level.FAILED), (49.99, Level.FAILED, Level.DONE)]
        for i, (score, right, wrong) in enumerate(bands):
            m = make_member(self.cell_a1, f"Khung {i}")
            with self.assertRaises(DomainError) as caught:
                services.self_assess(self.round_a, member=m, score=score, level=wrong, by=None)
            self.assertIn("QĐ 366-QĐ/TW Điều 11", caught.exception.message)
            self.assertFalse(Rating.objects.filter(member=m).exists())
            services.self_assess(self.round_a, member=m, score=score, level=right, by=None)
        m = make_member(self.cell_a1, "Có lý do")
        rating = services.self_assess(self.round_a, member=m, score=95, level=Level.GOOD, by=None,
                                      reason="Một nhiệm vụ chưa vượt yêu cầu")
        self.assertEqual(rating.self_level, Level.GOOD)

    def test_decision_before_proposal_is_refused(self):
        rating = self.rate(self.member_a1, Level.GOOD, 80, propose=False)
        with self.assertRaises(DomainError) as caught:
            services.decide(rating, level=Level.GOOD, body=self.du_a, on=DECIDED_ON, by=self.binh)
        self.assertIn("chưa có đề xuất", caught.exception.message)
        rating = services.propose(rating, level=Level.GOOD, by=None, on=PROPOSED_ON)
        with self.assertRaises(DomainError):  # and not dated before the proposal
            services.decide(rating, level=Level.GOOD, body=self.du_a, on=date(2025, 12, 9), by=self.binh)
        services.decide(rating, level=Level.GOOD, body=self.du_a, on=PROPOSED_ON, by=self.binh)

    def test_member_not_in_the_unit_during_the_year_is_refused(self):
        with self.assertRaises(DomainError) as caught:  # commune B's member in A's round
            services.self_assess(self.round_a, member=self.member_b1, score=80, level=Level.GOOD, by=None)
        self.assertIn("không sinh hoạt", caught.exception.message)
        old = services.create_round(self.commune_a, year=2024, subject=Subject.MEMBERS, by=None)
        with self.assertRaises(DomainError):  # admitted 01/7/2025: not a member in 2024
            services.self_assess(old, member=self.member_a1, score=80, level=Level.GOOD, by=None, on=SELF_ON)
        self.assertFalse(Rating.objects.exists())

    def test_second_rating_for_the_same_subject_and_round_is_refused(self):
        self.rate(self.member_a1, Level.GOOD, 80)
        with self.assertRaises(DomainError) as caught:
            services.self_assess(self.round_a, member=self.member_a1, score=85, level=Level.GOOD, by=None)
        self.assertIn("đã có phiếu", caught.exception.message)
        self.assertEqual(Rating.objects.filter(member=self.member_a1).count(), 1)

    def test_a_body_that_may_not_decide_is_refused(self):
        rating = self.rate(self.member_a1, Level.GOOD, 80)
        for body in (self.du_b, self.ubkt_a):
            with self.assertRaises(DomainError) as caught:
                services.decide(rating, level=Level.GOOD, body=body, on=DECIDED_ON, by=None)
            self.assertIn("không có thẩm quyền", caught.exception.message)
        cells = services.create_round(self.commune_a, year=YEAR, subject=Subject.ORGANIZATIONS, by=None)
        own = services.self_assess(cells, unit=self.commune_a, score=80, level=Level.GOOD, by=None, on=SELF_ON)
        own = services.propose(own, level=Level.GOOD, by=None, on=PROPOSED_ON)
        with self.assertRaises(DomainError):  # an organization is decided by the level above, not by itself
            services.decide(own, level=Level.GOOD, body=self.du_a, on=DECIDED_ON, by=None)
        services.decide(own, level=Level.GOOD, body=self.btv_tinh, on=DECIDED_ON, by=None)

    def test_decider_needs_the_right_over_the_body(self):
        rating = self.rate(self.member_a1, Level.GOOD, 80)
        with self.assertRaises(DomainError):
            services.decide(rating, level=Level.GOOD, body=self.du_a, on=DECIDED_ON, by=self.dung)
        self.assertEqual(AuditEntry.objects.filter(action="assessment.rating.decided").count(), 0)

    def test_disqualifier_makes_failed_without_reason_and_others_need_mitigation(self):
        rating = self.rate(self.member_a1, Level.GOOD, 80)
        with self.assertRaises(DomainError):
            services.decide(rating, level=Level.GOOD, body=self.du_a, on=DECIDED_ON, by=None,
                            disqualifiers=["disciplined"])
        services.decide(rating, level=Level.FAILED, body=self.du_a, on=DECIDED_ON, by=None,
                        disqualifiers=["disciplined"])

    def test_legacy_results_are_stored_as_they_were(self):
        cell = make_unit(self.commune_a, "Chi bộ cũ")
        old = services.create_round(self.commune_a, year=2016, subject=Subject.ORGANIZATIONS, by=None)
        services.record_results(old, [{"unit": cell, "level": "tsvm"}], body=None, decided_on=date(2016, 12, 30),
                                by=None)
        self.assertEqual(Rating.objects.get(round=old).result, "tsvm")
        with self.assertRaises(DomainError):
            services.record_results(old, [{"unit": self.cell_a1, "level": Level.EXCELLENT}], body=None,
                                    decided_on=date(2016, 12, 30), by=None)


class CheckCommandTests(AssessmentTestCase):
    def test_check_finds_a_drift_and_rebuild_fixes_it(self):
        from django.core.management import CommandError, call_command
        rating = self.rate(self.member_a1, Level.GOOD, 80)
        services.decide(rating, level=Level.GOOD, body=self.du_a, on=DECIDED_ON, by=None)
        call_command("classification", "--check", stdout=io.StringIO())
        Summary.objects.update(count=5)
        with self.assertRaises(CommandError):
            call_command("classification", "--check", stdout=io.StringIO())
        call_command("classification", "--rebuild", stdout=io.StringIO())
        self.assertEqual(Summary.objects.get(level=Level.GOOD).count, 1)


class PublishTests(AssessmentTestCase):
    def test_publish_only_when_all_decided_then_nothing_changes(self):
        rating = self.rate(self.member_a1, Level.GOOD, 80)
        with self.assertRaises(DomainError) as caught:
            services.publish(self.round_a, by=self.binh, on=date(2025, 12, 30))
        self.assertIn("Còn 1 phiếu", caught.exception.message)
        services.decide(rating, level=Level.GOOD, body=self.du_a, on=DECIDED_ON, by=self.binh)
        services.publish(self.round_a, by=self.binh, on=date(2025, 12, 30))
        rating.refresh_from_db()
        self.assertTrue(rating.published)
        with self.assertRaises(DomainError):
            services.decide(rating, level=Level.DONE, body=self.du_a, on=DECIDED_ON, by=self.binh, reason="x")
        with self.assertRaises(DomainError):
            services.self_assess(self.round_a, member=self.member_a2, score=80, level=Level.GOOD, by=None)

    def test_round_dates_in_order_and_year_not_ahead(self):
        with self.assertRaises(DomainError):
            services.create_round(self.commune_b, year=2025, subject=Subject.MEMBERS, by=None,
                                  self_due=date(2025, 12, 10), proposal_due=date(2025, 12, 5))
        with self.assertRaises(DomainError):
            services.create_round(self.commune_b, year=2099, subject=Subject.MEMBERS, by=None)
        with self.assertRaises(DomainError):  # outside the officer's reach
            services.create_round(self.commune_b, year=2025, subject=Subject.MEMBERS, by=self.binh)


class RecordResultsTests(AssessmentTestCase):
    def test_each_refused_row_is_named_and_nothing_is_written(self):
        rows = [{"member": self.member_a1, "level": Level.GOOD, "score": 80},
                {"member": self.member_b1, "level": Level.GOOD, "score": 80},  # commune B's
                {"member": self.member_a2, "level": Level.EXCELLENT, "score": 60},  # contradicts its score
                {"member": self.member_a1, "level": Level.GOOD, "score": 80}]  # twice
        with self.assertRaises(DomainError) as caught:
            services.record_results(self.round_a, rows, body=self.du_a, decided_on=DECIDED_ON, by=None)
        messages = [e.message for e in caught.exception.each()]
        self.assertEqual([m.split(":")[0] for m in messages], ["Dòng 2", "Dòng 3", "Dòng 4"])
        self.assertFalse(Rating.objects.exists())
        self.assertFalse(Summary.objects.filter(count__gt=0).exists())
        n = services.record_results(self.round_a, rows[:1], body=self.du_a, decided_on=DECIDED_ON, by=None)
        self.assertEqual(n, 1)
