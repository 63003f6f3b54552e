"""The rules of each step, on both sides of every deadline and threshold; a refusal changes nothing."""

from datetime import date, timedelta

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEntry
from calendars.workdays import add_working_days
from core.errors import DomainError
from dangvu.testing import make_unit
from members import stats
from members.choices import EventKind, Status
from members.models import Member
from members.services import record_event
from orgs.services import close_unit
from transfers import services
from transfers.models import Kind, Purpose, Transfer
from transfers.models import Status as Step
from transfers.tests.world import ACCEPTED, REASON, STARTED, TransferTestCase

EARLY_REASON = date(2026, 7, 1)


class StartTests(TransferTestCase):
    def refused(self, fragment: str, **kw):
        events = self.member_a1.events.count()
        with self.assertRaises(DomainError) as caught:
            self.start(**kw)
        self.assertIn(fragment, caught.exception.message)
        self.assertFalse(Transfer.objects.exists())
        self.assertEqual(self.member_a1.events.count(), events)
        self.assertFalse(AuditEntry.objects.filter(action__startswith="transfers.").exists())
        return caught.exception

    def test_a_start_on_the_60th_working_day_is_accepted(self):
        deadline = add_working_days(EARLY_REASON, 60)
        t = self.start(reason_on=EARLY_REASON, started_on=deadline)
        self.assertEqual(t.status, Step.STARTED)

    def test_a_start_after_the_60th_working_day_is_refused_naming_the_rule(self):
        late = add_working_days(EARLY_REASON, 61)
        error = self.refused("60 ngày làm việc", reason_on=EARLY_REASON, started_on=late)
        self.assertIn("294-QĐ/TW", error.message)
        self.assertEqual(error.field, "started_on")

    @override_settings(RULES_OVERRIDES={"transfers.START_WORKING_DAYS": 61})
    def test_the_start_limit_is_configurable(self):
        self.start(reason_on=EARLY_REASON, started_on=add_working_days(EARLY_REASON, 61))

    def test_a_temporary_transfer_has_no_60_day_limit(self):
        late = add_working_days(EARLY_REASON, 61)
        self.start(kind=Kind.TEMPORARY, reason_on=EARLY_REASON, started_on=late, temp_from=late,
                   temp_until=date(2027, 6, 1))

    def test_the_letter_is_due_30_working_days_after_it_is_issued(self):
        t = self.start()
        self.assertEqual(t.present_due, date(2026, 11, 16))  # 05/10/2026 + 30 working days, no holiday between
        self.assertTrue(t.letter_symbol.endswith("-GGT/ĐU"), t.letter_symbol)
        self.assertIsNotNone(t.letter_document_id)

    def test_letters_are_numbered_in_sequence_by_the_committee(self):
        first = self.start()
        second = self.start(self.member_a2)
        self.assertEqual([first.letter_symbol, second.letter_symbol], ["01-GGT/ĐU", "02-GGT/ĐU"])

    def test_a_transfer_to_the_members_own_cell_is_refused(self):
        self.refused("chính tổ chức đang sinh hoạt", to_unit=self.cell_a1)

    def test_a_transfer_to_the_members_own_commune_is_refused(self):
        self.refused("chính tổ chức đang sinh hoạt", to_unit=self.commune_a)

    def test_a_transfer_to_a_closed_unit_is_refused(self):
        closed = make_unit(self.commune_b, "Chi bộ thôn Bình Đông")
        close_unit(closed, on=date(2026, 9, 1), by=None)
        closed.refresh_from_db()
        self.refused("đã kết thúc hoạt động", to_unit=closed)

    def test_dates_out_of_order_are_refused(self):
        self.refused("trước ngày quyết định", reason_on=STARTED, started_on=REASON)

    def test_a_start_in_the_future_is_refused(self):
        tomorrow = timezone.localdate() + timedelta(days=1)
        self.refused("chưa đến", reason_on=tomorrow, started_on=tomorrow)

    def test_a_member_who_is_not_active_is_refused(self):
        record_event(self.member_a1, EventKind.DECEASED, on=date(2026, 9, 1), by=None)
        self.refused("không phải đảng viên đang sinh hoạt")

    def test_a_second_open_transfer_is_refused(self):
        self.start()
        with self.assertRaises(DomainError) as caught:
            self.start(to_unit=self.commune_b)
        self.assertIn("chỉ có một việc chuyển sinh hoạt", caught.exception.message)
        self.assertEqual(Transfer.objects.count(), 1)

    def test_after_a_cancellation_a_new_transfer_may_start(self):
        services.cancel(self.start(), on=STARTED, reason="Nhầm nơi đến", by=self.binh)
        self.start(to_unit=self.commune_b)

    def test_an_officer_of_b_cannot_start_a_transfer_of_a_member_of_a(self):
        with self.assertRaises(DomainError):
            self.start(by=self.dung)

    def test_both_a_unit_and_an_outside_name_is_refused(self):
        self.refused("Chỉ chọn một nơi đến", to_unit=self.cell_b1, to_outside="Nơi khác")

    def test_no_destination_is_refused(self):
        self.refused("Hãy chọn tổ chức đảng nơi đến", to_outside="  ")


