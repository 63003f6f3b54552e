"""The work list: each provider on both sides of its deadline, scoping, the page, the API, the Excel file."""

import io
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bodies.congresses import create_term, save_congress
from calendars.workdays import add_working_days
from core import worklist
from dangvu.testing import BaseTestCase, VisibilityMixin, make_member
from members import rules
from members.choices import EventKind
from members.services import record_event

END = date(2026, 7, 1)  # member_a1_prob was admitted on 01/7/2025: 12 months of probation


def titles(user, today, **kw):
    return {(i.title, i.due, i.overdue) for i in worklist.collect(user, today, **kw)}


class ProbationTests(BaseTestCase):
    def test_probation_ending_shows_within_the_window_only(self):
        self.assertEqual(rules.end_of_probation(self.member_a1_prob.admitted_on), END)
        title = "Hết thời gian dự bị: Trần Thị Bình"
        self.assertIn((title, END, False), titles(self.binh, END - timedelta(days=30)))
        self.assertNotIn(title, {t for t, *_ in titles(self.binh, END - timedelta(days=31))})
        self.assertIn((title, END, False), titles(self.binh, END - timedelta(days=7), window="7_ngay"))
        self.assertNotIn(title, {t for t, *_ in titles(self.binh, END - timedelta(days=8), window="7_ngay")})

    def test_recognition_due_30_working_days_after_probation_ends_then_overdue(self):
        due = add_working_days(END, rules.rule("RECOGNITION_CONSIDER_WORKING_DAYS"))
        self.assertGreater(due, END + timedelta(days=30))  # working days, not calendar days
        title = "Xét công nhận đảng viên chính thức: Trần Thị Bình"
        self.assertIn((title, due, False), titles(self.binh, due - timedelta(days=30)))
        self.assertNotIn(title, {t for t, *_ in titles(self.binh, due - timedelta(days=31))})
        self.assertIn((title, due, False), titles(self.binh, due))
        self.assertIn((title, due, True), titles(self.binh, due + timedelta(days=1)))
        self.assertIn((title, due, True), titles(self.binh, due + timedelta(days=400), window="qua_han"))
        self.assertEqual(titles(self.binh, due, window="qua_han"), set())
        # Not a probation ending any more once it has ended.
        self.assertNotIn("Hết thời gian dự bị: Trần Thị Bình", {t for t, *_ in titles(self.binh, END + timedelta(days=1))})

    def test_a_readmitted_member_counts_from_the_readmission(self):
        m = make_member(self.cell_a2, "Đỗ Văn Em", admitted_on=date(2000, 5, 1), status="du_bi")
        record_event(m, EventKind.RECOGNIZED, on=date(2001, 5, 1), by=None)
        record_event(m, EventKind.STRUCK_OFF, on=date(2010, 3, 1), by=None)
        record_event(m, EventKind.READMITTED, on=date(2025, 9, 1), by=None)
        end = date(2026, 9, 1)
        title = "Hết thời gian dự bị: Đỗ Văn Em"
        self.assertIn((title, end, False), titles(self.binh, end - timedelta(days=30)))
        self.assertNotIn(title, {t for t, *_ in titles(self.binh, date(2026, 7, 1))})
        due = add_working_days(end, 30)
        self.assertIn(("Xét công nhận đảng viên chính thức: Đỗ Văn Em", due, True),
                      titles(self.binh, due + timedelta(days=1)))

    def test_official_members_are_not_listed(self):
        self.member_a1_prob.__class__.objects.filter(pk=self.member_a1_prob.pk).update(status="chinh_thuc")
        self.assertEqual(worklist.collect(self.binh, END + timedelta(days=100)), [])

    def test_scoping(self):
        due = add_working_days(END, 30)
        self.assertTrue(titles(self.an, due))
        self.assertTrue(titles(self.chi, due))
        self.assertEqual(titles(self.dung, due), set())


