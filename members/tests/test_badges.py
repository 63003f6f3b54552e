"""Party badges (rules §2): who is due on an award date, on both sides of each threshold, with gaps taken
out; recorded awards leave the list; early awards within the rule; wrong award dates refused; the page,
the API and the Word and Excel files; dung sees nothing of commune A."""

import io
from datetime import date, timedelta
from unittest import mock

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from audit.models import AuditEntry
from core.errors import DomainError
from dangvu.testing import BaseTestCase, VisibilityMixin, make_member
from members import badges, history, rules
from members.models import BadgeAward, EventKind, Gender, Member, MemberEvent, Status
from members.services import rebuild_periods, record_event

BORN = date(1960, 1, 1)
FEB_2027 = date(2027, 2, 3)
BADGES = "/api/v1/badges"


def due_ids(members, on: date) -> dict[int, int]:
    return {row.member.pk: row.years for row in badges.due_on(members, on)}


class BadgeTestCase(VisibilityMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

        def member(unit, name, admitted):
            return make_member(unit, name, birth_date=BORN, admitted_on=admitted,
                               recognized_on=rules.end_of_probation(admitted))

        cls.due = member(cls.cell_a1, "Hồ Văn Đủ", date(1997, 1, 15))  # the acceptance case
        cls.gap = member(cls.cell_a1, "Hồ Văn Gián", date(1997, 1, 15))
        # Out for two years: a history written before the 36-month wait of 232-QĐ/TW, as an old record
        # brings it in (the service refuses a re-admission that early today).
        MemberEvent.objects.bulk_create([
            MemberEvent(member=cls.gap, kind=kind, on=on, unit=cls.cell_a1, org_path=cls.cell_a1.path, status_after=s)
            for kind, on, s in [(EventKind.STRUCK_OFF, date(2000, 1, 15), Status.STRUCK_OFF),
                                (EventKind.READMITTED, date(2002, 1, 15), Status.PROBATIONARY),
                                (EventKind.RECOGNIZED, date(2003, 1, 15), Status.OFFICIAL)]])
        rebuild_periods([cls.gap.pk])
        cls.on_day = member(cls.cell_a2, "Hồ Văn Đúng", date(1997, 2, 3))  # 30 years on the award date itself
        cls.day_after = member(cls.cell_a2, "Hồ Văn Sau", date(1997, 2, 4))  # a day short: the May round
        cls.previous = member(cls.cell_a1, "Hồ Văn Trước", date(1996, 11, 7))  # reached on 7/11/2026: that round
        cls.day_later = member(cls.cell_a1, "Hồ Văn Kế", date(1996, 11, 8))  # a day after it: this round
        cls.awarded = member(cls.cell_a2, "Hồ Văn Nhận", date(1997, 1, 20))
        BadgeAward.objects.create(member=cls.awarded, years=30, awarded_on=FEB_2027, decision_number="12-QĐ/TU")
        cls.b_due = member(cls.cell_b1, "Võ Thị Ba Mươi", date(1997, 1, 25))  # commune B


class DueListTests(BadgeTestCase):
    def test_admitted_15_01_1997_is_due_on_03_02_2027_and_the_member_with_a_gap_is_not(self):
        due = due_ids(Member.objects.visible_to(self.an), FEB_2027)
        self.assertEqual(due, {self.due.pk: 30, self.on_day.pk: 30, self.day_later.pk: 30, self.b_due.pk: 30})
        self.assertNotIn(self.gap.pk, due)

    def test_any_milestone_in_force_is_counted_with_its_years(self):
        older = make_member(self.cell_b1, "Võ Văn Già", birth_date=BORN, admitted_on=date(1992, 1, 20))
        with self.settings(RULES_OVERRIDES={"members.BADGE_MILESTONES": [30, 35]}):
            due = due_ids(Member.objects.visible_to(self.dung), FEB_2027)
        self.assertEqual(due, {self.b_due.pk: 30, older.pk: 35})

    def test_the_party_age_shown_is_the_one_on_the_award_date(self):
        row = next(r for r in badges.due_on(Member.objects.all(), FEB_2027) if r.member.pk == self.due.pk)
        self.assertEqual(str(row.age), "30 năm")

    def test_each_member_is_due_in_the_round_whose_window_holds_the_day_they_reach_it(self):
        self.assertIn(self.previous.pk, due_ids(Member.objects.all(), date(2026, 11, 7)))
        self.assertNotIn(self.day_later.pk, due_ids(Member.objects.all(), date(2026, 11, 7)))
        may = due_ids(Member.objects.all(), date(2027, 5, 19))
        self.assertIn(self.day_after.pk, may)
        self.assertNotIn(self.due.pk, may)

    def test_the_gap_delays_the_badge_by_its_length(self):
        # 3 years before the gap, then from 15/01/2002: 30 years on 15/01/2029.
        self.assertEqual(due_ids(Member.objects.filter(pk=self.gap.pk), date(2029, 2, 3)), {self.gap.pk: 30})
        self.assertEqual(due_ids(Member.objects.filter(pk=self.gap.pk), date(2028, 11, 7)), {})

    def test_party_age_is_computed_only_for_the_candidates(self):
        # 200 members not near any milestone: decided by their admission date in the database, never read.
        extra = [Member(full_name=f"Người {i}", gender=Gender.MALE, birth_date=BORN, status=Status.OFFICIAL,
                        unit=self.cell_b1, admitted_on=date(2001, 1, 1) + timedelta(days=7 * i)) for i in range(200)]
        for m in extra:
            m.fill_derived()
        Member.objects.bulk_create(extra)
        with mock.patch("members.history.party_intervals", wraps=history.party_intervals) as computed:
            due = badges.due_on(Member.objects.all(), FEB_2027)
        self.assertEqual(len(due), 4)
        # A member's history is read for the due rows' ages, and for the one re-admitted member.
        self.assertLess(computed.call_count, 4 + 2 * len(rules.BADGE_MILESTONES))

    def test_a_member_who_left_is_not_listed(self):
        record_event(self.due, EventKind.DECEASED, on=date(2026, 1, 5), by=None)
        self.assertNotIn(self.due.pk, due_ids(Member.objects.all(), FEB_2027))

    def test_dung_sees_only_commune_b(self):
        self.assertEqual(due_ids(Member.objects.visible_to(self.dung), FEB_2027), {self.b_due.pk: 30})

    def test_a_date_that_is_not_an_award_date_is_refused_naming_the_rule(self):
        for value in ("2027-03-02", "02/03/2027", "2027-02-04"):
            with self.assertRaises(DomainError) as caught:
                badges.check_on(value)
            self.assertIn("không phải ngày trao Huy hiệu Đảng", caught.exception.message)
            self.assertIn("03/02, 19/05, 02/09 và 07/11", caught.exception.message)
            self.assertIn(rules.BADGE_RULE, caught.exception.message)
        with self.assertRaises(DomainError):
            badges.check_on("hôm nay")
        self.assertEqual(badges.check_on("03/02/2027"), FEB_2027)

    def test_next_and_previous_award_dates(self):
        self.assertEqual(rules.next_award_date(date(2026, 12, 4)), FEB_2027)
        self.assertEqual(rules.next_award_date(FEB_2027), FEB_2027)
        self.assertEqual(rules.previous_award_date(FEB_2027), date(2026, 11, 7))
        self.assertEqual(rules.previous_award_date(date(2027, 5, 19)), FEB_2027)

    def test_the_award_days_are_configurable(self):
        with self.settings(RULES_OVERRIDES={"members.BADGE_AWARD_DAYS": [[3, 2], [2, 9]]}):
            self.assertIsNone(rules.check_award_date(date(2027, 9, 2)))
            self.assertIsNotNone(rules.check_award_date(date(2027, 5, 19)))
            self.assertEqual(rules.previous_award_date(FEB_2027), date(2026, 9, 2))


class RecordAwardTests(BadgeTestCase):
    def award(self, member, years=30, on=date(2026, 11, 7), **kw):
        kw.setdefault("decision_number", "101-QĐ/TU")
        return badges.record_award(member, years=years, awarded_on=on, by=self.binh, **kw)

    def test_a_recorded_award_leaves_the_list_and_is_audited(self):
        self.assertIn(self.previous.pk, due_ids(Member.objects.all(), date(2026, 11, 7)))
        self.award(self.previous)
        self.assertNotIn(self.previous.pk, due_ids(Member.objects.all(), date(2026, 11, 7)))
        entry = AuditEntry.objects.get(action="members.badge.awarded")
        self.assertEqual((entry.object_id, entry.unit_path), (str(self.previous.pk), self.previous.org_path))

    def test_the_same_badge_twice_is_refused(self):
        self.award(self.previous)
        with self.assertRaisesMessage(DomainError, "đã được ghi nhận Huy hiệu 30"):
            self.award(self.previous)
        self.assertEqual(BadgeAward.objects.filter(member=self.previous).count(), 1)

    def test_a_wrong_award_date_or_milestone_is_refused(self):
        with self.assertRaisesMessage(DomainError, "không phải ngày trao Huy hiệu Đảng"):
            self.award(self.previous, on=date(2026, 11, 8))
        with self.assertRaisesMessage(DomainError, "không phải mốc Huy hiệu Đảng"):
            self.award(self.previous, years=35)
        self.assertFalse(BadgeAward.objects.filter(member=self.previous).exists())

    def test_before_the_milestone_without_an_early_reason_is_refused(self):
        with self.assertRaisesMessage(DomainError, "chưa đủ 30 năm"):
            self.award(self.previous, on=date(2026, 9, 2))

    def test_illness_allows_up_to_12_months_early_for_30_years(self):
        with self.assertRaisesMessage(DomainError, "tối đa 12 tháng"):  # 14 months short on 2/9/2025
            self.award(self.previous, on=date(2025, 9, 2), early=BadgeAward.Early.ILLNESS, early_reason="Ốm nặng")
        with self.assertRaisesMessage(DomainError, "phải ghi lý do"):
            self.award(self.previous, on=date(2025, 11, 7), early=BadgeAward.Early.ILLNESS)
        award = self.award(self.previous, on=date(2025, 11, 7), early=BadgeAward.Early.ILLNESS,
                           early_reason="Bệnh hiểm nghèo")  # exactly 12 months short
        self.assertEqual(award.early, BadgeAward.Early.ILLNESS)

    def test_the_early_limits_of_the_rule(self):
        self.assertEqual([rules.early_award_months(y, False) for y in (30, 65, 70, 90)], [12, 12, 24, 24])
        self.assertEqual(rules.early_award_months(90, True), 12)

    def test_posthumous_only_for_a_deceased_member_and_within_12_months(self):
        with self.assertRaisesMessage(DomainError, "Chỉ truy tặng"):
            self.award(self.previous, early=BadgeAward.Early.POSTHUMOUS, early_reason="Từ trần")
        record_event(self.previous, EventKind.DECEASED, on=date(2025, 12, 1), by=None)  # 29 years 0 months
        self.previous.refresh_from_db()
        with self.assertRaisesMessage(DomainError, "Chỉ trao Huy hiệu Đảng cho đảng viên đang sinh hoạt"):
            self.award(self.previous)
        self.award(self.previous, early=BadgeAward.Early.POSTHUMOUS, early_reason="Từ trần trước đợt trao")

    def test_a_round_after_the_next_is_refused(self):
        far = rules.next_award_date(rules.next_award_date(date.today()).replace(day=1, month=12))
        with self.assertRaisesMessage(DomainError, "còn xa"):
            self.award(self.b_due, on=far)


def sheet_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in r] for r in ws.iter_rows()]


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join([*(p.text for p in doc.paragraphs), *cells])


