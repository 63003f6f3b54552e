"""Cascades (the parts may not exceed the whole), values of the wrong kind, roll-up, comparison and the values
computed from the records."""

from datetime import date
from decimal import Decimal

from audit.models import AuditEntry
from core.errors import DomainError
from dangvu.testing import make_member
from members.choices import Gender
from targets import computed, services, tables
from targets.models import Target, TargetValue
from targets.rules import Kind, Mode, Source, Status
from targets.tests.world import TargetsTestCase


class CascadeTests(TargetsTestCase):
    def test_parts_that_exceed_the_whole_are_refused_and_nothing_is_written(self):
        whole = self.target(plans={2024: 100})
        with self.assertRaises(DomainError) as e:
            services.cascade(whole, mode=Mode.ALLOCATE, parts=[(self.commune_a, {2024: 60}), (self.commune_b, {2024: 41})],
                             by=self.an)
        self.assertIn("101", e.exception.message)
        self.assertIn("vượt chỉ tiêu chung 100", e.exception.message)
        self.assertFalse(Target.objects.filter(parent=whole).exists())

    def test_parts_equal_to_the_whole_are_accepted(self):
        whole = self.target(plans={2024: 100})
        parts = services.cascade(whole, mode=Mode.ALLOCATE,
                                 parts=[(self.commune_a, {2024: 60}), (self.commune_b, {2024: 40})], by=self.an)
        self.assertEqual([p.unit for p in parts], [self.commune_a, self.commune_b])
        self.assertEqual(parts[0].plans.get().value, 60)
        self.assertEqual(parts[0].document, self.plan)
        self.assertTrue(AuditEntry.objects.filter(action="targets.target.cascaded").exists())

    def test_a_later_part_counts_what_was_given_before(self):
        whole = self.target(plans={2024: 100})
        services.cascade(whole, mode=Mode.ALLOCATE, parts=[(self.commune_a, {2024: 70})], by=self.an)
        with self.assertRaises(DomainError) as e:
            services.cascade(whole, mode=Mode.ALLOCATE, parts=[(self.commune_b, {2024: 31})], by=self.an)
        self.assertIn("đã giao trước", e.exception.message)
        services.cascade(whole, mode=Mode.ALLOCATE, parts=[(self.commune_b, {2024: 30})], by=self.an)

    def test_a_threshold_gives_every_part_the_same_plan_and_their_own_document(self):
        whole = self.target(plans={2024: 95}, kind=Kind.PERCENT, name="Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ")
        parts = services.cascade(whole, mode=Mode.THRESHOLD, parts=[(self.commune_a, None), (self.commune_b, None)],
                                 documents={self.commune_a.pk: self.plan_a}, by=self.an)
        self.assertEqual([p.plans.get().value for p in parts], [95, 95])
        self.assertEqual([p.document for p in parts], [self.plan_a, self.plan])

    def test_a_part_belongs_to_the_units_own_plan_or_one_above_never_a_neighbours(self):
        whole = self.target(plans={2024: 95}, kind=Kind.PERCENT)
        with self.assertRaises(DomainError) as e:
            services.cascade(whole, mode=Mode.THRESHOLD, parts=[(self.commune_a, None)],
                             documents={self.commune_a.pk: self.plan_b}, by=self.an)
        self.assertIn("31-KH/ĐU", e.exception.message)
        self.assertFalse(Target.objects.filter(parent=whole).exists())

    def test_a_percentage_cannot_be_allocated(self):
        whole = self.target(plans={2024: 95}, kind=Kind.PERCENT)
        with self.assertRaises(DomainError):
            services.cascade(whole, mode=Mode.ALLOCATE, parts=[(self.commune_a, {2024: 50})], by=self.an)

    def test_only_units_below_receive_a_part_and_only_once(self):
        mine = self.target(unit=self.commune_a, plans={2024: 10}, document=self.plan_a)
        with self.assertRaises(DomainError):
            services.cascade(mine, mode=Mode.THRESHOLD, parts=[(self.cell_b1, None)], by=self.an)
        services.cascade(mine, mode=Mode.THRESHOLD, parts=[(self.cell_a1, None)], by=self.an)
        with self.assertRaises(DomainError) as e:
            services.cascade(mine, mode=Mode.THRESHOLD, parts=[(self.cell_a1, None)], by=self.an)
        self.assertIn("đã được giao", e.exception.message)

    def test_a_commune_officer_cannot_cascade_the_provinces_target(self):
        whole = self.target(plans={2024: 100})
        with self.assertRaises(DomainError):
            services.cascade(whole, mode=Mode.ALLOCATE, parts=[(self.commune_a, {2024: 10})], by=self.binh)


