"""The demo's oversight work (oversight/demo.py), as `make run` loads it through the load_demo command."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from access.models import ApiToken
from core import worklist
from oversight.demo import load_oversight_demo
from oversight.models import Case, DisciplineDecision, Petition


class OversightDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        users = get_user_model().objects
        cls.kiemtra_a, cls.xa_a = users.get(username="kiemtra_a"), users.get(username="xa_a")

    def get(self, user, url):
        return self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")

    def test_the_demo_has_a_year_of_work_and_runs_once(self):
        counts = (Case.objects.count(), DisciplineDecision.objects.count(), Petition.objects.count())
        self.assertEqual(counts, (5, 3, 5))
        self.assertFalse(load_oversight_demo())
        self.assertEqual((Case.objects.count(), DisciplineDecision.objects.count(), Petition.objects.count()), counts)

    def test_kiemtra_a_sees_commune_a_and_xa_a_nothing(self):
        self.assertEqual(self.get(self.kiemtra_a, "/api/v1/discipline").json()["count"], 3)
        self.assertEqual(self.get(self.kiemtra_a, "/api/v1/petitions").json()["count"], 3)
        self.assertEqual(self.get(self.xa_a, "/api/v1/discipline").json()["count"], 0)
        decision = DisciplineDecision.objects.first()
        self.assertEqual(self.get(self.xa_a, f"/api/v1/discipline/{decision.pk}").status_code, 404)
        self.assertEqual(self.get(self.kiemtra_a, f"/api/v1/discipline/{decision.pk}").status_code, 200)

    def test_the_work_list_shows_the_due_items_to_the_inspection_officer_only(self):
        today = timezone.localdate()
        ours = {"oversight.case", "oversight.appeal", "oversight.petition"}
        kinds = {i.kind for i in worklist.collect(self.kiemtra_a, today)}
        self.assertTrue(ours <= kinds, kinds)
        self.assertFalse({i.kind for i in worklist.collect(self.xa_a, today)} & ours)