class PresentAndAcceptTests(TransferTestCase):
    def test_a_letter_presented_on_its_last_day_needs_no_reason(self):
        t = self.start()
        t = services.present(t, on=date(2026, 11, 16), by=self.dung)
        self.assertEqual(t.status, Step.PRESENTED)

    def test_a_letter_presented_the_day_after_needs_the_reasons(self):
        t = self.start()
        with self.assertRaises(DomainError) as caught:
            services.present(t, on=date(2026, 11, 17), by=self.dung)
        self.assertIn("30 ngày làm việc", caught.exception.message)
        self.assertIn("294-QĐ/TW", caught.exception.message)
        t.refresh_from_db()
        self.assertEqual(t.status, Step.STARTED)
        t = services.present(t, on=date(2026, 11, 17), late_reason="Ốm nằm viện", by=self.dung)
        self.assertEqual(t.late_reason, "Ốm nằm viện")

    def test_a_presentation_before_the_letter_is_refused(self):
        with self.assertRaises(DomainError):
            services.present(self.start(), on=STARTED - timedelta(days=1), by=self.dung)

    def test_an_acceptance_before_the_presentation_is_refused(self):
        t = services.present(self.start(), on=ACCEPTED, by=self.dung)
        with self.assertRaises(DomainError):
            services.accept(t, on=ACCEPTED - timedelta(days=1), by=self.dung)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit_id, self.cell_a1.pk)

    def test_an_acceptance_in_the_future_is_refused(self):
        with self.assertRaises(DomainError):
            services.accept(self.start(), on=timezone.localdate() + timedelta(days=1), by=self.dung)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit_id, self.cell_a1.pk)

    def test_the_sender_cannot_accept_for_the_receiving_unit(self):
        with self.assertRaises(DomainError):
            services.accept(self.start(), on=ACCEPTED, by=self.binh)

    def test_the_receiver_cannot_cancel_the_senders_letter(self):
        with self.assertRaises(DomainError):
            services.cancel(self.start(), on=ACCEPTED, reason="x", by=self.dung)

    def test_a_letter_to_a_commune_is_accepted_into_one_of_its_cells(self):
        t = self.start(to_unit=self.commune_b)
        with self.assertRaises(DomainError):
            services.accept(t, on=ACCEPTED, unit=self.commune_b, by=self.dung)  # a commune is not a cell
        with self.assertRaises(DomainError):
            services.accept(t, on=ACCEPTED, unit=self.cell_a2, by=self.dung)  # not under the letter's unit
        services.accept(t, on=ACCEPTED, unit=self.cell_b1, by=self.dung)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit_id, self.cell_b1.pk)

    def test_a_refusal_leaves_the_member_where_they_are(self):
        t = services.refuse(self.start(), on=ACCEPTED, reason="Sai nơi đến", by=self.dung)
        self.assertEqual(t.status, Step.REFUSED)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit_id, self.cell_a1.pk)
        with self.assertRaises(DomainError):  # a closed transfer takes no further step
            services.accept(t, on=ACCEPTED, by=self.dung)

    def test_every_step_is_audited_on_both_units_paths(self):
        t = self.start()
        services.accept(t, on=ACCEPTED, by=self.dung)
        entries = AuditEntry.objects.filter(action__startswith="transfers.").order_by("id")
        self.assertEqual([e.action for e in entries], ["transfers.transfer.started", "transfers.transfer.accepted"])
        self.assertEqual({(e.unit_path, e.unit_path_2) for e in entries}, {(self.cell_a1.path, self.cell_b1.path)})
        self.assertEqual(entries[1].actor, self.dung)


