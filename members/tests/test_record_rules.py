"""The rules of issue 12 item 6 that a member record must keep: a recognition date that has passed and
follows 12 months of probation, the provincial consent to an admission over 60, re-admission only for the
reasons 232-QĐ/TW allows. Each refused with its Vietnamese message through the form, the API and the import,
and accepted on the other side of its threshold; and the "Tuổi đảng từ" filter with the profile's party age."""

import csv
import io
from datetime import date, timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from dangvu.testing import BaseTestCase, make_member
from members import migration, rules, services
from members.filters import MemberFilterForm
from members.models import EventKind, LeaveReason, Member
from members.tests.test_import import ImportTestCase, cccd, xlsx
from members.tests.test_migration import MigrationTestCase
from members.tests.test_pages_forms import new_member, profile_of

TODAY = timezone.localdate()
MEMBERS = "/api/v1/members"


def dmy(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def born_years_before(day: date, years: int, months: int = 0) -> date:
    """A birth date that makes someone exactly `years` years and `months` months old on `day`."""
    return rules.add_months(day, -(12 * years + months))


class RecognitionTests(BaseTestCase):
    """An official member's recognition date has passed and ends 12 months of probation (Điều lệ Điều 5)."""

    def create_form(self, **changes):
        self.client.force_login(self.binh)
        return self.client.post(reverse("members-create"), new_member(unit=self.cell_a1.pk, **changes))

    def test_the_form_refuses_an_official_member_whose_twelve_months_have_not_ended(self):
        response = self.create_form(admitted_on=dmy(rules.add_months(TODAY, -6)))
        [message] = response.context["form"].errors["recognized_on"]
        self.assertIn("chưa đến", message)
        self.assertIn("Điều lệ Đảng Điều 5", message)
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())

    def test_the_form_accepts_an_official_member_whose_twelve_months_end_today(self):
        response = self.create_form(admitted_on=dmy(rules.add_months(TODAY, -12)))
        member = Member.objects.get(full_name="Hoàng Văn Mới")
        self.assertRedirects(response, reverse("members-detail", args=[member.pk]))
        self.assertEqual(member.recognized_on, TODAY)

    def test_the_form_refuses_a_recognition_one_month_after_admission_and_takes_it_at_twelve(self):
        self.client.force_login(self.binh)
        url = reverse("members-edit", args=[self.member_a1.pk])
        admitted = self.member_a1.admitted_on
        response = self.client.post(url, profile_of(self.member_a1, recognized_on=dmy(rules.add_months(admitted, 1))))
        [message] = response.context["form"].errors["recognized_on"]
        self.assertIn("chưa đủ 12 tháng dự bị", message)
        self.assertIn(dmy(rules.add_months(admitted, 12)), message)
        day_before = rules.add_months(admitted, 12) - timedelta(days=1)
        response = self.client.post(url, profile_of(self.member_a1, recognized_on=dmy(day_before)))
        self.assertIn("recognized_on", response.context["form"].errors)
        response = self.client.post(url, profile_of(self.member_a1, recognized_on=dmy(rules.add_months(admitted, 12))))
        self.assertEqual(response.status_code, 302)

    def test_the_api_refuses_an_early_and_a_future_recognition_and_takes_a_due_one(self):
        data = {"unit_id": self.cell_a2.pk, "full_name": "Hồ Thị Mai", "gender": "nu", "birth_date": "1995-02-03",
                "status": "chinh_thuc", "admitted_on": rules.add_months(TODAY, -6).isoformat()}
        response = self.api(self.binh, "post", MEMBERS, data=data)
        self.assertEqual((response.status_code, response.json()["field"]), (400, "recognized_on"))
        self.assertIn("chưa đến", response.json()["detail"])
        early = {**data, "admitted_on": "2020-01-10", "recognized_on": "2020-02-10"}
        response = self.api(self.binh, "post", MEMBERS, data=early)
        self.assertIn("chưa đủ 12 tháng dự bị", response.json()["detail"])
        due = {**data, "admitted_on": "2020-01-10", "recognized_on": "2021-01-10"}
        self.assertEqual(self.api(self.binh, "post", MEMBERS, data=due).status_code, 201)

    def test_recording_the_recognition_waits_for_the_end_of_probation(self):
        member = make_member(self.cell_a1, "Vũ Văn Dự", status="du_bi", admitted_on=rules.add_months(TODAY, -11))
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-event", args=[member.pk]), {"kind": "cong_nhan", "on": dmy(TODAY)})
        [message] = response.context["event_form"].errors["on"]
        self.assertIn("chưa đủ 12 tháng dự bị", message)
        response = self.api(self.binh, "post", f"{MEMBERS}/{member.pk}/events",
                            data={"kind": "cong_nhan", "on": TODAY.isoformat()})
        self.assertEqual(response.status_code, 400)
        served = make_member(self.cell_a1, "Vũ Văn Đủ", status="du_bi", admitted_on=rules.add_months(TODAY, -12))
        response = self.api(self.binh, "post", f"{MEMBERS}/{served.pk}/events",
                            data={"kind": "cong_nhan", "on": TODAY.isoformat()})
        self.assertEqual(response.status_code, 201, response.content)

    @override_settings(RULES_OVERRIDES={"members.PROBATION_MONTHS": 6})
    def test_an_administrator_may_change_the_probation(self):
        member = make_member(self.cell_a1, "Vũ Văn Sáu", status="du_bi", admitted_on=rules.add_months(TODAY, -7))
        services.record_event(member, EventKind.RECOGNIZED, on=TODAY, by=None)
        self.assertEqual(Member.objects.get(pk=member.pk).status, "chinh_thuc")


