"""The work list: a year's figure of an entered target is due when the year ends, until it is entered."""

from datetime import date

from core import worklist
from targets import services
from targets.rules import Source
from targets.tests.world import TargetsTestCase


class WorklistTests(TargetsTestCase):
    def items(self, user, today):
        return [i for i in worklist.collect(user, today) if i.kind == "targets.value"]

    def test_a_figure_is_due_at_the_years_end_until_entered(self):
        t = self.target(unit=self.commune_a, document=self.plan_a, plans={2026: 10})
        self.target(unit=self.commune_a, document=self.plan_a, plans={2026: 3}, name="Theo hồ sơ",
                    source=Source.COMPUTED, computed_key="ket_nap")
        self.assertEqual(self.items(self.binh, date(2026, 11, 30)), [])  # 31/12 beyond the 30 days
        [item] = self.items(self.binh, date(2026, 12, 4))
        self.assertEqual((item.due, item.unit_id, item.overdue), (date(2026, 12, 31), self.commune_a.pk, False))
        [item] = self.items(self.binh, date(2027, 1, 5))
        self.assertTrue(item.overdue)
        self.assertEqual(self.items(self.dung, date(2027, 1, 5)), [])
        services.enter_value(t, value=10, year=2026, by=self.binh)
        self.assertEqual(self.items(self.binh, date(2027, 1, 5)), [])