class TemporaryTests(TransferTestCase):
    FROM = date(2026, 10, 20)

    def temp(self, until, purpose=Purpose.WORK, **kw):
        return self.start(kind=Kind.TEMPORARY, purpose=purpose, temp_from=self.FROM, temp_until=until, **kw)

    def test_three_months_is_the_shortest(self):
        self.temp(date(2027, 1, 20))
        Transfer.objects.all().delete()
        with self.assertRaises(DomainError) as caught:
            self.temp(date(2027, 1, 19))
        self.assertIn("3 tháng", caught.exception.message)

    def test_less_than_a_year_unless_studying(self):
        self.temp(date(2027, 10, 19))
        Transfer.objects.all().delete()
        with self.assertRaises(DomainError) as caught:
            self.temp(date(2027, 10, 20))
        self.assertIn("dưới 12 tháng", caught.exception.message)

    def test_study_up_to_two_years(self):
        self.temp(date(2028, 10, 20), purpose=Purpose.STUDY)
        Transfer.objects.all().delete()
        with self.assertRaises(DomainError) as caught:
            self.temp(date(2028, 10, 21), purpose=Purpose.STUDY)
        self.assertIn("2 năm", caught.exception.message)

    def test_a_temporary_member_counts_at_home_not_at_the_receiving_unit_and_returns(self):
        t = self.temp(date(2027, 6, 1))
        services.accept(t, on=self.FROM, by=self.dung)
        member = Member.objects.get(pk=self.member_a1.pk)
        self.assertEqual((member.unit_id, member.status), (self.cell_a1.pk, Status.OFFICIAL))
        counts = stats.rollup([self.commune_a, self.commune_b], self.an)
        self.assertEqual((counts[self.commune_a.pk].total, counts[self.commune_b.pk].total), (3, 1))
        self.assertEqual(member.events.order_by("-on", "-id").first().kind, EventKind.TEMP_OUT)
        with self.assertRaises(DomainError):  # the home unit records the return, not the temporary one
            services.record_return(t, on=date(2026, 11, 20), by=self.dung)
        t = services.record_return(t, on=date(2026, 11, 20), by=self.binh)
        self.assertEqual(t.status, Step.RETURNED)
        self.assertEqual(member.events.order_by("-on", "-id").first().kind, EventKind.TEMP_BACK)
        call_command("tally", "--check", stdout=open("/dev/null", "w"))

    def test_a_return_before_the_stay_began_is_refused(self):
        t = services.accept(self.temp(date(2027, 6, 1)), on=self.FROM, by=self.dung)
        with self.assertRaises(DomainError):
            services.record_return(t, on=self.FROM - timedelta(days=1), by=self.binh)

    def test_an_official_transfer_cannot_be_returned(self):
        t = services.accept(self.start(), on=ACCEPTED, by=self.dung)
        with self.assertRaises(DomainError):
            services.record_return(t, on=ACCEPTED, by=self.binh)