class BadgePageTests(BadgeTestCase):
    def setUp(self):
        self.url = reverse("members-badges")

    def test_the_page_lists_the_due_members_of_the_subtree(self):
        self.client.force_login(self.binh)
        response = self.client.get(self.url, {"ngay": "03/02/2027"})
        self.assertContains(response, "Hồ Văn Đủ")
        self.assertNotContains(response, "Hồ Văn Gián")
        self.assertNotContains(response, "Võ Thị Ba Mươi")

    def test_dung_sees_nothing_of_commune_a(self):
        self.client.force_login(self.dung)
        response = self.client.get(self.url, {"ngay": "03/02/2027"})
        self.assertContains(response, "Võ Thị Ba Mươi")
        self.assert_no_trace_of_a(response.content.decode().replace("Hồ Văn", ""))
        self.assertNotContains(response, "Hồ Văn Đủ")
        response = self.client.get(self.url, {"ngay": "03/02/2027", "don_vi": self.commune_a.pk})
        self.assertNotContains(response, "Hồ Văn Đủ")

    def test_a_wrong_date_is_shown_on_the_form(self):
        self.client.force_login(self.binh)
        response = self.client.get(self.url, {"ngay": "04/02/2027"})
        self.assertContains(response, "không phải ngày trao Huy hiệu Đảng")
        self.assertNotContains(response, "Hồ Văn Đủ")

    def test_word_and_excel_hold_the_rows(self):
        self.client.force_login(self.binh)
        query = {"ngay": "03/02/2027", "don_vi": self.commune_a.pk}
        text = docx_text(self.client.get(f"{self.url}xuat.docx", query).content)
        self.assertIn("DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG", text)
        self.assertIn("ĐẢNG CỘNG SẢN VIỆT NAM", text)
        for name in ("Hồ Văn Đủ", "Hồ Văn Đúng", "Hồ Văn Kế"):
            self.assertIn(name, text)
        self.assertNotIn("Hồ Văn Gián", text)
        self.assertIn("Tổng số: 3 đảng viên.", text)
        rows = sheet_rows(self.client.get(f"{self.url}xuat.xlsx", query).content)
        self.assertEqual(rows[0][:2], ["STT", "Họ và tên"])
        self.assertCountEqual([r[1] for r in rows[1:]], ["Hồ Văn Đủ", "Hồ Văn Đúng", "Hồ Văn Kế"])
        self.assertEqual({r[6] for r in rows[1:]}, {30})

    def test_dungs_files_hold_nothing_of_commune_a(self):
        self.client.force_login(self.dung)
        for suffix in ("xuat.docx", "xuat.xlsx"):
            content = self.client.get(f"{self.url}{suffix}", {"ngay": "03/02/2027"}).content
            text = docx_text(content) if suffix.endswith("docx") else str(sheet_rows(content))
            self.assertIn("Võ Thị Ba Mươi", text)
            self.assertNotIn("Hồ Văn", text)

    def test_recording_from_the_page(self):
        self.client.force_login(self.binh)
        url = f"{self.url}ghi/"
        data = {"member": self.previous.pk, "years": 30, "awarded_on": "07/11/2026", "decision_number": "5-QĐ/TU"}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertTrue(BadgeAward.objects.filter(member=self.previous, years=30).exists())
        response = self.client.post(url, {**data, "member": self.day_after.pk, "awarded_on": "08/11/2026"})
        self.assertContains(response, "không phải ngày trao Huy hiệu Đảng")
        self.client.force_login(self.dung)
        self.assertEqual(self.client.post(url, {**data, "member": self.due.pk}).status_code, 404)
        self.assertFalse(BadgeAward.objects.filter(member=self.due).exists())