class ValueTests(TargetsTestCase):
    def test_text_for_a_count_is_refused_and_nothing_written(self):
        t = self.target()
        with self.assertRaises(DomainError) as e:
            services.enter_value(t, value="khoảng mười", year=2024, by=self.an)
        self.assertIn("không phải là số", e.exception.message)
        self.assertFalse(TargetValue.objects.exists())

    def test_140_percent_is_refused(self):
        t = self.target(kind=Kind.PERCENT, plans={2024: 95})
        with self.assertRaises(DomainError):
            services.enter_value(t, value="140", year=2024, by=self.an)
        self.assertFalse(TargetValue.objects.exists())

    def test_a_year_outside_the_target_or_not_yet_begun_is_refused(self):
        t = self.target(plans={2024: 100})
        with self.assertRaises(DomainError):
            services.enter_value(t, value=5, year=2023, by=self.an)
        later = self.target(plans={2030: 100}, name="Sau này")
        with self.assertRaises(DomainError):
            services.enter_value(later, value=5, year=2030, by=self.an)

    def test_entering_the_period_again_replaces_the_figure(self):
        t = self.target()
        services.enter_value(t, value=90, year=2024, by=self.an)
        services.enter_value(t, value=100, year=2024, evidence="Báo cáo 12-BC/TU", by=self.an)
        self.assertEqual(TargetValue.objects.get().value, 100)
        self.assertEqual(AuditEntry.objects.filter(action="targets.value.entered").count(), 2)


class RollupTests(TargetsTestCase):
    def test_the_sum_of_the_parts_is_the_wholes_figure_once_every_part_reported(self):
        whole = self.target(plans={2024: 100})
        a, b = services.cascade(whole, mode=Mode.ALLOCATE,
                                parts=[(self.commune_a, {2024: 60}), (self.commune_b, {2024: 40})], by=self.an)
        services.enter_value(a, value=65, year=2024, by=self.an)
        [row] = tables.rows([whole], 2024, self.an)
        self.assertEqual((row.rolled, row.reported, row.status), (65, 1, Status.NO_FIGURE))
        services.enter_value(b, value=30, year=2024, by=self.an)
        [row] = tables.rows([whole], 2024, self.an)
        self.assertEqual((row.rolled, row.reported, row.value, row.status), (95, 2, 95, Status.NOT_ACHIEVED))
        self.assertEqual([c.status for c in row.children], [Status.EXCEEDED, Status.NOT_ACHIEVED])
        services.enter_value(b, value=35, year=2024, by=self.an)
        [row] = tables.rows([whole], 2024, self.an)
        self.assertEqual((row.value, row.status), (100, Status.ACHIEVED))

    def test_the_rollup_goes_down_every_level(self):
        whole = self.target(plans={2024: 10})
        [a] = services.cascade(whole, mode=Mode.ALLOCATE, parts=[(self.commune_a, {2024: 10})], by=self.an)
        a1, a2 = services.cascade(a, mode=Mode.ALLOCATE, parts=[(self.cell_a1, {2024: 5}), (self.cell_a2, {2024: 5})],
                                  by=self.an)
        services.enter_value(a1, value=6, year=2024, by=self.an)
        services.enter_value(a2, value=5, year=2024, by=self.an)
        [row] = tables.rows([whole], 2024, self.an)
        self.assertEqual((row.value, row.status), (11, Status.EXCEEDED))

    def test_a_threshold_rolls_up_as_the_share_of_parts_meeting_it(self):
        whole = self.target(plans={2024: 95}, kind=Kind.PERCENT)
        a, b = services.cascade(whole, mode=Mode.THRESHOLD, parts=[(self.commune_a, None), (self.commune_b, None)],
                                by=self.an)
        services.enter_value(a, value="96", year=2024, by=self.an)
        services.enter_value(b, value="94,5", year=2024, by=self.an)
        [row] = tables.rows([whole], 2024, self.an)
        self.assertEqual((row.met, len(row.children), row.status), (1, 2, Status.NO_FIGURE))


