"""The work list kinds: each item due on its deadline, overdue from the next day, seen by both units only."""

from datetime import date, timedelta

from access.rules import Role
from core import worklist
from dangvu.testing import make_user
from transfers import services
from transfers.models import Kind, Purpose
from transfers.tests.world import ACCEPTED, TransferTestCase
from transfers.worklist import ACCEPTANCE, LETTER, TEMPORARY_END

LETTER_DUE = date(2026, 11, 16)


class WorklistTests(TransferTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.secretary_a2 = make_user("thu", cls.cell_a2, Role.CELL_SECRETARY)

    def items(self, user, today, kind):
        return [i for i in worklist.collect(user, today, kind=kind)]

    def test_a_letter_not_presented_is_due_30_working_days_after_it_and_overdue_the_next_day(self):
        self.start()
        for user in (self.binh, self.dung, self.an, self.chi):
            [item] = self.items(user, LETTER_DUE, LETTER)
            self.assertEqual((item.due, item.overdue), (LETTER_DUE, False))
            [item] = self.items(user, LETTER_DUE + timedelta(days=1), LETTER)
            self.assertTrue(item.overdue)
        self.assertEqual(self.items(self.secretary_a2, LETTER_DUE, LETTER), [])
        self.assertEqual(self.items(self.dung, LETTER_DUE, LETTER)[0].unit_name, "Chi bộ thôn Bình Tây")
        self.assertEqual(self.items(self.binh, LETTER_DUE, LETTER)[0].unit_name, "Chi bộ thôn An Phú")

    def test_a_letter_due_beyond_30_days_is_not_listed_yet(self):
        self.start()
        self.assertEqual(self.items(self.binh, LETTER_DUE - timedelta(days=31), LETTER), [])
        self.assertEqual(len(self.items(self.binh, LETTER_DUE - timedelta(days=30), LETTER)), 1)

    def test_a_presented_letter_leaves_the_letters_and_awaits_acceptance(self):
        t = services.present(self.start(), on=date(2026, 10, 12), by=self.dung)
        self.assertEqual(self.items(self.binh, LETTER_DUE, LETTER), [])
        [item] = self.items(self.dung, t.accept_due, ACCEPTANCE)
        self.assertFalse(item.overdue)
        self.assertTrue(self.items(self.binh, t.accept_due + timedelta(days=1), ACCEPTANCE)[0].overdue)
        services.accept(t, on=ACCEPTED, by=self.dung)
        self.assertEqual(self.items(self.dung, t.accept_due, ACCEPTANCE), [])

    def test_a_temporary_transfer_ending(self):
        until = date(2027, 3, 1)
        t = self.start(kind=Kind.TEMPORARY, purpose=Purpose.WORK, temp_from=ACCEPTED, temp_until=until)
        services.accept(t, on=ACCEPTED, by=self.dung)
        for user in (self.binh, self.dung):
            [item] = self.items(user, until, TEMPORARY_END)
            self.assertEqual((item.due, item.overdue), (until, False))
            self.assertTrue(self.items(user, until + timedelta(days=1), TEMPORARY_END)[0].overdue)
        services.record_return(t, on=date(2026, 11, 30), by=self.binh)
        self.assertEqual(self.items(self.binh, until, TEMPORARY_END), [])
