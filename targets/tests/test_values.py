"""Values read for a target's kind, and the status of a year on both sides of the plan in both directions."""

from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase

from core.errors import DomainError
from targets.rules import Direction, Kind, Status
from targets.values import compare, figure, parse_value

D = Decimal


class ParseTests(SimpleTestCase):
    def test_a_count_takes_whole_numbers_as_typed(self):
        self.assertEqual(parse_value(Kind.COUNT, "12"), 12)
        self.assertEqual(parse_value(Kind.COUNT, "1.250"), 1250)
        self.assertEqual(parse_value(Kind.COUNT, 7), 7)

    def test_text_for_a_count_is_refused_naming_what_to_type(self):
        with self.assertRaises(DomainError) as e:
            parse_value(Kind.COUNT, "mười hai")
        self.assertIn("không phải là số", e.exception.message)
        self.assertIn("số nguyên", e.exception.message)

    def test_a_fraction_for_a_count_is_refused(self):
        with self.assertRaises(DomainError):
            parse_value(Kind.COUNT, "12,5")

    def test_a_percentage_up_to_100_passes_and_140_is_refused(self):
        self.assertEqual(parse_value(Kind.PERCENT, "95,5%"), D("95.5"))
        self.assertEqual(parse_value(Kind.PERCENT, "100"), 100)
        with self.assertRaises(DomainError) as e:
            parse_value(Kind.PERCENT, "140%")
        self.assertIn("không quá 100%", e.exception.message)
        with self.assertRaises(DomainError):
            parse_value(Kind.POPULATION_SHARE, "100,01")

    def test_yes_no_takes_co_and_khong_only(self):
        self.assertEqual(parse_value(Kind.YES_NO, "Có"), 1)
        self.assertEqual(parse_value(Kind.YES_NO, "không"), 0)
        with self.assertRaises(DomainError):
            parse_value(Kind.YES_NO, "12")

    def test_true_or_false_answers_only_a_yes_no_target(self):
        self.assertEqual(parse_value(Kind.YES_NO, True), 1)
        with self.assertRaises(DomainError):
            parse_value(Kind.COUNT, True)

    def test_negative_and_empty_are_refused(self):
        for raw in ("-3", "", None):
            with self.assertRaises(DomainError):
                parse_value(Kind.COUNT, raw)


class CompareTests(SimpleTestCase):
    def test_at_least_below_at_and_above_the_plan(self):
        self.assertEqual(compare(Direction.AT_LEAST, Kind.COUNT, D(99), D(100)), Status.NOT_ACHIEVED)
        self.assertEqual(compare(Direction.AT_LEAST, Kind.COUNT, D(100), D(100)), Status.ACHIEVED)
        self.assertEqual(compare(Direction.AT_LEAST, Kind.COUNT, D(101), D(100)), Status.EXCEEDED)

    def test_at_most_above_at_and_below_the_plan(self):
        self.assertEqual(compare(Direction.AT_MOST, Kind.PERCENT, D("2.51"), D("2.5")), Status.NOT_ACHIEVED)
        self.assertEqual(compare(Direction.AT_MOST, Kind.PERCENT, D("2.5"), D("2.5")), Status.ACHIEVED)
        self.assertEqual(compare(Direction.AT_MOST, Kind.PERCENT, D("2.49"), D("2.5")), Status.EXCEEDED)

    def test_yes_no_is_met_or_not_never_exceeded(self):
        self.assertEqual(compare(Direction.AT_LEAST, Kind.YES_NO, D(1), D(1)), Status.ACHIEVED)
        self.assertEqual(compare(Direction.AT_LEAST, Kind.YES_NO, D(0), D(1)), Status.NOT_ACHIEVED)


class _T:
    direction, kind = Direction.AT_LEAST, Kind.COUNT


class FigureTests(SimpleTestCase):
    today = date(2026, 12, 4)

    def test_a_running_year_without_the_years_figure_is_not_due(self):
        f = figure(_T, 2026, {2026: D(10)}, [(date(2026, 6, 30), D(4))], self.today)
        self.assertEqual((f.status, f.value, f.final), (Status.NOT_DUE, 4, False))

    def test_a_past_year_without_a_figure_has_none_and_is_not_counted_as_not_achieved(self):
        f = figure(_T, 2025, {2025: D(10)}, [], self.today)
        self.assertEqual(f.status, Status.NO_FIGURE)

    def test_the_years_figure_decides_even_before_the_year_ends(self):
        f = figure(_T, 2026, {2026: D(10)}, [(date(2026, 12, 31), D(9))], self.today)
        self.assertEqual(f.status, Status.NOT_ACHIEVED)

    def test_an_end_of_term_plan_leaves_the_earlier_years_not_due(self):
        f = figure(_T, 2023, {2025: D(4)}, [(date(2023, 12, 31), D(1))], self.today)
        self.assertEqual((f.status, f.planned, f.planned_year), (Status.NOT_DUE, 4, 2025))
        f = figure(_T, 2025, {2025: D(4)}, [(date(2025, 12, 31), D(4))], self.today)
        self.assertEqual(f.status, Status.ACHIEVED)
