"""The short paths W4 made the services take write exactly what the long ones wrote.

A new event only appends to the placements instead of rewriting them from the whole history; a
new member's placements come from its first events; restructuring names members in chunks and a
merge moves all children of a unit in one rewrite. Each test compares against the long way
(`rebuild_periods`, child-by-child moves) or a recount of the tallies.
"""

import random
from datetime import date, timedelta
from unittest import mock

from core.errors import DomainError
from dangvu.testing import BaseTestCase, make_member, make_unit
from members import history, services, tally
from members.models import EventKind, Member, MemberEvent, MemberPeriod, Status
from orgs.models import Kind, OrgUnitVersion
from orgs.services import close_unit, merge_units, move_unit, split_unit

# Events a current member may get, in the random histories; leaving for good (struck off) is rarer.
ACTIVE_EVENTS = [EventKind.MOVED, EventKind.EXCUSED, EventKind.RESUMED, EventKind.TEMP_OUT, EventKind.TEMP_BACK,
                 EventKind.RECOGNIZED, EventKind.TRANSFERRED_OUT]


def placements(member) -> list[tuple]:
    return sorted(MemberPeriod.objects.filter(member=member).values_list("unit_id", "status", "valid_from", "valid_to"))


def rebuilt(member) -> list[tuple]:
    """The placements the long way writes: every event replayed."""
    events = list(MemberEvent.objects.filter(member=member).order_by("on", "id"))
    return sorted(history.periods(events))


class PlacementTests(BaseTestCase):
    def test_after_every_random_event_the_placements_equal_a_rebuild_from_the_events(self):
        rng = random.Random(4)
        cells = [self.cell_a1, self.cell_a2, self.cell_b1]
        people = [make_member(rng.choice(cells), f"Người Thứ {i}", status=rng.choice([Status.OFFICIAL, Status.PROBATIONARY]),
                              admitted_on=date(2025, 7, 1)) for i in range(8)]
        day = date(2026, 7, 2)  # after the recognitions make_member records
        seen = set()
        for _ in range(120):
            day += timedelta(days=rng.choice([0, 0, 1, 9]))  # several events often fall on one day
            m = Member.objects.get(pk=rng.choice(people).pk)
            if m.status == Status.STRUCK_OFF:
                continue  # re-admission needs 36 months outside
            kind = rng.choice([k for k in ACTIVE_EVENTS if k in history.ALLOWED[m.status]] or
                              sorted(history.ALLOWED[m.status]))
            if m.is_active and rng.random() < 0.03:
                kind = EventKind.STRUCK_OFF
            kw = {}
            if kind in (EventKind.MOVED, EventKind.TRANSFERRED_IN):
                kw["unit"] = rng.choice([c for c in cells if c.pk != m.unit_id])
            if kind == EventKind.TRANSFERRED_IN:
                kw["status_after"] = rng.choice([Status.OFFICIAL, Status.PROBATIONARY])
            with mock.patch("django.utils.timezone.localdate", return_value=day):
                services.record_event(m, kind, on=day, by=None, **kw)
            self.assertEqual(placements(m), rebuilt(m), f"after {kind} on {day}")
            seen.add(kind)
        self.assertGreaterEqual(len(seen), 7, seen)
        self.assertEqual(tally.check(), [])

    def test_two_moves_on_one_day_leave_no_placement_of_a_single_day_backwards(self):
        m = self.member_a1
        services.record_event(m, EventKind.MOVED, on=date.today(), unit=self.cell_a2, by=self.binh)
        services.record_event(m, EventKind.MOVED, on=date.today(), unit=self.cell_a1, by=self.binh)
        self.assertEqual(placements(m), rebuilt(m))
        self.assertEqual(MemberPeriod.objects.get(member=m, valid_to__isnull=True).unit, self.cell_a1)

    def test_an_event_keeping_unit_and_status_leaves_the_placements_alone(self):
        m = self.member_a1
        before = placements(m)
        services.record_event(m, EventKind.EXCUSED, on=date.today(), by=self.binh)
        self.assertEqual(placements(m), before)

    def test_placements_out_of_step_with_the_events_are_rebuilt_by_the_next_event(self):
        m = self.member_a2
        MemberPeriod.objects.filter(member=m).delete()
        services.record_event(m, EventKind.RECOGNIZED if m.status == Status.PROBATIONARY else EventKind.EXCUSED,
                              on=date.today(), by=self.binh)
        self.assertEqual(placements(m), rebuilt(m))
        self.assertTrue(placements(m))

    def test_a_new_member_gets_the_placements_a_rebuild_would_write(self):
        m = make_member(self.cell_a1, "Hà Văn Mới", admitted_on=date(2019, 3, 2))
        self.assertEqual(placements(m), rebuilt(m))
        self.assertEqual(min(p[2] for p in placements(m)), date(2019, 3, 2))
        prob = make_member(self.cell_a2, "Hà Thị Mới", status=Status.PROBATIONARY, admitted_on=date(2026, 1, 5))
        self.assertEqual(placements(prob), rebuilt(prob))

    def test_an_event_writes_only_the_columns_it_changes(self):
        m = self.member_a1
        Member.objects.filter(pk=m.pk).update(phone="0912000111")  # the caller's instance no longer has it
        services.record_event(m, EventKind.MOVED, on=date.today(), unit=self.cell_a2, by=self.binh)
        m = Member.objects.get(pk=m.pk)
        self.assertEqual((m.unit, m.org_path, m.phone), (self.cell_a2, self.cell_a2.path, "0912000111"))


