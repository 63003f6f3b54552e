"""The tallies agree with a recount of the members after every kind of change, and roll with the days."""

import random
from datetime import date, timedelta
from unittest import mock

from dangvu.testing import BaseTestCase, make_member, make_unit
from members import tally
from members.choices import EventKind, Gender, Status
from members.models import CubeTally, Member, TallyClock, UnitTally
from members.services import record_event, update_member
from members.stats import breakdown
from orgs.models import Kind
from orgs.services import merge_units, move_unit, split_unit


def counters(unit) -> dict:
    row = UnitTally.objects.filter(unit=unit).values(*UnitTally.COUNTERS).first()
    return row or dict.fromkeys(UnitTally.COUNTERS, 0)


class TallyTests(BaseTestCase):
    def assert_agrees(self):
        self.assertEqual(tally.check(), [])

    def test_the_named_world_is_tallied_up_to_the_province(self):
        self.assert_agrees()
        self.assertEqual(counters(self.province)["total"], 4)
        self.assertEqual(counters(self.commune_a)["probationary"], 1)
        self.assertEqual(counters(self.commune_a)["female"], 1)
        self.assertEqual(counters(self.cell_b1)["total"], 1)

    def test_a_recognition_moves_one_member_from_probationary_to_official_at_every_level(self):
        record_event(self.member_a1_prob, EventKind.RECOGNIZED, on=date.today(), by=self.binh)
        for unit in (self.cell_a1, self.commune_a, self.province):
            self.assertEqual(counters(unit)["probationary"], 0, unit)
        self.assertEqual(counters(self.province)["official"], 4)
        self.assert_agrees()

    def test_leaving_the_party_and_moving_between_communes_are_counted(self):
        record_event(self.member_a2, EventKind.STRUCK_OFF, on=date.today(), by=self.binh)
        record_event(self.member_a1, EventKind.MOVED, on=date.today(), unit=self.cell_b1, by=self.an)
        self.assertEqual(counters(self.commune_a)["total"], 1)
        self.assertEqual(counters(self.commune_b)["total"], 2)
        self.assertEqual(counters(self.province)["total"], 3)
        self.assert_agrees()

    def test_editing_a_counted_attribute_moves_the_member_between_groups(self):
        update_member(self.member_a1, {"gender": Gender.FEMALE, "ethnicity": "Tày", "degree": "thac_si",
                                       "birth_date": date(1999, 1, 1)}, by=self.binh)
        c = counters(self.commune_a)
        self.assertEqual((c["female"], c["minority"]), (2, 1))
        self.assertEqual(CubeTally.objects.get(unit=self.province, ethnicity="Tày").education, "thac_si")
        self.assert_agrees()

    def test_restructuring_moves_the_counts_with_the_units(self):
        other = make_unit(self.province, "Đảng bộ xã Cát Tiên", Kind.COMMUNE)
        move_unit(self.cell_a2, other, on=date.today(), by=self.admin)
        self.assertEqual(counters(other)["total"], 1)
        self.assertEqual(counters(self.commune_a)["total"], 2)
        self.assert_agrees()
        merge_units(self.commune_a, self.commune_b, on=date.today(), by=self.admin)
        self.assertEqual(counters(self.commune_b)["total"], 3)
        self.assertEqual(counters(self.commune_a)["total"], 0)
        self.assert_agrees()
        split_unit(self.cell_b1, [{"name": "Chi bộ thôn Bình Đông", "kind": Kind.CELL,
                                   "members": [self.member_b1.pk]}], on=date.today(), by=self.admin)
        self.assert_agrees()
        self.assertEqual(counters(self.province)["total"], 4)

    def test_a_hundred_random_changes_leave_no_drift(self):
        rng = random.Random(7)
        cells = [self.cell_a1, self.cell_a2, self.cell_b1]
        people = [make_member(rng.choice(cells), f"Người Thứ {i}", birth_date=date(1970 + i, 1 + i % 12, 1 + i % 28),
                              status=rng.choice([Status.OFFICIAL, Status.PROBATIONARY]), admitted_on=date(2024, 1, 1))
                  for i in range(20)]
        for _ in range(100):
            m = Member.objects.get(pk=rng.choice(people).pk)
            if m.status not in (Status.OFFICIAL, Status.PROBATIONARY):
                continue
            action = rng.randrange(4)
            if action == 0:
                record_event(m, EventKind.MOVED, on=date.today(), by=None,
                             unit=rng.choice([c for c in cells if c.pk != m.unit_id]))
            elif action == 1 and m.status == Status.PROBATIONARY:
                record_event(m, EventKind.RECOGNIZED, on=date.today(), by=None)
            elif action == 2:
                update_member(m, {"gender": rng.choice([Gender.MALE, Gender.FEMALE]),
                                  "ethnicity": rng.choice(["Kinh", "Tày", "Mường"])}, by=None)
            elif rng.random() < 0.2:
                record_event(m, EventKind.DECEASED, on=date.today(), by=None)
        self.assert_agrees()

    def test_the_breakdown_from_the_tally_equals_the_count_from_the_members(self):
        from_tally = breakdown(self.province, self.an)
        counted = breakdown(self.province, self.an, on=date.today() - timedelta(days=1))  # counts the members
        self.assertEqual(from_tally.total, counted.total)
        self.assertEqual(from_tally.male, counted.male)

    def test_a_rebuilt_database_builds_its_tallies_on_first_use(self):
        TallyClock.objects.all().delete()
        UnitTally.objects.all().delete()
        self.assertEqual(breakdown(self.province, self.an).total, 4)
        self.assert_agrees()


