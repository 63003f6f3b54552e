"""The cell's vote is refused while the candidate is not eligible on its day: both sides of every threshold."""

from datetime import date, timedelta

from admission import rules, services
from admission.models import Exception_, Introduction, Stage
from admission.tests.world import VOTE, AdmissionTestCase
from core.errors import DomainError
from members.rules import add_months


class EligibilityTests(AdmissionTestCase):
    def vote(self, c, on=VOTE, votes_for=5):
        return services.cell_vote(c, on=on, votes_for=votes_for, by=self.binh)

    def refused(self, c, field, *words, on=VOTE):
        with self.assertRaises(DomainError) as ctx:
            self.vote(c, on=on)
        errors = {e.field: e.message for e in ctx.exception.each()}
        self.assertIn(field, errors, errors)
        for word in words:
            self.assertIn(word, errors[field])
        c.refresh_from_db()
        self.assertEqual(c.stage, Stage.REGISTERED)
        self.assertFalse(c.steps.exists())
        return errors[field]

    def test_a_candidate_aged_60_years_and_1_month_needs_the_provincial_consent(self):
        c = self.make_candidate(birth_date=date(1965, 11, 1))  # 721 months on 01/12/2025
        self.refused(c, "over_age_consent_number", "quá 60 tuổi", "Ban Thường vụ Tỉnh ủy", "Điều lệ")
        services.update(c, {"over_age_consent_number": "45-CV/TU", "over_age_consent_on": date(2025, 11, 20)},
                        by=self.binh)
        self.assertTrue(self.vote(c).passed)

    def test_exactly_60_years_needs_no_consent(self):
        c = self.make_candidate(birth_date=date(1965, 12, 1))  # 720 months
        self.assertTrue(self.vote(c).passed)

    def test_18_years_counted_in_months(self):
        young = self.make_candidate(birth_date=date(2007, 12, 2))  # 18 years less a day
        self.refused(young, "on", "chưa đủ 18 tuổi")
        of_age = self.make_candidate(full_name="Võ Văn Đủ", birth_date=date(2007, 12, 1))
        self.assertTrue(self.vote(of_age).passed)

    def test_lower_secondary_school_or_primary_in_the_listed_areas(self):
        c = self.make_candidate(general_education="8/12")
        self.refused(c, "general_education", "tốt nghiệp trung học cơ sở")
        services.update(c, {"education_exception": Exception_.MOUNTAIN, "general_education": "4/12"}, by=self.binh)
        self.refused(c, "general_education", "tốt nghiệp tiểu học")
        services.update(c, {"general_education": "5/12"}, by=self.binh)
        self.assertTrue(self.vote(c).passed)

    def test_old_ten_year_system_lower_secondary_is_grade_7(self):
        self.assertEqual(rules.grade_of("7/10"), 9)
        self.assertEqual(rules.grade_of("6/10"), 8)
        self.assertEqual(rules.grade_of("10/10"), 12)
        self.assertIsNone(rules.grade_of("lớp 9"))

    def test_the_certificate_is_valid_60_months(self):
        issued = date(2020, 12, 2)
        last = rules.valid_until(issued, 60)
        self.assertEqual(last, date(2025, 12, 1))
        c = self.make_candidate(certificate_on=issued)
        self.assertTrue(self.vote(c, on=last).passed)
        late = self.make_candidate(full_name="Võ Văn Muộn", certificate_on=issued - timedelta(days=1))
        self.refused(late, "certificate_on", "60 tháng", "30/11/2025")

    def test_dossier_papers_are_valid_12_months(self):
        c = self.make_candidate(application_on=date(2024, 12, 2))
        self.assertTrue(self.vote(c).passed)  # valid through 01/12/2025
        old = self.make_candidate(full_name="Võ Văn Cũ", cv_on=date(2024, 12, 1))
        self.refused(old, "cv_on", "12 tháng", "Lý lịch")

    def test_a_missing_paper_or_one_dated_after_the_vote_is_named(self):
        c = self.make_candidate(verified_on=None, residence_comment_on=VOTE + timedelta(days=1))
        with self.assertRaises(DomainError) as ctx:
            self.vote(c)
        fields = {e.field for e in ctx.exception.each()}
        self.assertEqual(fields, {"verified_on", "residence_comment_on"})

    def test_introducers_have_known_the_candidate_12_months(self):
        since = add_months(VOTE, -12)
        c = self.make_candidate(introducer_2_since=since)
        self.assertTrue(self.vote(c).passed)
        c2 = self.make_candidate(full_name="Võ Văn Mới", introducer_2_since=since + timedelta(days=1))
        self.refused(c2, "introducer_2_since", "chưa đủ 12 tháng", "Điều lệ Đảng Điều 4")

    def test_a_probationary_introducer_is_refused(self):
        c = self.make_candidate(introducer_2=self.member_a1_prob)
        self.refused(c, "introducer_2", "không phải đảng viên chính thức")

    def test_the_youth_union_and_one_official_member_introduce(self):
        c = self.make_candidate(introduction=Introduction.YOUTH_UNION, introducer_2=None, introducer_2_since=None)
        self.assertTrue(self.vote(c).passed)
        two = self.make_candidate(full_name="Võ Văn Thiếu", introducer_2=None)
        self.refused(two, "introducer_2", "hai đảng viên chính thức")

    def test_readmission_at_least_36_months_after_leaving(self):
        from members.models import EventKind, LeaveReason
        from members.services import record_event

        former = self.elders[4]
        record_event(former, EventKind.STRUCK_OFF, on=date(2022, 12, 2), by=None, reason=LeaveReason.OTHER)
        former.refresh_from_db()
        c = self.make_candidate(full_name=former.full_name, former_member=former, introducer_2=self.elders[3])
        self.refused(c, "on", "Chưa đủ 36 tháng")
        self.assertTrue(self.vote(c, on=date(2025, 12, 2), votes_for=4).passed)  # four officials left

    def test_never_readmitted_for_a_listed_reason(self):
        from members.models import EventKind, LeaveReason
        from members.services import record_event

        former = self.elders[4]
        record_event(former, EventKind.STRUCK_OFF, on=date(2015, 1, 5), by=None, reason=LeaveReason.CORRUPTION)
        former.refresh_from_db()
        c = self.make_candidate(former_member=former, introducer_2=self.elders[3])
        self.refused(c, "reason", "tham nhũng")
