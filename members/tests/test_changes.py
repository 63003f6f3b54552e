"""Biến động đảng viên (members.changes): periods, transfers, moved units, visibility."""

from datetime import date

from core.errors import DomainError
from dangvu.testing import BaseTestCase, make_member, make_unit
from members import changes
from members.choices import EventKind, LeaveReason, Status
from members.services import record_event
from orgs.services import merge_units, move_unit


def figures(unit, user, start, end) -> dict:
    return changes.changes(unit, user, start, end).figures


YEAR = (date(2026, 1, 1), date(2026, 12, 31))


class PeriodEdgesTest(BaseTestCase):
    def setUp(self):
        self.new = make_member(self.cell_a1, "Võ Văn Mới", status=Status.PROBATIONARY, admitted_on=date(2026, 3, 2))

    def test_an_admission_counts_on_the_first_and_the_last_day_of_the_period(self):
        for start, end in [(date(2026, 3, 2), date(2026, 3, 31)), (date(2026, 3, 1), date(2026, 3, 2)),
                           (date(2026, 3, 2), date(2026, 3, 2))]:
            self.assertEqual(figures(self.commune_a, self.an, start, end)["admitted"], 1, (start, end))

    def test_not_the_day_before_nor_after(self):
        self.assertEqual(figures(self.commune_a, self.an, date(2026, 2, 1), date(2026, 3, 1))["admitted"], 0)
        self.assertEqual(figures(self.commune_a, self.an, date(2026, 3, 3), date(2026, 3, 31))["admitted"], 0)

    def test_admissions_add_readmissions_and_count_only_the_subtree(self):
        f = figures(self.province, self.an, *YEAR)
        self.assertEqual((f["admitted"], f["readmitted"], f["admissions"]), (1, 0, 1))
        self.assertEqual(figures(self.commune_b, self.an, *YEAR)["admissions"], 0)

    def test_recognitions_of_the_world(self):
        # The world's official members were admitted 01/07/2025 and recognized 01/07/2026.
        day = (date(2026, 7, 1), date(2026, 7, 1))
        self.assertEqual(figures(self.province, self.an, *day)["recognized"], 3)
        self.assertEqual(figures(self.commune_a, self.an, *day)["recognized"], 2)
        self.assertEqual(figures(self.cell_b1, self.an, *day)["recognized"], 1)

    def test_bad_periods_are_refused(self):
        with self.assertRaisesMessage(DomainError, "sau ngày cuối kỳ"):
            changes.changes(self.province, self.an, date(2026, 5, 1), date(2026, 4, 1))
        with self.assertRaisesMessage(DomainError, "chưa đến"):
            changes.changes(self.province, self.an, date(2099, 1, 1), date(2099, 12, 31))


class TransferTest(BaseTestCase):
    def test_a_move_from_a_to_b_is_out_for_a_in_for_b_and_neither_for_the_province(self):
        record_event(self.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_b1, by=self.an)
        a, b, p = (figures(u, self.an, *YEAR) for u in (self.commune_a, self.commune_b, self.province))
        self.assertEqual((a["transferred_out"], a["transferred_in"]), (1, 0))
        self.assertEqual((b["transferred_out"], b["transferred_in"]), (0, 1))
        self.assertEqual((p["transferred_out"], p["transferred_in"]), (0, 0))

    def test_a_move_between_two_cells_of_a_commune_is_internal_to_it(self):
        record_event(self.member_a1, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_a2, by=self.binh)
        a, a1, a2 = (figures(u, self.an, *YEAR) for u in (self.commune_a, self.cell_a1, self.cell_a2))
        self.assertEqual((a["transferred_out"], a["transferred_in"]), (0, 0))
        self.assertEqual((a1["transferred_out"], a2["transferred_in"]), (1, 1))

    def test_a_transfer_out_and_in_within_the_province(self):
        record_event(self.member_a1, EventKind.TRANSFERRED_OUT, on=date(2026, 9, 1), by=self.an, decision_number="9-QĐ")
        before_arrival = figures(self.province, self.an, *YEAR)
        self.assertEqual(before_arrival["transferred_out"], 1)  # in transit: out of the province's count
        record_event(self.member_a1, EventKind.TRANSFERRED_IN, on=date(2026, 9, 10), unit=self.cell_b1, by=self.an,
                     status_after=Status.OFFICIAL)
        a, b, p = (figures(u, self.an, *YEAR) for u in (self.commune_a, self.commune_b, self.province))
        self.assertEqual((a["transferred_out"], a["transferred_in"]), (1, 0))
        self.assertEqual((b["transferred_out"], b["transferred_in"]), (0, 1))
        self.assertEqual((p["transferred_out"], p["transferred_in"]), (0, 0))
        # Out in one period, in the next: each period tells what happened to its count.
        sep = figures(self.province, self.an, date(2026, 9, 1), date(2026, 9, 5))
        self.assertEqual((sep["transferred_out"], sep["transferred_in"]), (1, 0))
        later = figures(self.province, self.an, date(2026, 9, 6), date(2026, 9, 30))
        self.assertEqual((later["transferred_out"], later["transferred_in"]), (0, 1))

    def test_a_member_transferred_in_from_outside_counts_in_everywhere_up(self):
        outsider = make_member(self.cell_b1, "Đỗ Văn Ngoài", admitted_on=date(2010, 1, 4))
        record_event(outsider, EventKind.TRANSFERRED_OUT, on=date(2026, 8, 3), by=self.an)
        # (a member from another province is entered by their transfer in; here: one who left and came back)
        record_event(outsider, EventKind.TRANSFERRED_IN, on=date(2026, 9, 1), unit=self.cell_a1, by=self.an,
                     status_after=Status.OFFICIAL)
        a = figures(self.commune_a, self.an, date(2026, 8, 20), date(2026, 12, 31))
        p = figures(self.province, self.an, date(2026, 8, 20), date(2026, 12, 31))
        self.assertEqual((a["transferred_in"], p["transferred_in"]), (1, 1))

    def test_temporary_transfers(self):
        record_event(self.member_b1, EventKind.TEMP_OUT, on=date(2026, 8, 4), by=self.dung)
        record_event(self.member_b1, EventKind.TEMP_BACK, on=date(2026, 11, 2), by=self.dung)
        b = figures(self.commune_b, self.dung, *YEAR)
        self.assertEqual((b["temp_out"], b["temp_back"], b["transferred_out"]), (1, 1, 0))