class AgeRollTests(BaseTestCase):
    def test_a_member_turning_31_moves_band_on_the_birthday_and_not_before(self):
        today = date(2026, 6, 14)
        with mock.patch("django.utils.timezone.localdate", return_value=today):
            tally.rebuild(today)
            m = make_member(self.cell_a1, "Hồ Văn Sinh", birth_date=date(1995, 6, 16), admitted_on=date(2020, 1, 1))
            self.assertEqual(counters(self.province)["band0"], 1)
        with mock.patch("django.utils.timezone.localdate", return_value=today + timedelta(days=1)):
            self.assertEqual(breakdown(self.province, self.an).age_bands["18–30"], 1)
        with mock.patch("django.utils.timezone.localdate", return_value=today + timedelta(days=2)):
            bands = breakdown(self.province, self.an).age_bands
            self.assertEqual((bands["18–30"], bands["31–40"]), (0, 1))
            self.assertEqual(TallyClock.objects.get().ages_on, today + timedelta(days=2))
            self.assertEqual(tally.check(), [])
        self.assertEqual(Member.objects.get(pk=m.pk).birth_md, 616)

    def test_someone_born_on_29_february_ages_on_1_march_in_other_years(self):
        with mock.patch("django.utils.timezone.localdate", return_value=date(2027, 2, 27)):
            tally.rebuild()
            make_member(self.cell_a1, "Lê Thị Nhuận", gender=Gender.FEMALE, birth_date=date(1996, 2, 29),
                        admitted_on=date(2020, 1, 1))
        with mock.patch("django.utils.timezone.localdate", return_value=date(2027, 2, 28)):
            self.assertEqual(breakdown(self.province, self.an).age_bands["18–30"], 1)
        with mock.patch("django.utils.timezone.localdate", return_value=date(2027, 3, 1)):
            bands = breakdown(self.province, self.an).age_bands
            self.assertEqual((bands["18–30"], bands["31–40"]), (0, 1))
            self.assertEqual(tally.check(), [])

    def test_a_clock_far_behind_is_rebuilt(self):
        tally.rebuild(date(2020, 1, 1))
        self.assertEqual(tally.ensure_current(date(2026, 1, 1)), date(2026, 1, 1))
        with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 1, 1)):
            self.assertEqual(tally.check(), [])


class CubeTests(BaseTestCase):
    def test_the_stored_cube_of_the_province_equals_a_group_by_of_its_members(self):
        from members.stats import cube

        update_member(self.member_a1, {"ethnicity": "Tày", "degree": "thac_si"}, by=self.binh)
        stored = cube(self.province, self.an)
        counted = cube(self.province, self.an, on=date.today() - timedelta(days=1))  # a GROUP BY of the members
        self.assertEqual(sum(stored.values()), 4)
        self.assertEqual(stored[("chinh_thuc", "nam", 2, "Tày", "thac_si")], 1)
        self.assertEqual({k[3] for k in stored}, {k[3] for k in counted})
        self.assertEqual(cube(self.cell_a1, self.chi), {("chinh_thuc", "nam", 2, "Tày", "thac_si"): 1,
                                                       ("du_bi", "nu", 2, "Kinh", ""): 1})

    def test_dung_counts_nothing_of_commune_a_in_the_province_cube(self):
        from members.stats import cube

        self.assertEqual(sum(cube(self.province, self.dung).values()), 1)
