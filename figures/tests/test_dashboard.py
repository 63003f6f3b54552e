from datetime import date

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from access.rules import Role
from assessment.models import Summary
from assessment.rules import Level, Subject
from dangvu.testing import BaseTestCase, VisibilityMixin, make_member, make_user
from figures import charts, dashboard
from members.models import Gender, Status
from targets.rules import Source
from targets.tests.world import TargetsTestCase

URL = reverse("figures-dashboard")


class DashboardFiguresTests(BaseTestCase):
    def test_membership_counts_each_year_end_as_it_was(self):
        # The world's three of commune A came on 1/7/2025 (REFORM); one more on 2/1/2023.
        make_member(self.cell_a2, "Võ Văn Mới", admitted_on=date(2023, 1, 2), status=Status.PROBATIONARY)
        rows = dict(dashboard.membership(self.commune_a, self.binh, date(2026, 12, 4)))
        self.assertEqual(rows["2022"].total, 0)
        self.assertEqual(rows["2023"].total, 1)
        self.assertEqual(rows["2024"].total, 1)
        self.assertEqual(rows["2025"].total, 4)
        self.assertEqual(rows["2025"].official, 0)  # the officials became so on 1/7/2026, a year on
        self.assertEqual(rows["2025"].probationary, 4)
        self.assertEqual(rows["Hiện nay"].total, 4)
        self.assertEqual(rows["Hiện nay"].probationary, 2)

    def test_admissions_per_year(self):
        make_member(self.cell_a2, "Võ Văn Mới", admitted_on=date(2023, 1, 2), status=Status.PROBATIONARY)
        years = {y: (n, plan) for y, n, plan in dashboard.admissions(self.commune_a, self.binh, date(2026, 12, 4))}
        self.assertEqual(years[2023], (1, None))
        self.assertEqual(years[2024], (0, None))
        self.assertEqual(years[2025], (3, None))
        self.assertEqual(dashboard.admissions(self.commune_b, self.dung, date(2026, 12, 4))[-2], (2025, 1, None))

    def test_ethnicity_groups_minorities(self):
        make_member(self.cell_a1, "Hà Thị Em", gender=Gender.FEMALE, ethnicity="Tày")
        rows = dict(dashboard.ethnicity(self.commune_a, self.binh))
        self.assertEqual(rows, {"Kinh": 3, "Tày": 1})

    def test_classification_of_last_year(self):
        # Summary rows are what assessment keeps in step with its decided ratings (cell-level counts).
        last = timezone.localdate().year - 1
        Summary.objects.create(unit=self.cell_a1, year=last, subject=Subject.MEMBERS, level=Level.GOOD, count=2)
        Summary.objects.create(unit=self.cell_a2, year=last, subject=Subject.MEMBERS, level=Level.EXCELLENT, count=1)
        Summary.objects.create(unit=self.cell_b1, year=last, subject=Subject.MEMBERS, level=Level.FAILED, count=1)
        board = dashboard.build(self.commune_a, self.binh)
        self.assertEqual((board.classification.year, board.classification.total), (last, 3))
        self.assertEqual(board.classification.count(Level.GOOD), 2)
        self.assertEqual(board.classification.count(Level.FAILED), 0)  # commune B's is not A's

    def test_discipline_only_for_inspection_right(self):
        self.assertIsNone(dashboard.build(self.commune_a, self.binh).discipline)
        kiemtra = make_user("kiemtra_a", self.commune_a, Role.INSPECTION)
        board = dashboard.build(self.commune_a, kiemtra)
        self.assertEqual(board.discipline["disciplined"], {"organizations": 0, "members": 0})