class OverAgeTests(BaseTestCase):
    """Admission over 60 (counted in months) needs the provincial committee's written consent, given before."""

    def data(self, **changes) -> dict:
        admitted = date(2020, 3, 1)
        return new_member(unit=self.cell_a1.pk, status="du_bi", admitted_on=dmy(admitted),
                          birth_date=dmy(born_years_before(admitted, 66)), **changes)

    def test_the_form_refuses_a_man_admitted_at_66_without_the_consent_and_keeps_him_with_it(self):
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-create"), self.data())
        errors = response.context["form"].errors
        self.assertIn("quá 60 tuổi", errors["over_age_consent_number"][0])
        self.assertIn("Ban Thường vụ Tỉnh ủy", errors["over_age_consent_on"][0])
        response = self.client.post(reverse("members-create"), self.data(over_age_consent_number="15-CV/TU",
                                                                         over_age_consent_on="10/02/2020"))
        member = Member.objects.get(full_name="Hoàng Văn Mới")
        self.assertRedirects(response, reverse("members-detail", args=[member.pk]))
        self.assertEqual((member.over_age_consent_number, member.over_age_consent_on), ("15-CV/TU", date(2020, 2, 10)))
        self.assertContains(self.client.get(reverse("members-detail", args=[member.pk])), "15-CV/TU")
        page = self.client.get(reverse("members-detail", args=[self.member_a1.pk]))
        self.assertNotContains(page, "văn bản đồng ý")  # only admissions over 60 show the row

    def test_a_consent_dated_after_the_admission_is_refused(self):
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-create"), self.data(over_age_consent_number="15-CV/TU",
                                                                         over_age_consent_on="10/03/2020"))
        self.assertIn("phải có trước", response.context["form"].errors["over_age_consent_on"][0])

    def test_sixty_years_to_the_month_needs_no_consent_and_a_month_more_does(self):
        admitted = date(2020, 3, 1)
        make_member(self.cell_a1, "Đủ Sáu Mươi", status="du_bi", admitted_on=admitted,
                    birth_date=born_years_before(admitted, 60))
        with self.assertRaisesMessage(DomainError, "quá 60 tuổi"):
            make_member(self.cell_a1, "Quá Một Tháng", status="du_bi", admitted_on=admitted,
                        birth_date=born_years_before(admitted, 60, 1))

    def test_the_api_refuses_without_the_consent_and_takes_it_when_given(self):
        data = {"unit_id": self.cell_a2.pk, "full_name": "Hồ Văn Lão", "gender": "nam", "status": "du_bi",
                "birth_date": "1954-01-01", "admitted_on": "2020-03-01"}
        response = self.api(self.binh, "post", MEMBERS, data=data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual([e["field"] for e in response.json()["errors"]],
                         ["over_age_consent_number", "over_age_consent_on"])
        data.update(over_age_consent_number="7-CV/TU", over_age_consent_on="2020-02-01")
        response = self.api(self.binh, "post", MEMBERS, data=data)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["over_age_consent_number"], "7-CV/TU")