class LeavingFiguresTest(BaseTestCase):
    def test_leavings_by_kind_and_reason(self):
        record_event(self.member_a1, EventKind.EXPELLED, on=date(2026, 8, 1), by=self.binh, decision_number="5-QĐ/ĐU",
                     reason=LeaveReason.CORRUPTION)
        record_event(self.member_a2, EventKind.STRUCK_OFF, on=date(2026, 8, 2), by=self.binh,
                     decision_number="6-QĐ/ĐU", reason=LeaveReason.QUIT_ACTIVITY)
        record_event(self.member_b1, EventKind.DECEASED, on=date(2026, 8, 3), by=self.dung)
        c = changes.changes(self.province, self.an, *YEAR)
        f = c.figures
        self.assertEqual((f["expelled"], f["struck_off"], f["deceased"], f["resigned"], f["left"]), (1, 1, 1, 0, 3))
        self.assertEqual(c.by_reason, {LeaveReason.CORRUPTION: 1, LeaveReason.QUIT_ACTIVITY: 1, "": 1})
        self.assertEqual(figures(self.commune_a, self.binh, *YEAR)["left"], 2)
        self.assertEqual(figures(self.commune_b, self.dung, *YEAR)["left"], 1)

    def test_the_events_behind_a_figure(self):
        record_event(self.member_a2, EventKind.STRUCK_OFF, on=date(2026, 8, 2), by=self.binh, decision_number="6")
        rows = changes.events_behind(self.province, self.an, *YEAR, "struck_off")
        self.assertEqual([e.member_id for e in rows], [self.member_a2.pk])
        self.assertEqual(list(changes.events_behind(self.commune_b, self.an, *YEAR, "struck_off")), [])


class MovedUnitTest(BaseTestCase):
    """Cell A1 of commune A moved to commune B on 01/10/2026: what happened in it before counts for A."""

    def setUp(self):
        move_unit(self.cell_a1, self.commune_b, on=date(2026, 10, 1), by=self.an)
        self.cell_a1.refresh_from_db()
        self.later = make_member(self.cell_a1, "Hồ Văn Sau", status=Status.PROBATIONARY, admitted_on=date(2026, 10, 5))

    def test_events_count_where_the_unit_stood_on_their_day(self):
        a, b = (figures(u, self.an, *YEAR) for u in (self.commune_a, self.commune_b))
        self.assertEqual(a["recognized"], 2)  # Ánh in A1 (then in A) and Cường in A2 on 01/07/2026
        self.assertEqual(b["recognized"], 1)  # Dung only
        self.assertEqual((a["admitted"], b["admitted"]), (0, 1))  # Sau was admitted in A1 once it stood in B
        self.assertEqual(figures(self.province, self.an, *YEAR)["recognized"], 3)

    def test_a_period_wholly_before_the_move(self):
        summer = (date(2026, 7, 1), date(2026, 7, 31))
        self.assertEqual(figures(self.commune_a, self.an, *summer)["recognized"], 2)
        self.assertEqual(figures(self.commune_b, self.an, *summer)["recognized"], 1)
        self.assertEqual(figures(self.cell_a1, self.an, *summer)["recognized"], 1)

    def test_a_cell_moved_out_takes_its_past_with_it(self):
        # Commune A's officer no longer sees cell A1, nor its past (docs/architecture.md "The past").
        self.assertEqual(figures(self.commune_a, self.binh, *YEAR)["recognized"], 1)
        self.assertEqual(figures(self.commune_b, self.dung, *YEAR)["recognized"], 1)


