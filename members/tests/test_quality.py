from datetime import date

from dangvu.testing import BaseTestCase, VisibilityMixin, make_member
from members.models import Member
from members.quality import report


class QualityTests(VisibilityMixin, BaseTestCase):
    def test_fill_rates_count_missing_citizen_ids(self):
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id="001080012345")
        result = report(self.commune_a, self.binh)
        cccd = next(f for f in result.fields if f.field == "citizen_id")
        self.assertEqual((result.total, cccd.required, cccd.missing), (3, 3, 2))
        self.assertAlmostEqual(cccd.percent, 100 / 3)

    def test_invalid_citizen_ids_are_listed(self):
        Member.objects.filter(pk=self.member_a2.pk).update(citizen_id="001099012345")  # year digits wrong
        problems = report(self.commune_a, self.binh).problems
        self.assertIn("Lê Văn Cường", [p.full_name for p in problems])
        self.assertIn("năm sinh", problems[0].problem)

    def test_same_name_and_birth_date_in_two_cells_are_probable_duplicates(self):
        make_member(self.cell_a2, "Nguyễn Văn Ánh", birth_date=date(1980, 5, 17))
        names = [p.full_name for p in report(self.commune_a, self.binh).problems]
        self.assertEqual(names.count("Nguyễn Văn Ánh"), 2)

    def test_complete_records_per_child_unit(self):
        result = report(self.commune_a, self.binh, children=[self.cell_a1, self.cell_a2])
        self.assertEqual([(u, total) for u, total, _complete in result.by_unit], [(self.cell_a1, 2), (self.cell_a2, 1)])

    def test_dung_counts_nothing_of_commune_a(self):
        result = report(self.commune_a, self.dung)
        self.assertEqual(result.total, 0)
        self.assertEqual(result.problems, [])