class OverAgeImportTests(ImportTestCase):
    HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng",
               "Số văn bản đồng ý kết nạp trên 60 tuổi", "Ngày văn bản đồng ý kết nạp trên 60 tuổi"]

    def row(self, number="", on=None, status="Dự bị", admitted=date(2020, 3, 1)):
        birth = date(1954, 1, 1)
        return ["Hồ Văn Lão", "Nam", birth, cccd(7, birth), "A1", status, admitted, number, on]

    def test_the_import_refuses_a_row_over_60_without_the_consent_and_takes_it_with(self):
        self.assert_refused(xlsx([self.row()], self.HEADERS), "quá 60 tuổi", row=2,
                            column="Số văn bản đồng ý kết nạp trên 60 tuổi")
        result = self.check(xlsx([self.row("15-CV/TU", date(2020, 2, 1))], self.HEADERS))
        self.assertTrue(result.ok, result.errors)

    def test_the_import_refuses_an_official_row_whose_probation_has_not_ended(self):
        row = self.row("15-CV/TU", date(2020, 2, 1), status="Chính thức", admitted=rules.add_months(TODAY, -3))
        row[6] = rules.add_months(TODAY, -3)
        self.assert_refused(xlsx([row], self.HEADERS), "chưa đến", row=2)

    def test_the_consent_columns_go_out_in_the_export_and_come_back_unchanged(self):
        from members.exporter import export_xlsx_bytes
        make_member(self.cell_a1, "Hồ Văn Lão", status="du_bi", admitted_on=date(2020, 3, 1),
                    birth_date=date(1954, 1, 1), over_age_consent_number="15-CV/TU",
                    over_age_consent_on=date(2020, 2, 1))
        content = export_xlsx_bytes(Member.objects.filter(org_path__startswith=self.commune_a.path),
                                    include_sensitive=True)
        result = self.check(content)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.creates, result.updates), ([], []))


class ReadmissionTests(BaseTestCase):
    """Re-admission (232-QĐ/TW §3.5): never after leaving for the barred reasons; after a resignation only
    for an extremely difficult family situation."""

    def left(self, kind: str, reason: str = "") -> Member:
        member = make_member(self.cell_a1, "Đỗ Văn Hải", admitted_on=date(2015, 7, 26), recognized_on=date(2016, 7, 26))
        services.record_event(member, kind, on=date(2019, 1, 1), by=None, reason=reason)
        return member

    def test_a_resignation_bars_readmission_through_the_form(self):
        member = self.left(EventKind.RESIGNED)
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-event", args=[member.pk]), {"kind": "ket_nap_lai", "on": dmy(TODAY)})
        [message] = response.context["event_form"].errors["reason"]
        self.assertIn("hoàn cảnh gia đình đặc biệt khó khăn", message)
        self.assertIn("232-QĐ/TW", message)
        self.assertEqual(Member.objects.get(pk=member.pk).status, "ra_khoi_dang")

    def test_a_resignation_for_family_hardship_allows_it_through_the_form(self):
        member = self.left(EventKind.RESIGNED)
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-event", args=[member.pk]),
                                    {"kind": "ket_nap_lai", "on": dmy(TODAY), "reason": "hoan_canh_gia_dinh"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Member.objects.get(pk=member.pk).status, "du_bi")
        page = self.client.get(reverse("members-detail", args=[member.pk]))
        self.assertContains(page, "Lý do: Hoàn cảnh gia đình đặc biệt khó khăn")

    def test_the_api_refuses_after_quitting_activity_and_allows_after_an_other_reason(self):
        barred = self.left(EventKind.STRUCK_OFF, reason="tu_y_bo_sinh_hoat")
        response = self.api(self.binh, "post", f"{MEMBERS}/{barred.pk}/events",
                            data={"kind": "ket_nap_lai", "on": TODAY.isoformat()})
        self.assertEqual((response.status_code, response.json()["field"]), (400, "reason"))
        self.assertIn("tự ý bỏ sinh hoạt đảng", response.json()["detail"])
        barred.delete()
        other = self.left(EventKind.STRUCK_OFF, reason="khac")
        response = self.api(self.binh, "post", f"{MEMBERS}/{other.pk}/events",
                            data={"kind": "ket_nap_lai", "on": TODAY.isoformat()})
        self.assertEqual(response.status_code, 201, response.content)

    def test_the_api_takes_the_reason_with_the_readmission_when_the_exit_had_none(self):
        member = self.left(EventKind.RESIGNED)
        response = self.api(self.binh, "post", f"{MEMBERS}/{member.pk}/events",
                            data={"kind": "ket_nap_lai", "on": TODAY.isoformat(), "reason": "hoan_canh_gia_dinh"})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["reason"], "hoan_canh_gia_dinh")

    def test_the_wait_is_counted_to_the_day(self):
        member = self.left(EventKind.STRUCK_OFF, reason="khac")
        with self.assertRaisesMessage(DomainError, "sớm nhất ngày 01/01/2022"):
            services.record_event(member, EventKind.READMITTED, on=date(2021, 12, 31), by=None)
        services.record_event(member, EventKind.READMITTED, on=date(2022, 1, 1), by=None)

    def test_the_reasons_of_the_rules_are_leave_reasons(self):
        self.assertLessEqual(rules.NEVER_READMIT | rules.RESIGNATION_READMIT, set(LeaveReason.values))

    @override_settings(RULES_OVERRIDES={"members.RESIGNATION_READMIT": ["hoan_canh_gia_dinh", "khac"]})
    def test_an_administrator_may_widen_the_reasons(self):
        member = self.left(EventKind.RESIGNED, reason="khac")
        services.record_event(member, EventKind.READMITTED, on=TODAY, by=None)

    def test_a_reason_on_an_event_that_is_not_an_exit_is_refused(self):
        with self.assertRaisesMessage(DomainError, "chỉ ghi với sự kiện ra khỏi Đảng"):
            services.record_event(self.member_a1, EventKind.EXCUSED, on=TODAY, by=None, reason="khac")


