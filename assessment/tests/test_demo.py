"""The demo's review results (assessment/demo.py), as `make run` loads them through the load_demo command."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from assessment import figures, results
from assessment.demo import demo
from assessment.models import Rating, Round
from assessment.rules import Level, Subject
from core import worklist
from members.demo import DEMO_CODE
from orgs.models import Kind, OrgUnit


class AssessmentDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.province = OrgUnit.objects.get(code=DEMO_CODE)
        users = get_user_model().objects
        cls.tinh, cls.xa_a = users.get(username="tinh"), users.get(username="xa_a")

    def test_five_years_of_results_within_the_quota_with_streaks(self):
        for year in range(2021, 2026):
            for subject in Subject.values:
                d = results.distribution(self.province, self.tinh, year, subject)
                self.assertGreater(d.total, 10, (year, subject))
                self.assertEqual(sum(r.percent for r in d.rows), 100)
                self.assertLessEqual(d.count(Level.EXCELLENT) * 5, d.count(Level.GOOD), (year, subject))
                self.assertGreater(d.count(Level.DONE, Level.FAILED), 0, (year, subject))
        self.assertTrue(results.streaks(self.province, self.tinh, 2025, Subject.MEMBERS))
        self.assertTrue(results.streaks(self.province, self.tinh, 2025, Subject.ORGANIZATIONS))
        call_command("classification", "--check", stdout=StringIO())

    def test_share_of_grassroots_organizations_last_year(self):
        share = figures.share_good_or_better(self.province, self.tinh, 2025, grassroots_only=True)
        self.assertGreater(share.total, 0)
        self.assertIsNotNone(share.percent)

    def test_legacy_levels_are_kept(self):
        self.assertTrue(Rating.objects.filter(round__year=2016, result="tsvm").exists())
        self.assertFalse(Rating.objects.filter(round__year=2016, decided_level__gt="").exists())

    def test_this_years_round_is_open_with_an_overdue_step_on_the_work_list(self):
        open_rounds = Round.objects.filter(published_on__isnull=True)
        self.assertEqual(open_rounds.count(), 2)
        from django.utils import timezone
        items = [i for i in worklist.collect(self.xa_a, timezone.localdate()) if i.kind.startswith("assessment.")]
        self.assertTrue(any(i.overdue and i.kind == "assessment.self" for i in items), items)
        self.assertTrue(any(not i.overdue and i.kind == "assessment.proposal" for i in items), items)

    def test_a_second_run_changes_nothing(self):
        before = Rating.objects.count()
        demo()
        self.assertEqual(Rating.objects.count(), before)
        self.assertTrue(OrgUnit.objects.filter(kind=Kind.COMMUNE).exists())

    def test_commendations_and_models(self):
        from assessment.models import Commendation, MobilizationModel
        self.assertEqual(Commendation.objects.count(), 17)
        self.assertEqual(MobilizationModel.objects.count(), 10)
        self.assertEqual(set(MobilizationModel.objects.values_list("status", flat=True)),
                         {"dang_ky", "tham_dinh", "cong_nhan"})
