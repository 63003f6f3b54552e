"""The demo's candidates: every step in communes A and B, some overdue, in the work lists of xa_a and xa_b."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from admission.demo import load_admission_demo
from admission.models import Candidate, Stage
from core import hooks, worklist
from members import tally
from members.demo import load_demo
from orgs.models import OrgUnit


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        for load in hooks.providers("demo"):  # as `manage.py load_demo` does: the bodies', then ours
            load()
        users = get_user_model().objects
        cls.xa_a, cls.xa_b = users.get(username="xa_a"), users.get(username="xa_b")

    def test_every_step_in_both_communes_and_some_overdue(self):
        a = Candidate.objects.filter(org_path__startswith=OrgUnit.objects.get(code="AH").path)
        b = Candidate.objects.filter(org_path__startswith=OrgUnit.objects.get(code="BS").path)
        self.assertEqual(set(a.values_list("stage", flat=True)),
                         set(Stage.values) - {Stage.STRUCK_OFF, Stage.CLOSED, Stage.RECOG_GRASSROOTS})
        self.assertIn(Stage.STRUCK_OFF, set(b.values_list("stage", flat=True)))
        today = timezone.localdate()
        for rows in (a, b):
            self.assertTrue(any(c.overdue(today) for c in rows))
        self.assertEqual(tally.check(), [])

    def test_the_work_lists_show_our_items_each_in_its_commune(self):
        today = timezone.localdate()
        for user, other in ((self.xa_a, "An Hòa"), (self.xa_b, "Bình Sơn")):
            items = [i for i in worklist.collect(user, today) if i.kind.startswith("admission.")]
            self.assertTrue(any(i.overdue for i in items))
            self.assertTrue({i.kind for i in items} >= {"admission.decision", "admission.ceremony",
                                                         "admission.recognition"}, other)

    def test_a_second_run_adds_nothing(self):
        n = Candidate.objects.count()
        self.assertFalse(load_admission_demo())
        self.assertEqual(Candidate.objects.count(), n)