class BadgeApiTests(BadgeTestCase):
    def get(self, user, url, status=200):
        response = self.api(user, "get", url)
        self.assertEqual(response.status_code, status, response.content.decode())
        return response.json()

    def test_the_list_for_an_award_date(self):
        body = self.get(self.an, f"{BADGES}?on=2027-02-03")
        self.assertEqual(body["count"], 4)
        item = next(i for i in body["items"] if i["id"] == self.due.pk)
        self.assertEqual(item, {"id": self.due.pk, "full_name": "Hồ Văn Đủ", "years": 30, "party_age": "30 năm",
                                "unit": {"id": self.cell_a1.pk, "name": self.cell_a1.name}})
        self.assertNotIn(self.gap.pk, [i["id"] for i in body["items"]])

    def test_unit_narrows_and_outside_the_subtree_is_404(self):
        body = self.get(self.an, f"{BADGES}?on=2027-02-03&unit={self.cell_a2.pk}")
        self.assertEqual([i["id"] for i in body["items"]], [self.on_day.pk])
        self.assert_api_hidden_from_dung(f"{BADGES}?on=2027-02-03&unit={self.commune_a.pk}")
        response = self.api(self.dung, "get", f"{BADGES}?on=2027-02-03")
        self.assertEqual([i["id"] for i in response.json()["items"]], [self.b_due.pk])
        self.assert_no_trace_of_a(response.content)

    def test_a_wrong_award_date_is_a_400_naming_the_rule(self):
        body = self.get(self.an, f"{BADGES}?on=2027-02-04", status=400)
        self.assertIn("không phải ngày trao Huy hiệu Đảng", body["detail"])
        self.assertEqual(body["field"], "on")

    def test_recording_an_award(self):
        data = {"member_id": self.previous.pk, "years": 30, "awarded_on": "2026-11-07", "decision_number": "7-QĐ/TU"}
        response = self.api(self.binh, "post", BADGES, data=data)
        self.assertEqual(response.status_code, 201, response.content.decode())
        response = self.api(self.dung, "post", BADGES, data={**data, "member_id": self.due.pk})
        self.assertEqual(response.status_code, 404)