class PartyAgeFilterTests(BaseTestCase):
    """"Tuổi đảng từ" lists exactly the members whose profile shows that party age."""

    def listed(self, years: int, on: date) -> set[str]:
        form = MemberFilterForm({"party_age_min": years, "status": "tat_ca"}, user=self.an)
        self.assertTrue(form.is_valid(), form.errors)
        return set(form.apply(on=on).values_list("full_name", flat=True))

    def test_a_member_of_seven_years_ten_months_after_a_gap_is_listed_for_seven_not_eight(self):
        # Admitted 26/7/2015, struck off 01/01/2016, re-admitted 01/7/2019: 7 years 10 months on 23/12/2026.
        on = date(2026, 12, 23)
        member = make_member(self.cell_a1, "Hồ Văn Tuổi", admitted_on=date(2015, 7, 26), status="du_bi")
        services.record_event(member, "xoa_ten", on=date(2016, 1, 1), by=None)
        services.record_event(member, "ket_nap_lai", on=date(2019, 7, 1), by=None)
        self.assertEqual(str(member.party_age(on)), "7 năm 10 tháng")
        self.assertIn("Hồ Văn Tuổi", self.listed(7, on))
        self.assertNotIn("Hồ Văn Tuổi", self.listed(8, on))
        self.assertNotIn("Hồ Văn Tuổi", self.listed(11, on))

    def test_a_member_who_left_keeps_the_party_age_of_the_day_they_left(self):
        on = date(2026, 12, 1)
        member = make_member(self.cell_a1, "Lý Văn Đi", admitted_on=date(2015, 1, 1))
        services.record_event(member, "tu_tran", on=date(2020, 1, 1), by=None)
        self.assertIn("Lý Văn Đi", self.listed(5, on))
        self.assertNotIn("Lý Văn Đi", self.listed(6, on))

    def test_the_threshold_falls_on_the_profiles_day_without_a_gap(self):
        # One unbroken membership reaches 8 years on its anniversary, not the day before: admitted
        # 01/01/2019, on 31/12/2026 it is 95 months and 30 days, which the profile shows as 7 years 11 months.
        on = date(2026, 12, 31)
        for day in (date(2018, 12, 31), date(2019, 1, 1), date(2019, 1, 2)):
            make_member(self.cell_a1, f"Người {day:%d%m}", admitted_on=day)
        self.assertEqual(str(Member.objects.get(full_name="Người 0101").party_age(on)), "7 năm 11 tháng")
        self.assertEqual(str(Member.objects.get(full_name="Người 3112").party_age(on)), "8 năm")
        self.assertEqual({n for n in self.listed(8, on) if n.startswith("Người ")}, {"Người 3112"})

    def test_the_filter_agrees_with_the_profile_for_every_admission_day_around_the_bound(self):
        on = date(2026, 3, 31)
        start = date(2018, 1, 1)
        for k in range(0, 120, 3):
            make_member(self.cell_a2, f"Thử {k:03d}", admitted_on=start + timedelta(days=k))
        members = Member.objects.filter(full_name__startswith="Thử ")
        expected = {m.full_name for m in members if m.party_age(on).total_months >= 96}
        self.assertTrue(0 < len(expected) < members.count())
        self.assertEqual({n for n in self.listed(8, on) if n.startswith("Thử ")}, expected)


