from datetime import date, timedelta

from audit.models import AuditEntry
from core.errors import DomainError
from dangvu.testing import BaseTestCase, make_member
from members.models import EventKind, Member, MemberPeriod, Status
from members.services import record_event, update_member
from members.stats import rollup


class LifeEventTests(BaseTestCase):
    def test_recognition_makes_a_probationary_member_official_from_that_day(self):
        m = self.member_a1_prob
        record_event(m, EventKind.RECOGNIZED, on=date(2026, 7, 1), by=self.binh, decision_number="15-QĐ/ĐU")
        m.refresh_from_db()
        self.assertEqual(m.status, Status.OFFICIAL)
        self.assertEqual(m.recognized_on, date(2026, 7, 1))
        day_before = rollup([self.cell_a1], self.an, on=date(2026, 6, 30))[self.cell_a1.pk]
        self.assertEqual((day_before.official, day_before.probationary), (0, 2))
        self.assertTrue(AuditEntry.objects.filter(action="members.member.cong_nhan", object_id=str(m.pk)).exists())

    def test_a_member_struck_off_leaves_the_counts_but_keeps_the_record(self):
        record_event(self.member_a2, EventKind.STRUCK_OFF, on=date(2026, 9, 1), by=self.binh)
        self.assertEqual(Member.objects.get(pk=self.member_a2.pk).status, Status.STRUCK_OFF)
        self.assertEqual(rollup([self.cell_a2], self.an)[self.cell_a2.pk].total, 0)
        self.assertEqual(rollup([self.cell_a2], self.an, on=date(2026, 8, 31))[self.cell_a2.pk].total, 1)

    def test_a_probationary_member_cannot_be_expelled(self):
        with self.assertRaisesMessage(DomainError, "Khai trừ"):
            record_event(self.member_a1_prob, EventKind.EXPELLED, on=date(2026, 9, 1), by=self.binh)

    def test_moving_a_member_to_another_cell_changes_unit_and_history(self):
        record_event(self.member_a1, EventKind.MOVED, on=date(2026, 8, 1), unit=self.cell_a2, by=self.binh)
        periods = list(MemberPeriod.objects.filter(member=self.member_a1).order_by("valid_from"))
        self.assertEqual([p.unit_id for p in periods][-1], self.cell_a2.pk)
        self.assertEqual(periods[-2].valid_to, date(2026, 7, 31))

    def test_binh_cannot_move_a_member_into_commune_b_and_nothing_changes(self):
        with self.assertRaisesMessage(DomainError, "không có quyền"):
            record_event(self.member_a1, EventKind.MOVED, on=date(2026, 3, 1), unit=self.cell_b1, by=self.binh)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit, self.cell_a1)

    def test_events_must_come_in_date_order(self):
        record_event(self.member_a1, EventKind.EXCUSED, on=date(2026, 9, 1), by=self.binh)
        with self.assertRaisesMessage(DomainError, "thứ tự thời gian"):
            record_event(self.member_a1, EventKind.RESUMED, on=date(2026, 8, 1), by=self.binh)

    def test_readmission_waits_36_months_and_happens_once(self):
        m = make_member(self.cell_a1, "Đỗ Văn Hải", admitted_on=date(2015, 7, 26), recognized_on=date(2016, 7, 26))
        m.events.filter(kind=EventKind.RECOGNIZED).delete()
        record_event(m, EventKind.STRUCK_OFF, on=date(2016, 1, 1), by=None)
        with self.assertRaisesMessage(DomainError, "36 tháng"):
            record_event(m, EventKind.READMITTED, on=date(2018, 1, 1), by=None)
        record_event(m, EventKind.READMITTED, on=date(2019, 7, 1), by=None)
        age = Member.objects.get(pk=m.pk).party_age(date(2026, 11, 23))
        self.assertEqual((age.years, age.months), (7, 9))


class ProfileTests(BaseTestCase):
    def test_edit_writes_an_audit_entry_with_before_and_after(self):
        update_member(self.member_a1, {"phone": "0912345678"}, by=self.binh)
        entry = AuditEntry.objects.get(action="members.member.updated")
        self.assertEqual(entry.changes(), [("phone", "", "0912345678")])

    def test_a_duplicate_citizen_id_is_refused(self):
        update_member(self.member_a1, {"citizen_id": "001080012345"}, by=self.binh)
        with self.assertRaisesMessage(DomainError, "đã có trong hồ sơ"):
            update_member(self.member_a2, {"citizen_id": "001080012345"}, by=self.binh)

    def test_an_admission_before_the_18th_birthday_is_refused(self):
        with self.assertRaisesMessage(DomainError, "chưa đủ 18 tuổi"):
            make_member(self.cell_a1, "Bùi Văn Nhỏ", birth_date=date(2000, 6, 1), admitted_on=date(2018, 5, 31))

    def test_a_birth_date_in_the_future_is_refused(self):
        with self.assertRaisesMessage(DomainError, "Ngày sinh"):
            update_member(self.member_a1, {"birth_date": date.today() + timedelta(days=1)}, by=self.binh)

    def test_dung_cannot_edit_a_member_of_commune_a(self):
        with self.assertRaisesMessage(DomainError, "không có quyền"):
            update_member(self.member_a1, {"phone": "0900000000"}, by=self.dung)