class DashboardPageTests(VisibilityMixin, BaseTestCase):
    def test_top_unit_by_default_with_charts(self):
        self.client.force_login(self.binh)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn("Tổng quan: Đảng bộ xã An Hòa", text)
        self.assertIn('<strong id="tong-so">3</strong>', text)
        self.assertGreaterEqual(text.count("<svg"), 6)
        self.assertNotIn("<script>", text.split("</head>")[1])
        self.assertNotIn("bieu-do-ky-luat", text)  # binh holds no inspection right

    def test_picker_opens_a_unit_in_reach(self):
        self.client.force_login(self.an)
        response = self.client.get(URL, {"to_chuc": self.cell_a1.pk})
        self.assertContains(response, "Tổng quan: Chi bộ thôn An Phú")
        self.assertContains(response, '<strong id="tong-so">2</strong>', html=False)

    def test_404_outside_subtree(self):
        self.assert_page_hidden_from_dung(f"{URL}?to_chuc={self.commune_a.pk}")
        self.client.force_login(self.binh)
        self.assertEqual(self.client.get(URL, {"to_chuc": "x"}).status_code, 404)

    def test_dung_sees_nothing_of_a(self):
        self.client.force_login(self.dung)
        self.assert_no_trace_of_a(self.client.get(URL).content)

    def test_inspection_officer_sees_discipline(self):
        kiemtra = make_user("kiemtra_a", self.commune_a, Role.INSPECTION)
        self.client.force_login(kiemtra)
        self.assertContains(self.client.get(URL), 'id="bieu-do-ky-luat"')

    @override_settings(DEBUG=False)
    def test_renders_with_debug_off(self):
        self.client.force_login(self.an)
        self.assertEqual(self.client.get(URL).status_code, 200)

    def test_menu_entry(self):
        self.client.force_login(self.binh)
        self.assertContains(self.client.get(reverse("orgs-tree")), f'href="{URL}"')


class ChartTests(BaseTestCase):
    def test_bar_scales_and_formats_vietnamese(self):
        svg = charts.bar("Số <đảng viên>", ["2024", "2025"], [1200, 60137])
        self.assertIn('viewBox="0 0 640 300"', svg)
        self.assertIn("60.137", svg)
        self.assertIn("&lt;đảng viên&gt;", svg)
        self.assertEqual(svg.count("<rect"), 1 + 2)  # background and two bars

    def test_png_for_the_word_report(self):
        png = charts.png_bytes(charts.line("Kết nạp", ["2024", "2025"], [("Kết nạp", [2, 5]), ("Kế hoạch", [None, 4])]))
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        self.assertGreater(len(png), 2000)

    def test_empty_chart_says_so(self):
        self.assertIn("Chưa có số liệu", charts.bar("X", ["a"], [0]))
        self.assertIn("Chưa có số liệu", charts.line("X", ["a"], [("k", [None])]))

    def test_stacked_and_line(self):
        svg = charts.stacked_bar("X", ["a", "b"], [("Chính thức", [3, 1]), ("Dự bị", [1, 0])])
        self.assertIn(">4<", svg)  # total above the first bar
        self.assertIn("Dự bị", svg)  # legend
        svg = charts.line("Y", ["2024", "2025"], [("Kết nạp", [2, 5]), ("Kế hoạch", [None, 4])])
        self.assertEqual(svg.count("<circle"), 3)

    def test_nice_axis(self):
        self.assertEqual(charts._nice_max(3), 4)
        self.assertEqual(charts._nice_max(5), 8)
        self.assertEqual(charts._nice_max(9), 10)
        self.assertEqual(charts._nice_max(60137), 100000)
        self.assertEqual(charts._nice_max(1200), 2000)


class AdmissionPlanTests(TargetsTestCase):
    def test_plan_comes_from_the_units_ket_nap_target(self):
        self.target(unit=self.commune_a, document=self.plan_a, plans={2024: 5, 2025: 2}, source=Source.COMPUTED,
                    computed_key="ket_nap")
        years = {y: (n, plan) for y, n, plan in dashboard.admissions(self.commune_a, self.binh, date(2026, 12, 4))}
        self.assertEqual(years[2025], (3, 2))  # the world's three of A, against a plan of 2
        self.assertEqual(years[2024], (0, 5))
        self.assertEqual(years[2026], (0, None))
        self.assertEqual(dashboard.admissions(self.province, self.an, date(2026, 12, 4))[-2], (2025, 4, None))

    def test_targets_of_the_year_are_charted(self):
        year = timezone.localdate().year
        self.client.force_login(self.binh)
        self.assertContains(self.client.get(URL), f"Tổ chức này chưa có chỉ tiêu cho năm {year}")
        self.target(unit=self.commune_a, document=self.plan_a, plans={year: 1}, source=Source.COMPUTED,
                    computed_key="ket_nap")
        response = self.client.get(URL)
        self.assertContains(response, f'aria-label="Chỉ tiêu năm {year}"')
        self.assertContains(response, "chỉ tiêu đạt hoặc vượt")
