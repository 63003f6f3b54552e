"""The demo's transfers (transfers/demo.py), as `make run` loads them through the load_demo command."""

from datetime import date
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from access.models import ApiToken
from transfers.demo import load_transfers_demo
from transfers.models import Status, Transfer


class TransfersDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        users = get_user_model().objects
        cls.xa_a, cls.xa_b = users.get(username="xa_a"), users.get(username="xa_b")

    def get(self, user, url):
        return self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}").json()

    def test_each_step_is_there_once_and_a_second_run_adds_nothing(self):
        statuses = sorted(Transfer.objects.values_list("status", flat=True))
        self.assertEqual(statuses, sorted([Status.ACCEPTED, Status.STARTED, Status.STARTED, Status.PRESENTED,
                                           Status.ACCEPTED, Status.ACCEPTED, Status.CANCELLED]))
        self.assertFalse(load_transfers_demo())
        self.assertEqual(Transfer.objects.count(), 7)

    def test_both_communes_see_the_overdue_letter_from_a_to_b_on_their_work_lists(self):
        for user in (self.xa_a, self.xa_b):
            items = self.get(user, "/api/v1/worklist?window=30_ngay")["items"]
            letters = [i for i in items if i["kind"] == "transfers.letter"]
            self.assertTrue(any(i["overdue"] for i in letters), user.username)
        call_command("tally", "--check", stdout=StringIO())

    def test_the_accepted_member_is_in_b_with_both_communes_in_the_history(self):
        t = Transfer.objects.get(status=Status.ACCEPTED, kind="chinh_thuc", to_unit__isnull=False)
        self.assertTrue(t.member.org_path.startswith(t.to_unit.path))
        self.assertLess(t.accepted_on, date.today())
        units = set(t.member.events.values_list("unit_id", flat=True))
        self.assertIn(t.from_unit_id, units)
        self.assertIn(t.to_unit_id, units)
