"""The distribution (counts add to the total, percentages to 100), streaks, levels 3 and 4, the share of good
or better for targets, and the exports."""

import io
from datetime import date
from decimal import Decimal

from docx import Document
from openpyxl import load_workbook

from assessment import export, figures, results, services
from assessment.rules import Level, Subject
from assessment.tests.world import DECIDED_ON, YEAR, AssessmentTestCase
from dangvu.testing import make_member
from orgs.models import Kind


class LargestRemainderTests(AssessmentTestCase):
    def test_thirds_add_to_100(self):
        self.assertEqual(results.largest_remainder([1, 1, 1], 2), [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")])
        self.assertEqual(sum(results.largest_remainder([1, 1, 1], 0)), 100)
        self.assertEqual(results.largest_remainder([2, 4, 1, 0], 1), [Decimal("28.6"), Decimal("57.1"),
                                                                      Decimal("14.3"), Decimal("0.0")])
        self.assertEqual(results.largest_remainder([0, 0]), [0, 0])


class DistributionTests(AssessmentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        people = [make_member(cls.cell_a1, f"Người {i}") for i in range(7)]
        levels = [Level.EXCELLENT, Level.GOOD, Level.GOOD, Level.GOOD, Level.GOOD, Level.GOOD, Level.DONE]
        scores = {Level.EXCELLENT: 92, Level.GOOD: 80, Level.DONE: 60}
        services.record_results(cls.round_a, [{"member": m, "level": lv, "score": scores[lv]}
                                              for m, lv in zip(people, levels, strict=True)],
                                body=cls.du_a, decided_on=DECIDED_ON, by=None)
        cls.done_member = people[-1]

    def test_counts_add_up_and_percentages_make_100(self):
        d = results.distribution(self.province, self.an, YEAR, Subject.MEMBERS)
        self.assertEqual(d.total, 7)
        self.assertEqual([(r.level, r.count) for r in d.rows],
                         [(Level.EXCELLENT, 1), (Level.GOOD, 5), (Level.DONE, 1), (Level.FAILED, 0)])
        self.assertEqual(sum(r.percent for r in d.rows), 100)
        self.assertEqual([str(r.percent) for r in d.rows], ["14.29", "71.43", "14.28", "0.00"])

    def test_partial_visibility_counts_the_visible_ratings(self):
        # commune B's officer asking about the province sees B only: none of A's ratings.
        d = results.distribution(self.province, self.dung, YEAR, Subject.MEMBERS)
        self.assertEqual(d.total, 0)

    def test_low_levels_listed(self):
        rows = results.low(self.commune_a, self.binh, YEAR, Subject.MEMBERS)
        self.assertEqual([r.member_id for r in rows], [self.done_member.pk])

    def test_share_good_or_better(self):
        share = figures.share_good_or_better(self.commune_a, self.binh, YEAR, Subject.MEMBERS)
        self.assertEqual((share.good_or_better, share.total, share.percent), (6, 7, Decimal("85.71")))
        self.assertFalse(share.meets(95))
        self.assertTrue(share.meets(85.71))
        self.assertIsNone(figures.share_good_or_better(self.commune_b, self.dung, YEAR, Subject.MEMBERS).percent)

    def test_share_of_grassroots_organizations(self):
        school = self.make_grassroots()
        share = figures.share_good_or_better(self.commune_a, self.binh, YEAR, grassroots_only=True)
        self.assertEqual((share.good_or_better, share.total), (1, 1))
        self.assertEqual(figures.share_good_or_better(self.commune_a, self.binh, YEAR).total, 2)
        self.assertTrue(school)
        self.client.force_login(self.binh)
        page = self.client.get(f"/danh-gia/ket-qua/?to_chuc={self.commune_a.pk}&nam={YEAR}").content.decode()
        self.assertIn("Tổ chức cơ sở đảng: 1/1 (100,00%)", page)
        self.assertIn("Đảng viên: 6/7 (85,71%)", page)

    def make_grassroots(self):
        from dangvu.testing import make_unit
        school = make_unit(self.commune_a, "Đảng bộ Trường", Kind.GRASSROOTS_COMMITTEE)
        orgs = services.create_round(self.commune_a, year=YEAR, subject=Subject.ORGANIZATIONS, by=None)
        services.record_results(orgs, [{"unit": school, "level": Level.GOOD, "score": 85},
                                       {"unit": self.cell_a1, "level": Level.DONE, "score": 65}],
                                body=self.du_a, decided_on=DECIDED_ON, by=None)
        return school

    def test_exports_open(self):
        book = load_workbook(io.BytesIO(export.xlsx(self.commune_a, self.binh, YEAR)))
        first = [[c for c in row] for row in book["Kết quả xếp loại"].iter_rows(values_only=True)]
        self.assertIn(("Hoàn thành tốt nhiệm vụ", 5, 71.43), [tuple(r) for r in first])
        doc = Document(io.BytesIO(export.docx(self.commune_a, self.binh, YEAR, date(2026, 1, 5))))
        text = "\n".join(p.text for p in doc.paragraphs)
        self.assertIn("Kết quả đánh giá, xếp loại", text)


class StreakTests(AssessmentTestCase):
    def test_five_years_running(self):
        from members.models import MemberPeriod
        star = make_member(self.cell_a1, "Ngôi Sao")
        # The quota needs good ratings beside the excellent one: five good colleagues each year.
        mates = [make_member(self.cell_a1, f"Đồng chí {i}") for i in range(5)]
        MemberPeriod.objects.filter(member__in=[star, *mates]).update(valid_from=date(2015, 1, 1))  # members since
        for year in range(2021, 2026):
            r = self.round_a if year == YEAR else services.create_round(self.commune_a, year=year,
                                                                          subject=Subject.MEMBERS, by=None)
            rows = [{"member": star, "level": Level.EXCELLENT, "score": 95}]
            rows += [{"member": m, "level": Level.GOOD, "score": 80} for m in mates]
            services.record_results(r, rows, body=self.btv_tinh, decided_on=date(year, 12, 20), by=None)
        runs = results.streaks(self.commune_a, self.binh, 2025, Subject.MEMBERS)
        self.assertEqual([(s.name, s.years) for s in runs], [("Ngôi Sao", 5)])
        self.assertEqual(results.streaks(self.commune_a, self.binh, 2024, Subject.MEMBERS), [])  # only 4 by 2024
        self.assertEqual(results.streaks(self.commune_b, self.dung, 2025, Subject.MEMBERS), [])


class SeedFigureTests(AssessmentTestCase):
    def test_seed_003_legacy_title_five_years_and_seed_004_levels_3_and_4(self):
        from dangvu.testing import make_unit
        city = make_unit(self.province, "Đảng bộ thành phố Thủ Dầu Một", Kind.COMMUNE)
        for year in range(2016, 2021):
            r = services.create_round(self.province, year=year, subject=Subject.ORGANIZATIONS, by=None)
            services.record_results(r, [{"unit": city, "level": "tsvm_tieu_bieu"}], body=None,
                                    decided_on=date(year, 12, 28), by=None)
        d = results.distribution(self.province, self.an, 2019, Subject.ORGANIZATIONS)
        self.assertEqual([(r.label, r.count, str(r.percent)) for r in d.rows if r.count],
                         [("Trong sạch, vững mạnh tiêu biểu", 1, "100.00")])
        runs = results.streaks(self.province, self.an, 2020, Subject.ORGANIZATIONS, level="tsvm_tieu_bieu")
        self.assertEqual([(s.name, s.years) for s in runs], [("Đảng bộ thành phố Thủ Dầu Một", 5)])
        # seed 004: "01 đảng viên mức 03, 01 đảng viên mức 4"
        three, four = make_member(self.cell_a1, "Mức Ba"), make_member(self.cell_a1, "Mức Bốn")
        services.record_results(self.round_a, [{"member": three, "level": Level.DONE, "score": 60},
                                               {"member": four, "level": Level.FAILED, "score": 45}],
                                body=self.du_a, decided_on=DECIDED_ON, by=None)
        self.client.force_login(self.binh)
        page = self.client.get(f"/danh-gia/ket-qua/?to_chuc={self.commune_a.pk}&nam={YEAR}").content.decode()
        self.assertIn("Mức Ba (Chi bộ thôn An Phú): Hoàn thành nhiệm vụ", page)
        self.assertIn("Mức Bốn (Chi bộ thôn An Phú): Không hoàn thành nhiệm vụ", page)