class BadgeTests(BaseTestCase):
    def test_a_badge_due_at_the_next_award_date_shows_once_that_date_is_in_view(self):
        make_member(self.cell_a1, "Lê Văn Ba Mươi", birth_date=date(1970, 5, 5), admitted_on=date(1997, 1, 15))
        title = "Huy hiệu 30 năm tuổi Đảng: Lê Văn Ba Mươi"
        award = date(2027, 2, 3)
        self.assertIn((title, award, False), titles(self.binh, award - timedelta(days=30)))
        self.assertNotIn(title, {t for t, *_ in titles(self.binh, award - timedelta(days=31))})
        self.assertNotIn(title, {t for t, *_ in titles(self.dung, award - timedelta(days=30))})


class BodiesTests(BaseTestCase):
    def test_planned_congress_due_on_its_day_overdue_the_next(self):
        day = date(2026, 1, 20)
        save_congress(self.cell_b1, term_label="2025–2030", planned_on=day, by=None)
        title = "Đại hội nhiệm kỳ 2025–2030: Chi bộ thôn Bình Tây"
        self.assertIn((title, day, False), titles(self.dung, day))
        self.assertIn((title, day, True), titles(self.dung, day + timedelta(days=1)))
        self.assertNotIn(title, {t for t, *_ in titles(self.dung, day - timedelta(days=31))})
        self.assertEqual(titles(self.binh, day), set())  # commune A's officer sees nothing of B

    def test_term_run_out_without_a_congress(self):
        term = create_term(self.cell_a2, label="2020–2022", starts_on=date(2020, 9, 1), by=None)
        end = term.expected_end
        found = [i for i in worklist.collect(self.binh, end + timedelta(days=1)) if i.kind == "bodies.term"]
        self.assertEqual([(i.due, i.overdue, i.unit_id) for i in found], [(end, True, self.cell_a2.pk)])
        self.assertEqual([i for i in worklist.collect(self.binh, end - timedelta(days=31)) if i.kind == "bodies.term"], [])
        self.assertEqual([i for i in worklist.collect(self.dung, end) if i.kind == "bodies.term"], [])
        term.__class__.objects.filter(pk=term.pk).update(ends_on=end)  # its congress held: the term closed
        self.assertEqual([i for i in worklist.collect(self.binh, end + timedelta(days=1)) if i.kind == "bodies.term"],
                         [])


class RegistryTests(BaseTestCase):
    def test_an_app_adds_its_kind_without_the_list_knowing_it(self):
        def provider(user, today, horizon):
            yield worklist.Item("test.kind", "Việc thử", today, self.cell_a1.pk, "Chi bộ thôn An Phú",
                                unit_path=self.cell_a1.path)

        worklist.register("test.kind", "Loại thử", provider)
        try:
            today = date(2025, 8, 1)
            self.assertEqual([i.title for i in worklist.collect(self.binh, today, kind="test.kind")], ["Việc thử"])
            self.assertEqual(worklist.collect(self.binh, today, kind="test.kind", unit_path=self.cell_a2.path), [])
        finally:
            worklist._kinds.pop("test.kind")


