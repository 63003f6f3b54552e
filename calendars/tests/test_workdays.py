"""The calendar: weekends, Tết 2026, the announced swaps, counting across Tết, and the cache."""

from datetime import date

from django.db import transaction
from django.test import TestCase, TransactionTestCase

from calendars import workdays
from calendars.models import DayException, DayKind
from calendars.workdays import add_working_days, is_working_day, working_days_between


class WeekendsAndHolidaysTest(TestCase):
    def test_saturday_and_sunday_are_days_off(self):
        self.assertTrue(is_working_day(date(2026, 3, 13)))  # Friday
        self.assertFalse(is_working_day(date(2026, 3, 14)))  # Saturday
        self.assertFalse(is_working_day(date(2026, 3, 15)))  # Sunday
        self.assertTrue(is_working_day(date(2026, 3, 16)))  # Monday

    def test_tet_2026_break_runs_from_14_to_22_february(self):
        # The government's 9-day break: the statutory Tết days 16–20/02 between two weekends.
        self.assertTrue(is_working_day(date(2026, 2, 13)))
        for day in range(14, 23):
            self.assertFalse(is_working_day(date(2026, 2, day)), f"{day}/02/2026 must be off")
        self.assertTrue(is_working_day(date(2026, 2, 23)))

    def test_the_long_breaks_of_2026_are_the_announced_ones(self):
        breaks = workdays.long_breaks(2026)
        self.assertIn((date(2026, 2, 14), date(2026, 2, 22), 9), breaks)  # Tết Bính Ngọ
        self.assertIn((date(2026, 4, 25), date(2026, 4, 27), 3), breaks)  # Giỗ Tổ on Sunday, Monday in lieu
        self.assertIn((date(2026, 4, 30), date(2026, 5, 3), 4), breaks)
        self.assertIn((date(2026, 8, 29), date(2026, 9, 2), 5), breaks)  # with the swap of 22/08

    def test_the_long_breaks_of_2025_are_the_announced_ones(self):
        breaks = workdays.long_breaks(2025)
        self.assertIn((date(2025, 1, 25), date(2025, 2, 2), 9), breaks)  # Tết Ất Tỵ
        self.assertIn((date(2025, 4, 30), date(2025, 5, 4), 5), breaks)  # 2/5 swapped with Saturday 26/4
        self.assertIn((date(2025, 8, 30), date(2025, 9, 2), 4), breaks)

    def test_tet_2025_break_runs_from_25_january_to_2_february(self):
        self.assertTrue(is_working_day(date(2025, 1, 24)))
        for d in (date(2025, 1, 25), date(2025, 1, 27), date(2025, 1, 31), date(2025, 2, 1), date(2025, 2, 2)):
            self.assertFalse(is_working_day(d), d)
        self.assertTrue(is_working_day(date(2025, 2, 3)))

    def test_hung_kings_day_on_a_sunday_is_taken_on_monday(self):
        self.assertFalse(is_working_day(date(2026, 4, 27)))

    def test_the_2025_swap_works_saturday_26_april_and_rests_2_may(self):
        self.assertTrue(is_working_day(date(2025, 4, 26)))
        self.assertFalse(is_working_day(date(2025, 5, 2)))
        self.assertTrue(DayException.objects.filter(day=date(2025, 4, 26), kind=DayKind.WORKING).exists())

    def test_national_day_2025_rests_1_and_2_september(self):
        self.assertFalse(is_working_day(date(2025, 9, 1)))
        self.assertFalse(is_working_day(date(2025, 9, 2)))
        self.assertTrue(is_working_day(date(2025, 9, 3)))


class CountingTest(TestCase):
    def test_sixty_working_days_from_5_january_2026_end_on_6_april(self):
        # Counted by hand from 06/01 (the day after): January 6–9, 12–16, 19–23, 26–30 = 19;
        # February 2–6, 9–13 = 29, Tết 16–20 none, 23–27 = 34; March 2–27 = 54, 30–31 = 56;
        # April 1–3 = 59, Monday 6 April = 60. Without Tết it would be 30/03.
        self.assertEqual(add_working_days(date(2026, 1, 5), 60), date(2026, 4, 6))

    def test_a_deadline_is_overdue_the_next_working_day(self):
        due = add_working_days(date(2026, 1, 5), 60)
        self.assertEqual(add_working_days(due, 1), date(2026, 4, 7))

    def test_counting_starts_the_day_after(self):
        self.assertEqual(add_working_days(date(2026, 3, 13), 0), date(2026, 3, 13))
        self.assertEqual(add_working_days(date(2026, 3, 13), 1), date(2026, 3, 16))  # Friday -> Monday

    def test_working_days_between_undoes_add(self):
        self.assertEqual(working_days_between(date(2026, 1, 5), date(2026, 4, 6)), 60)
        self.assertEqual(working_days_between(date(2026, 4, 6), date(2026, 1, 5)), -60)
        self.assertEqual(working_days_between(date(2026, 2, 13), date(2026, 2, 22)), 0)  # across Tết

    def test_a_negative_count_is_refused(self):
        with self.assertRaises(ValueError):
            add_working_days(date(2026, 1, 5), -1)


class ExceptionsTest(TestCase):
    def test_an_added_day_off_changes_the_count_at_once(self):
        self.assertEqual(add_working_days(date(2026, 1, 5), 60), date(2026, 4, 6))  # the year is now cached
        DayException.objects.create(day=date(2026, 3, 2), kind=DayKind.DAY_OFF, source="thử")
        self.assertFalse(is_working_day(date(2026, 3, 2)))
        self.assertEqual(add_working_days(date(2026, 1, 5), 60), date(2026, 4, 7))

    def test_a_deleted_make_up_day_is_a_saturday_off_again(self):
        self.assertFalse(is_working_day(date(2026, 3, 14)))
        row = DayException.objects.create(day=date(2026, 3, 14), kind=DayKind.WORKING, source="thử")
        self.assertTrue(is_working_day(date(2026, 3, 14)))
        row.delete()
        self.assertFalse(is_working_day(date(2026, 3, 14)))

    def test_a_year_is_read_in_one_query(self):
        workdays.forget()
        with self.assertNumQueries(1):
            for day in range(1, 32):
                is_working_day(date(2026, 1, day))
            add_working_days(date(2026, 1, 5), 60)


class RollbackTest(TransactionTestCase):
    serialized_rollback = True  # the flush after it would take the migration's announced days from later tests

    def test_a_rolled_back_day_off_leaves_nothing_cached(self):
        try:
            with transaction.atomic():
                DayException.objects.create(day=date(2026, 3, 2), kind=DayKind.DAY_OFF, source="thử")
                self.assertFalse(is_working_day(date(2026, 3, 2)))
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
        self.assertTrue(is_working_day(date(2026, 3, 2)))