class MergedUnitTest(BaseTestCase):
    def test_members_moved_by_a_merge_are_not_transfers(self):
        merge_units(self.commune_b, self.commune_a, on=date(2026, 11, 2), by=self.an)
        a = figures(self.commune_a, self.an, *YEAR)
        self.assertEqual(a["transferred_in"], 0)
        self.assertEqual(a["restructured_in"], 0)  # B's cell came with its members: no member event
        self.assertEqual(figures(self.province, self.an, *YEAR)["restructured_in"], 0)
        # B's recognition of 01/07/2026 counts where B stood: under the province, not under A.
        self.assertEqual(a["recognized"], 2)
        self.assertEqual(figures(self.province, self.an, *YEAR)["recognized"], 3)
        # The closed commune keeps what happened in it until the merge, for whoever inherited it.
        self.commune_b.refresh_from_db()
        self.assertEqual(figures(self.commune_b, self.an, *YEAR)["recognized"], 1)
        self.assertEqual(figures(self.commune_b, self.binh, *YEAR)["recognized"], 1)
        url = f"/api/v1/members/changes?unit={self.commune_b.pk}&from=2026-01-01&to=2026-12-31"
        self.assertEqual(self.api(self.binh, "get", url).json()["figures"]["recognized"], 1)  # inherited: in reach


class MergedCellTest(BaseTestCase):
    def test_members_of_a_merged_cell_arrive_by_restructuring(self):
        extra = make_unit(self.commune_a, "Chi bộ thôn An Tân")
        make_member(extra, "Đinh Văn Tân")
        merge_units(extra, self.cell_a1, on=date(2026, 11, 2), by=self.an)
        a1, a = (figures(u, self.an, *YEAR) for u in (self.cell_a1, self.commune_a))
        self.assertEqual((a1["restructured_in"], a1["transferred_in"]), (1, 0))
        self.assertEqual((a["restructured_in"], a["restructured_out"]), (0, 0))  # within the commune
        rows = changes.events_behind(self.cell_a1, self.an, *YEAR, "restructured_in")
        self.assertEqual([e.member.full_name for e in rows], ["Đinh Văn Tân"])


class AdmissionsTest(BaseTestCase):
    def test_admissions_alone_agree_with_the_table(self):
        make_member(self.cell_a1, "Võ Văn Mới", status=Status.PROBATIONARY, admitted_on=date(2026, 3, 2))
        for unit in (self.province, self.commune_a, self.commune_b):
            self.assertEqual(changes.admissions(unit, self.an, *YEAR), figures(unit, self.an, *YEAR)["admissions"])
        self.assertEqual(changes.admissions(self.province, self.an, *YEAR), 1)


class FirstEventTransferInTest(BaseTestCase):
    def test_a_member_whose_history_begins_with_a_transfer_in_counts_in(self):
        from members.models import MemberEvent

        m = make_member(self.cell_a1, "Lý Văn Đến", admitted_on=date(2010, 1, 4))
        m.events.all().delete()  # as an import from another province holds it: the transfer in alone
        MemberEvent.objects.create(member=m, kind=EventKind.TRANSFERRED_IN, on=date(2026, 4, 1), unit=self.cell_a1,
                                   org_path=self.cell_a1.path, status_after=Status.OFFICIAL)
        for unit in (self.cell_a1, self.commune_a, self.province):
            self.assertEqual(figures(unit, self.an, *YEAR)["transferred_in"], 1, unit)
        self.assertEqual(figures(self.commune_b, self.an, *YEAR)["transferred_in"], 0)


class FromUnitTest(BaseTestCase):
    def test_moves_and_transfers_in_name_the_unit_left(self):
        moved = record_event(self.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_b1, by=self.an)
        record_event(self.member_a1, EventKind.TRANSFERRED_OUT, on=date(2026, 9, 1), by=self.an)
        back = record_event(self.member_a1, EventKind.TRANSFERRED_IN, on=date(2026, 9, 10), unit=self.cell_b1,
                            by=self.an, status_after=Status.OFFICIAL)
        self.assertEqual((moved.from_unit_id, back.from_unit_id), (self.cell_a2.pk, self.cell_a1.pk))
        left = record_event(self.member_b1, EventKind.DECEASED, on=date(2026, 9, 11), by=self.dung)
        self.assertIsNone(left.from_unit_id)

    def test_the_migration_fills_the_events_recorded_before(self):
        import importlib

        from django.db import connection

        from members.models import MemberEvent

        record_event(self.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_b1, by=self.an)
        record_event(self.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_a1, by=self.an)
        MemberEvent.objects.update(from_unit=None)
        with connection.cursor() as c:
            c.execute(importlib.import_module("members.migrations.0011_event_figures").FILL)
        moves = MemberEvent.objects.filter(kind=EventKind.MOVED).order_by("id").values_list("from_unit_id", flat=True)
        self.assertEqual(list(moves), [self.cell_a2.pk, self.cell_b1.pk])  # the same day: by the order recorded
        self.assertFalse(MemberEvent.objects.exclude(kind=EventKind.MOVED).exclude(from_unit=None).exists())