class PageAndApiTests(VisibilityMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        # Only the two congresses below: the probationary member's dates are fixed, today is not.
        cls.member_a1_prob.__class__.objects.filter(pk=cls.member_a1_prob.pk).update(status="chinh_thuc")
        save_congress(cls.cell_a1, term_label="2025–2030", planned_on=cls.today + timedelta(days=3), by=None)
        save_congress(cls.cell_a2, term_label="2025–2030", planned_on=cls.today - timedelta(days=2), by=None)

    def test_page_lists_and_filters(self):
        self.client.force_login(self.binh)
        page = self.client.get(reverse("core-worklist")).content.decode()
        self.assertIn("Đại hội nhiệm kỳ 2025–2030: Chi bộ thôn An Phú", page)
        self.assertIn("Đại hội nhiệm kỳ 2025–2030: Chi bộ thôn An Lạc", page)
        page = self.client.get(reverse("core-worklist"), {"han": "qua_han"}).content.decode()
        self.assertNotIn("Đại hội nhiệm kỳ 2025–2030: Chi bộ thôn An Phú", page)
        self.assertIn("Đại hội nhiệm kỳ 2025–2030: Chi bộ thôn An Lạc", page)
        page = self.client.get(reverse("core-worklist"), {"to_chuc": self.cell_a1.pk}).content.decode()
        self.assertNotIn("Đại hội nhiệm kỳ 2025–2030: Chi bộ thôn An Lạc", page)

    def test_dung_sees_nothing_of_a_and_cannot_ask_for_a(self):
        self.client.force_login(self.dung)
        page = self.client.get(reverse("core-worklist"), {"to_chuc": self.cell_a1.pk}).content.decode()
        self.assertIn("không có trong phạm vi bạn được xem", page)
        self.assert_no_trace_of_a(page)
        self.assert_no_trace_of_a(self.client.get(reverse("orgs-tree")).content)

    def test_home_page_counts(self):
        self.client.force_login(self.binh)
        page = self.client.get(reverse("orgs-tree")).content.decode()
        self.assertIn("1 quá hạn", page)
        self.assertIn("1 đến hạn trong 7 ngày", page)
        self.client.force_login(self.dung)
        page = self.client.get(reverse("orgs-tree")).content.decode()
        self.assertIn("0 đến hạn trong 7 ngày", page)
        self.assertNotIn("quá hạn</a>", page)

    def test_excel(self):
        self.client.force_login(self.binh)
        response = self.client.get(reverse("core-worklist-xlsx"))
        self.assertEqual(response.status_code, 200)
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("STT", "Loại việc", "Việc", "Hạn", "Tình trạng", "Tổ chức"))
        self.assertEqual(rows[1][2], "Đại hội nhiệm kỳ 2025–2030: Chi bộ thôn An Lạc")
        self.assertEqual(rows[1][3], f"{self.today - timedelta(days=2):%d/%m/%Y}")
        self.assertEqual(rows[1][4], "Quá hạn")
        self.assertEqual(ws.cell(row=2, column=4).data_type, "s")  # text cells
        self.client.force_login(self.dung)
        ws = load_workbook(io.BytesIO(self.client.get(reverse("core-worklist-xlsx")).content)).active
        self.assertEqual(ws.max_row, 1)

    def test_api(self):
        body = self.api(self.binh, "get", "/api/v1/worklist").json()
        self.assertEqual(body["count"], 2)
        self.assertIsNone(body["next"])
        first = body["items"][0]
        self.assertEqual((first["kind"], first["due"], first["overdue"], first["unit_id"]),
                         ("bodies.congress", (self.today - timedelta(days=2)).isoformat(), True, self.cell_a2.pk))
        body = self.api(self.binh, "get", "/api/v1/worklist?page_size=1").json()
        self.assertEqual((body["count"], len(body["items"])), (2, 1))
        self.assertIsNotNone(body["next"])
        on = (self.today + timedelta(days=10)).isoformat()
        body = self.api(self.binh, "get", f"/api/v1/worklist?on={on}&window=qua_han").json()
        self.assertEqual(body["count"], 2)
        self.assertEqual(self.api(self.dung, "get", "/api/v1/worklist").json()["count"], 0)
        body = self.api(self.binh, "get", f"/api/v1/worklist?unit={self.cell_a1.pk}").json()
        self.assertEqual([i["unit_id"] for i in body["items"]], [self.cell_a1.pk])
        self.assert_api_hidden_from_dung(f"/api/v1/worklist?unit={self.cell_a1.pk}")
        response = self.api(self.binh, "get", "/api/v1/worklist?window=mai")
        self.assertEqual(response.status_code, 422)
