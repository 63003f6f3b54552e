"""Every app's indicators through figures.indicators.compute, against the test world counted by hand."""

from datetime import date

from dangvu.testing import BaseTestCase, make_member
from figures import indicators
from members.choices import EventKind, Gender, Status
from members.services import record_event

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


class RegistryTest(BaseTestCase):
    def test_every_group_is_registered_and_every_code_computes(self):
        codes = [i.code for i in indicators.all_indicators()]
        for code in ("dv_tong", "dv_nu", "dv_dan_toc", "dv_ton_giao", "dv_tuoi_0", "dv_llct_cao_cap",
                     "dv_tuoi_dang_0", "bd_admitted", "bd_left", "xl_tc_xuat_sac", "kl_dang_vien", "ct_tong",
                     "kt_khen_thuong", "mh_cong_nhan"):
            self.assertIn(code, codes)
        values = indicators.compute(codes, self.province, self.an, *YEAR)
        self.assertEqual(set(values), set(codes))
        self.assertEqual(values["xl_tc_tong"], 0)
        self.assertEqual(values["kl_dang_vien"], 0)
        self.assertEqual(values["ct_tong"], 0)
        self.assertEqual(values["kt_khen_thuong"], 0)


class MembersTest(BaseTestCase):
    def test_structure_of_commune_a_at_the_end_of_2026(self):
        make_member(self.cell_a2, "Hà Thị Én", gender=Gender.FEMALE, ethnicity="Tày", religion="Phật giáo",
                    birth_date=date(2000, 1, 1), status=Status.PROBATIONARY, admitted_on=date(2026, 3, 2),
                    political_theory="so_cap")
        v = indicators.compute(["dv_tong", "dv_chinh_thuc", "dv_du_bi", "dv_nu", "dv_nam", "dv_dan_toc",
                                "dv_ton_giao", "dv_ton_giao_0", "dv_tuoi_0", "dv_tuoi_3", "dv_llct_so_cap",
                                "dv_tuoi_dang_0", "bd_admitted"], self.commune_a, self.an, *YEAR)
        # Ánh (official, 1980), Bình (probationary, woman), Cường (official), Én (admitted 2026, woman, Tày).
        self.assertEqual(v, {"dv_tong": 4, "dv_chinh_thuc": 2, "dv_du_bi": 2, "dv_nu": 2, "dv_nam": 2,
                             "dv_dan_toc": 1, "dv_ton_giao": 1, "dv_ton_giao_0": 1, "dv_tuoi_0": 1, "dv_tuoi_3": 0,
                             "dv_llct_so_cap": 1, "dv_tuoi_dang_0": 4, "bd_admitted": 1})

    def test_a_member_recorded_of_no_religion_is_not_counted_as_religious(self):
        make_member(self.cell_a2, "Hà Văn Khang", religion="Không")
        make_member(self.cell_a2, "Hà Thị Lan", religion="Phật giáo Hòa Hảo")
        v = indicators.compute(["dv_ton_giao", "dv_ton_giao_4", "dv_ton_giao_khac"], self.commune_a, self.an, *YEAR)
        self.assertEqual(v, {"dv_ton_giao": 1, "dv_ton_giao_4": 1, "dv_ton_giao_khac": 0})

    def test_a_past_day_counts_the_member_where_they_then_were(self):
        record_event(self.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_b1, by=self.an)
        before = indicators.compute(["dv_tong", "dv_nam"], self.commune_a, self.an, date(2026, 1, 1), date(2026, 8, 2))
        after = indicators.compute(["dv_tong", "dv_nam"], self.commune_a, self.an, date(2026, 1, 1), date(2026, 8, 3))
        self.assertEqual(before, {"dv_tong": 3, "dv_nam": 2})
        self.assertEqual(after, {"dv_tong": 2, "dv_nam": 1})


class RestructuredTest(BaseTestCase):
    def test_a_merged_commune_counts_where_it_then_stood(self):
        from orgs.services import merge_units

        merge_units(self.commune_b, self.commune_a, on=date(2026, 11, 2), by=self.admin)
        before = (date(2026, 1, 1), date(2026, 11, 1))
        self.assertEqual(indicators.compute(["dv_tong", "dv_nu"], self.commune_a, self.an, *before),
                         {"dv_tong": 3, "dv_nu": 1})
        self.assertEqual(indicators.compute(["dv_tong", "dv_nu"], self.commune_b, self.an, *before),
                         {"dv_tong": 1, "dv_nu": 1})
        after = (date(2026, 1, 1), date(2026, 11, 2))
        self.assertEqual(indicators.compute(["dv_tong", "dv_nu"], self.commune_a, self.an, *after),
                         {"dv_tong": 4, "dv_nu": 2})


class AwardsTest(BaseTestCase):
    def test_commendations_in_the_period_only(self):
        from assessment.models import AwardKind, Commendation

        for day, unit, member in ((date(2026, 3, 1), self.cell_a1, None), (date(2026, 3, 2), self.cell_a1,
                                                                           self.member_a1),
                                  (date(2025, 12, 31), self.cell_a1, None), (date(2026, 3, 1), self.cell_b1, None)):
            Commendation.objects.create(subject_unit=unit, recipient_unit=None if member else unit, member=member,
                                        kind=AwardKind.CERTIFICATE, issuer="Đảng ủy xã", decision_number="1-QĐ",
                                        decided_on=day, reason="Thành tích")
        v = indicators.compute(["kt_khen_thuong", "kt_khen_thuong_tap_the", "kt_khen_thuong_ca_nhan"],
                               self.commune_a, self.an, *YEAR)
        self.assertEqual(v, {"kt_khen_thuong": 2, "kt_khen_thuong_tap_the": 1, "kt_khen_thuong_ca_nhan": 1})
