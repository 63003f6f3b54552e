from datetime import date

from audit.models import AuditEntry
from calendars.models import DayException, DayKind
from calendars.workdays import is_working_day
from dangvu.testing import BaseTestCase


class CalendarPageTest(BaseTestCase):
    def test_any_logged_in_user_sees_the_year(self):
        self.client.force_login(self.dung)
        response = self.client.get("/lich-lam-viec/?nam=2026")
        self.assertContains(response, "Lịch ngày làm việc năm 2026")
        self.assertContains(response, "17/02/2026")  # Tết
        self.assertContains(response, "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)")
        self.assertContains(response, "14/02/2026 – 22/02/2026: 9 ngày")
        self.assertNotContains(response, "Ghi ngày nghỉ hoán đổi")  # no form for a commune officer

    def test_it_needs_a_login(self):
        response = self.client.get("/lich-lam-viec/")
        self.assertEqual(response.status_code, 302)

    def test_the_province_admin_adds_a_day_off_and_it_counts(self):
        self.client.force_login(self.admin)
        response = self.client.post("/lich-lam-viec/them/", {"day": "02/03/2026", "kind": DayKind.DAY_OFF,
                                                             "note": "Nghỉ thử", "source": "Thông báo thử"})
        self.assertRedirects(response, "/lich-lam-viec/?nam=2026")
        self.assertFalse(is_working_day(date(2026, 3, 2)))
        self.assertTrue(AuditEntry.objects.filter(action="calendars.day_exception.added").exists())

    def test_a_make_up_day_on_a_working_day_is_refused_with_the_input_kept(self):
        self.client.force_login(self.admin)
        response = self.client.post("/lich-lam-viec/them/", {"day": "02/03/2026", "kind": DayKind.WORKING,
                                                             "note": "Ghi nhầm", "source": "Thông báo thử"})
        self.assertContains(response, "Ngày 02/03/2026 đã là ngày làm việc (thứ Hai)", status_code=400)
        self.assertContains(response, "Ghi nhầm", status_code=400)
        self.assertFalse(DayException.objects.filter(day=date(2026, 3, 2)).exists())

    def test_a_day_off_on_a_holiday_is_refused(self):
        self.client.force_login(self.admin)
        response = self.client.post("/lich-lam-viec/them/", {"day": "17/02/2026", "kind": DayKind.DAY_OFF,
                                                             "source": "Thông báo thử"})
        self.assertContains(response, "đã là ngày nghỉ (Tết Nguyên Đán)", status_code=400)

    def test_a_day_already_in_the_table_is_refused(self):
        self.client.force_login(self.admin)
        response = self.client.post("/lich-lam-viec/them/", {"day": "02/05/2025", "kind": DayKind.WORKING,
                                                             "source": "Thông báo thử"})
        self.assertContains(response, "đã có trong bảng ngày nghỉ/làm bù", status_code=400)

    def test_a_wrong_date_says_how_to_write_it(self):
        self.client.force_login(self.admin)
        response = self.client.post("/lich-lam-viec/them/", {"day": "31/02/2026", "kind": DayKind.DAY_OFF,
                                                             "source": "x"})
        self.assertContains(response, "Hãy nhập một ngày có thật", status_code=400)

    def test_the_admin_deletes_a_make_up_day(self):
        row = DayException.objects.create(day=date(2026, 3, 14), kind=DayKind.WORKING, source="thử")
        self.assertTrue(is_working_day(date(2026, 3, 14)))
        self.client.force_login(self.admin)
        response = self.client.post(f"/lich-lam-viec/{row.pk}/xoa/")
        self.assertRedirects(response, "/lich-lam-viec/?nam=2026")
        self.assertFalse(is_working_day(date(2026, 3, 14)))

    def test_an_officer_may_not_edit(self):
        row = DayException.objects.get(day=date(2025, 5, 2))
        self.client.force_login(self.an)
        self.assertEqual(self.client.post(f"/lich-lam-viec/{row.pk}/xoa/").status_code, 403)
        response = self.client.post("/lich-lam-viec/them/", {"day": "02/03/2026", "kind": DayKind.DAY_OFF, "source": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(DayException.objects.filter(pk=row.pk).exists())


class WorkdaysApiTest(BaseTestCase):
    def test_add_counts_across_tet(self):
        response = self.api(self.dung, "get", "/api/v1/workdays/add?start=2026-01-05&days=60")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"date": "2026-04-06"})

    def test_add_needs_a_token(self):
        self.assertEqual(self.client.get("/api/v1/workdays/add?start=2026-01-05&days=60").status_code, 401)

    def test_add_refuses_a_bad_date_and_a_negative_count(self):
        response = self.api(self.an, "get", "/api/v1/workdays/add?start=2026-02-30&days=-1")
        self.assertEqual(response.status_code, 422)
        fields = {e["field"]: e["message"] for e in response.json()["errors"]}
        self.assertIn("YYYY-MM-DD", fields["start"])
        self.assertIn("lớn hơn hoặc bằng 0", fields["days"])

    def test_the_year_lists_days_off_and_make_up_days(self):
        response = self.api(self.an, "get", "/api/v1/workdays?year=2025")
        days = {d["date"]: d for d in response.json()}
        self.assertTrue(days["2025-04-26"]["working"])
        self.assertEqual(days["2025-04-26"]["origin"], "thong_bao")
        self.assertFalse(days["2025-01-29"]["working"])
