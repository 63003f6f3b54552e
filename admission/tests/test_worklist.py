"""The work list: decisions due 60 working days after receipt, ceremonies, recognitions, for the subtree only;
one item per member for recognition (the members' own item leaves tracked members out)."""

from datetime import date, timedelta

from admission import services
from admission.tests.world import AdmissionTestCase
from admission.worklist import CEREMONY, DECISION, RECOGNITION
from calendars.workdays import add_working_days, is_working_day
from core import worklist
from members.worklist import RECOGNITION as MEMBER_RECOGNITION

RECEIVED = date(2026, 1, 5)


def _next_working_day(d: date) -> date:
    d += timedelta(days=1)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


class WorklistTests(AdmissionTestCase):
    def items(self, user, today, kind=DECISION):
        return [i for i in worklist.collect(user, today, window="30_ngay", kind=kind)]

    def test_a_proposal_received_on_5_january_2026_is_due_60_working_days_later_in_a_and_the_province_only(self):
        c = self.to_submitted(self.make_candidate(), received=RECEIVED)
        due = add_working_days(RECEIVED, 60)
        # Tết 2026 (14/02–22/02) and the weekends fall in between: 60 working days are well past 60 days.
        self.assertGreater(due, RECEIVED + timedelta(days=60 + 7))
        self.assertEqual(c.due_on, due)
        for user in (self.tinh, self.xa_a):
            [item] = self.items(user, due)
            self.assertEqual((item.due, item.overdue, item.unit_id), (due, False, self.cell_a1.pk))
            self.assertIn("Võ Thị Hạnh", item.title)
            [late] = self.items(user, _next_working_day(due))
            self.assertTrue(late.overdue)
        self.assertEqual(self.items(self.xa_b, due), [])
        self.assertEqual(self.items(self.xa_b, _next_working_day(due)), [])

    def test_the_worklist_api_shows_the_decision_due(self):
        c = self.to_submitted(self.make_candidate(), received=RECEIVED)
        body = self.api(self.xa_a, "get", "/api/v1/worklist?kind=admission.decision").json()
        self.assertEqual([(i["kind"], i["due"], i["overdue"], i["unit_id"]) for i in body["items"]],
                         [(DECISION, c.due_on.isoformat(), True, self.cell_a1.pk)])
        self.assertEqual(self.api(self.xa_b, "get", "/api/v1/worklist?kind=admission.decision").json()["count"], 0)

    def test_not_yet_in_view_before_the_horizon(self):
        c = self.to_submitted(self.make_candidate(), received=RECEIVED)
        self.assertEqual(self.items(self.xa_a, c.due_on - timedelta(days=31)), [])
        self.assertEqual(len(self.items(self.xa_a, c.due_on - timedelta(days=30))), 1)

    def test_a_ceremony_to_hold(self):
        c = self.to_submitted(self.make_candidate(), received=RECEIVED)
        services.decide(c, on=date(2026, 2, 10), number="120-QĐ/ĐU", by=self.binh)
        c.refresh_from_db()
        self.assertEqual(self.items(self.xa_a, c.due_on, DECISION), [])
        [item] = self.items(self.xa_a, c.due_on, CEREMONY)
        self.assertEqual(item.due, add_working_days(date(2026, 2, 10), 30))

    def test_recognition_replaces_the_members_own_item_for_the_same_member(self):
        c = self.make_candidate(registered_on=date(2024, 1, 10), application_on=date(2024, 10, 1),
                                cv_on=date(2024, 10, 1), mass_comment_on=date(2024, 10, 1),
                                residence_comment_on=date(2024, 10, 1), verified_on=date(2024, 10, 1),
                                introduction_on=date(2024, 10, 1))
        self.to_submitted(c, vote=date(2024, 12, 2), received=date(2024, 12, 10))
        services.decide(c, on=date(2025, 2, 20), number="88-QĐ/ĐU", by=self.binh)
        services.ceremony(c, on=date(2025, 3, 10), by=self.binh)
        c.refresh_from_db()
        due = add_working_days(date(2026, 3, 10), 30)  # the cell's vote, 30 working days after probation ends
        today = due - timedelta(days=1)
        ours = self.items(self.xa_a, today, RECOGNITION)
        self.assertEqual([i.title for i in ours], ["Chi bộ xét công nhận đảng viên chính thức: Võ Thị Hạnh"])
        self.assertEqual(ours[0].due, due)
        theirs = [i.title for i in self.items(self.xa_a, today, MEMBER_RECOGNITION)]
        self.assertFalse([t for t in theirs if "Võ Thị Hạnh" in t], theirs)
        self.assertEqual(len(self.items(self.xa_a, today, MEMBER_RECOGNITION)), len(theirs))
        services.recognition_vote(c, on=date(2026, 3, 12), votes_for=5, by=self.binh)
        c.refresh_from_db()
        [item] = self.items(self.xa_a, c.due_on, RECOGNITION)
        self.assertTrue(item.title.startswith("Quyết định công nhận"))