class SetTests(TargetsTestCase):
    def test_the_summary_counts_the_not_achieved_of_the_set(self):
        for i, (plan, value) in enumerate([(10, 9), (10, 10), (10, 11)]):
            t = self.target(plans={2024: plan}, name=f"Chỉ tiêu {i}")
            services.enter_value(t, value=value, year=2024, by=self.an)
        self.target(plans={2024: 5}, name="Chưa nhập")
        s = tables.summary(tables.rows(tables.unit_targets(self.province, self.an, 2024), 2024, self.an))
        self.assertEqual(s.text, "1/4 chỉ tiêu chưa đạt")
        self.assertEqual([r.target.name for r in s.not_achieved], ["Chỉ tiêu 0"])
        self.assertEqual(s.counts[Status.NO_FIGURE], 1)

    def test_the_set_is_compared_with_the_year_before(self):
        for i in range(3):
            self.target(plans={2023: 1}, name=f"2023 số {i}")
        for i in range(5):
            self.target(plans={2024: 1}, name=f"2024 số {i}")
        own = Target.objects.filter(unit=self.province)
        self.assertEqual(tables.compare_years(own, 2024).text, "5 chỉ tiêu, tăng 2 so với năm 2023")
        self.assertEqual(tables.compare_years(own, 2025).text, "0 chỉ tiêu, giảm 5 so với năm 2024")


class ComputedTests(TargetsTestCase):
    def test_admissions_are_counted_under_the_unit_in_the_period(self):
        # The world admits three members in A and one in B on 01/7/2025.
        make_member(self.cell_a1, "Võ Văn Em", admitted_on=date(2024, 3, 2), gender=Gender.MALE)
        count = computed.get("ket_nap").fn
        self.assertEqual(count(self.commune_a, date(2025, 1, 1), date(2025, 12, 31), None), 3)
        self.assertEqual(count(self.commune_a, date(2024, 1, 1), date(2024, 12, 31), None), 1)
        self.assertEqual(count(self.commune_b, date(2025, 1, 1), date(2025, 12, 31), None), 1)
        self.assertEqual(count(self.commune_a, date(2025, 7, 2), date(2025, 12, 31), None), 0)
        self.assertEqual(count(self.commune_a, date(2025, 1, 1), date(2025, 12, 31), self.dung), 0)  # not dung's

    def test_a_computed_target_shows_the_records_and_stores_them_on_request(self):
        t = self.target(unit=self.commune_a, document=self.plan_a, plans={2025: 3}, source=Source.COMPUTED,
                        computed_key="ket_nap")
        [row] = tables.rows([t], 2025, self.an)
        self.assertEqual((row.value, row.status), (3, Status.ACHIEVED))
        stored = services.record_computed(t, 2025, by=self.an)
        self.assertTrue(stored.computed)
        self.assertEqual(stored.period_end, date(2025, 12, 31))

    def test_members_as_a_share_of_population(self):
        t = self.target(unit=self.commune_a, document=self.plan_a, plans={2026: 4}, kind=Kind.POPULATION_SHARE,
                        source=Source.COMPUTED, computed_key="dang_vien_dan_so")
        with self.assertRaises(DomainError) as e:
            services.record_computed(t, 2026, by=self.an)
        self.assertIn("dân số", e.exception.message)
        services.record_population(self.commune_a, on=date(2026, 1, 1), value=80, source="Công an xã", by=self.an)
        self.assertEqual(services.compute(t, 2026, self.an), Decimal("3.75"))  # 3 members of 80 people

    def test_a_computed_target_needs_a_known_computation_of_its_kind(self):
        with self.assertRaises(DomainError):
            self.target(source=Source.COMPUTED, computed_key="khong_co")
        with self.assertRaises(DomainError):
            self.target(kind=Kind.PERCENT, source=Source.COMPUTED, computed_key="ket_nap")


class PartialAllocationTests(TargetsTestCase):
    def test_parts_that_cover_only_some_of_the_whole_never_stand_for_it(self):
        whole = self.target(plans={2024: 300})
        [a] = services.cascade(whole, mode=Mode.ALLOCATE, parts=[(self.commune_a, {2024: 40})], by=self.an)
        services.enter_value(a, value=45, year=2024, by=self.an)
        [row] = tables.rows([whole], 2024, self.an)
        self.assertEqual((row.rolled, row.reported, row.value, row.status), (45, 1, None, Status.NO_FIGURE))