MIGRATION_HEADERS = ["Mã đảng viên", "Họ và tên", "Giới tính", "Ngày sinh", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng",
                     "Ngày chính thức", "Số văn bản đồng ý kết nạp trên 60 tuổi",
                     "Ngày văn bản đồng ý kết nạp trên 60 tuổi"]
EVENT_HEADERS = ["Mã đảng viên", "Sự kiện", "Ngày", "Mã tổ chức", "Trạng thái sau", "Số quyết định", "Ghi chú",
                 "Lý do ra khỏi Đảng"]


class MigrationRulesTests(MigrationTestCase):
    """The national migration holds its rows to the same rules, by line."""

    def load(self, members, events=()):
        self.write()  # the units of the migration tests; the member and event files are ours:
        # with the consent columns and the optional reason column.
        for name, rows in ((migration.MEMBERS_FILE, [MIGRATION_HEADERS, *members]),
                           (migration.EVENTS_FILE, [EVENT_HEADERS, *events])):
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            (self.folder / name).write_text(text.getvalue(), encoding="utf-8")
        return self.run_migration()

    def test_a_row_over_60_without_the_consent_is_refused_and_with_it_loads(self):
        row = ["201", "Hồ Văn Lão", "Nam", "01/01/1954", "38.001.001", "Dự bị", "01/03/2020", "", "", ""]
        self.assert_refused(self.load([row]), migration.MEMBERS_FILE, 2, "quá 60 tuổi",
                            column="Số văn bản đồng ý kết nạp trên 60 tuổi")
        row[8:10] = ["15-CV/TU", "01/02/2020"]
        report = self.load([row])
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(Member.objects.get(pk=201).over_age_consent_on, date(2020, 2, 1))

    def test_an_early_recognition_is_refused(self):
        row = ["202", "Hồ Văn Sớm", "Nam", "01/01/1990", "38.001.001", "Chính thức", "01/03/2020", "01/04/2020", "", ""]
        self.assert_refused(self.load([row]), migration.MEMBERS_FILE, 2, "chưa đủ 12 tháng dự bị")

    def test_a_readmission_after_a_resignation_needs_the_family_reason(self):
        row = ["203", "Hồ Văn Lại", "Nam", "01/01/1980", "38.001.001", "Dự bị", "01/03/2005", "01/03/2006", "", ""]
        events = [["203", "Ra khỏi Đảng", "01/01/2010", "", "", "", "", ""],
                  ["203", "Kết nạp lại", "01/01/2020", "", "", "", "", ""]]
        self.assert_refused(self.load([row], events), migration.MEMBERS_FILE, 2, "hoàn cảnh gia đình")
        events[0][7] = "Hoàn cảnh gia đình đặc biệt khó khăn"
        report = self.load([row], events)
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(Member.objects.get(pk=203).events.get(kind="ra_khoi_dang").reason, "hoan_canh_gia_dinh")

    def test_a_former_member_loaded_by_the_migration_is_filtered_by_the_age_they_reached(self):
        self.write()
        self.assertTrue(self.run_migration().ok)
        dead = Member.objects.get(pk=107)  # admitted 01/02/1965, died 10/10/2024: 59 years 8 months
        self.assertEqual(dead.left_party_months, dead.party_age(TODAY).total_months)
        self.assertIn(107, set(Member.objects.party_age_at_least(59, TODAY).values_list("pk", flat=True)))
        self.assertNotIn(107, set(Member.objects.party_age_at_least(60, TODAY).values_list("pk", flat=True)))


class FormerMemberAgeTests(BaseTestCase):
    def test_the_stored_age_follows_a_corrected_admission_date_and_a_readmission(self):
        member = make_member(self.cell_a1, "Lý Văn Đi", admitted_on=date(2015, 1, 1))
        services.record_event(member, "xoa_ten", on=date(2020, 1, 1), by=None, reason="khac")
        self.assertEqual(Member.objects.get(pk=member.pk).left_party_months, 60)
        services.update_member(Member.objects.get(pk=member.pk), {"admitted_on": date(2014, 1, 1),
                                                                  "recognized_on": date(2015, 1, 1)}, by=None)
        self.assertEqual(Member.objects.get(pk=member.pk).left_party_months, 72)
        services.record_event(Member.objects.get(pk=member.pk), "ket_nap_lai", on=date(2023, 1, 1), by=None)
        self.assertIsNone(Member.objects.get(pk=member.pk).left_party_months)