class ProfileEditTests(BaseTestCase):
    def test_changing_the_profile_dates_moves_the_events_and_placements(self):
        m = self.member_a1
        services.update_member(m, {"admitted_on": date(2025, 7, 2), "recognized_on": date(2026, 7, 2)}, by=self.binh)
        self.assertEqual(list(m.events.order_by("on").values_list("kind", "on")),
                         [(EventKind.ADMITTED, date(2025, 7, 2)), (EventKind.RECOGNIZED, date(2026, 7, 2))])
        self.assertEqual(placements(m), rebuilt(m))

    def test_an_edit_of_another_field_keeps_the_events(self):
        m = self.member_a1
        before = list(m.events.values_list("kind", "on"))
        services.update_member(m, {"ethnicity": "Tày"}, by=self.binh)
        self.assertEqual(list(m.events.values_list("kind", "on")), before)

    def test_an_edit_writes_the_columns_it_changes_and_those_derived_from_them(self):
        m = Member.objects.select_related("unit").get(pk=self.member_a1.pk)
        Member.objects.filter(pk=m.pk).update(phone="0912000111")  # written meanwhile, not in this instance
        services.update_member(m, {"full_name": "Nguyễn Văn Ánh Mới", "degree": "thac_si"}, by=self.binh)
        m = Member.objects.get(pk=m.pk)
        self.assertEqual((m.full_name, m.folded_name, m.education_level), ("Nguyễn Văn Ánh Mới", "nguyen van anh moi",
                                                                           "thac_si"))
        self.assertEqual(m.phone, "0912000111")
        self.assertEqual(tally.check(), [])

    def test_a_member_keeps_their_own_citizen_id_and_may_not_take_another_one(self):
        services.update_member(self.member_a1, {"citizen_id": "001080012345"}, by=self.binh)
        services.update_member(self.member_a1, {"phone": "0912345678"}, by=self.binh)
        with self.assertRaisesMessage(DomainError, "đã có trong hồ sơ"):
            services.update_member(self.member_a2, {"citizen_id": "001080012345"}, by=self.binh)


class RestructuringPathTests(BaseTestCase):
    def test_a_merge_names_members_a_chunk_at_a_time_and_moves_them_all(self):
        extra = [make_member(self.cell_a2, f"Người Thêm {i}") for i in range(4)]
        with mock.patch("members.services.ID_CHUNK", 2):
            merge_units(self.cell_a2, self.cell_a1, on=date(2026, 1, 1), by=self.admin)
        for m in [self.member_a2, *extra]:
            m = Member.objects.get(pk=m.pk)
            self.assertEqual((m.unit, m.org_path), (self.cell_a1, self.cell_a1.path))
            self.assertEqual(m.events.filter(kind=EventKind.MOVED).count(), 1)
            self.assertEqual(placements(m), rebuilt(m))
        self.assertEqual(tally.check(), [])

    def test_a_merge_moves_every_open_child_as_moving_them_one_by_one_would(self):
        # Commune A gets a closed cell between two open ones, and a grandchild under its first cell.
        closed = make_unit(self.commune_a, "Chi bộ đã giải thể")
        close_unit(closed, on=date(2025, 8, 1), by=self.admin)
        late = make_unit(self.commune_a, "Chi bộ thôn An Mỹ")
        group = make_unit(self.cell_a1, "Tổ đảng 1", Kind.GROUP)
        moved = make_member(late, "Đinh Văn Muộn")
        merge_units(self.commune_a, self.commune_b, on=date(2026, 1, 1), by=self.admin)
        b = self.commune_b.path
        for unit in (self.cell_a1, self.cell_a2, late):
            unit.refresh_from_db()
            self.assertEqual((unit.parent, unit.path, unit.depth), (self.commune_b, b + unit.path[-5:], 2))
            self.assertEqual(unit.version_on(date(2026, 1, 1)).path, unit.path)
            self.assertEqual(unit.version_on(date(2025, 12, 31)).parent, self.commune_a)
        group.refresh_from_db()
        self.assertEqual((group.path, group.depth), (self.cell_a1.path + group.path[-5:], 3))
        closed.refresh_from_db()
        self.assertEqual((closed.parent, closed.path), (self.commune_a, self.commune_a.path + closed.path[-5:]))
        self.assertEqual(Member.objects.get(pk=moved.pk).org_path, late.path)
        self.assertFalse(MemberEvent.objects.filter(org_path__startswith=self.commune_a.path + self.cell_a1.path[-5:])
                         .exists())
        self.assertEqual(tally.check(), [])
        self.assertEqual(OrgUnitVersion.objects.filter(unit=self.cell_a1, valid_to__isnull=True).count(), 1)

    def test_a_merge_that_would_make_the_tree_too_deep_is_refused_and_changes_nothing(self):
        # Commune A's cells (one with a tổ đảng) merged into a school's đảng bộ of commune B go one level deeper.
        school = make_unit(self.commune_b, "Đảng bộ Trường THCS Bình Sơn", Kind.GRASSROOTS_COMMITTEE)
        make_unit(self.cell_a1, "Tổ đảng 1", Kind.GROUP)
        with mock.patch("orgs.services.MAX_DEPTH", 4):
            with self.assertRaisesMessage(DomainError, "quá sâu"):
                merge_units(self.commune_a, school, on=date(2026, 1, 1), by=self.admin)
        self.cell_a1.refresh_from_db()
        self.assertEqual(self.cell_a1.parent, self.commune_a)

    def test_moving_and_splitting_still_keep_the_tallies(self):
        move_unit(self.cell_a2, self.commune_b, on=date(2026, 1, 1), by=self.admin)
        split_unit(self.cell_a1, [{"name": "Chi bộ thôn An Phú 2", "members": [self.member_a1.pk]}],
                   on=date(2026, 1, 2), by=self.admin)
        self.assertEqual(tally.check(), [])
        self.assertEqual(placements(self.member_a1), rebuilt(self.member_a1))
