"""The dated rule of who decides, the shares of votes, and overrides without a release."""

from datetime import date

from django.test import SimpleTestCase, override_settings

from admission import rules, services
from admission.tests.world import AdmissionTestCase
from core.errors import DomainError


class RuleTests(SimpleTestCase):
    def test_two_thirds_on_both_sides(self):
        self.assertTrue(rules.enough_votes(6, 9))
        self.assertFalse(rules.enough_votes(5, 9))
        self.assertTrue(rules.enough_votes(7, 10))
        self.assertFalse(rules.enough_votes(6, 10))
        self.assertFalse(rules.enough_votes(0, 0))
        self.assertEqual(rules.votes_needed(10), 7)

    def test_who_decides_is_dated(self):
        self.assertIn("huyện ủy", rules.competent_on(date(2025, 6, 30)).description)
        self.assertIn("xã/phường", rules.competent_on(date(2025, 7, 1)).description)
        self.assertIn("208-QĐ/TW", rules.competent_on(date(2026, 7, 26)).source)
        self.assertTrue(rules.competent_on(date(2026, 7, 26)).unsure)

    @override_settings(RULES_OVERRIDES={"admission.DECISION_WORKING_DAYS": 45, "admission.VOTE_SHARE": [1, 2]})
    def test_numbers_are_overridden_in_settings(self):
        self.assertEqual(rules.rule("DECISION_WORKING_DAYS"), 45)
        self.assertTrue(rules.enough_votes(5, 10))
        with self.assertRaises(KeyError):
            rules.rule("NOT_A_RULE")

    @override_settings(RULES_OVERRIDES={"admission.COMPETENT_BODY": [
        ["2025-07-01", "Ban Thường vụ Tỉnh ủy (thí điểm)", ["tinh"], "Quyết định của tỉnh"]]})
    def test_the_competent_body_is_overridden_as_plain_lists(self):
        entry = rules.competent_on(date(2026, 1, 5))
        self.assertEqual((entry.description, entry.kinds), ("Ban Thường vụ Tỉnh ủy (thí điểm)", ["tinh"]))


class CompetentUnitTests(AdmissionTestCase):
    def test_before_the_reform_the_level_above_the_commune_decides_and_writes_its_number(self):
        entry, unit = services.competent_of(self.cell_a1, date(2025, 6, 30))
        self.assertEqual(unit, self.province)  # no district in the test world: the province stands in
        entry, unit = services.competent_of(self.cell_a1, date(2025, 7, 1))
        self.assertEqual(unit, self.commune_a)

    def test_a_commune_officer_types_the_number_of_a_decision_issued_above_her(self):
        c = self.make_candidate(registered_on=date(2024, 1, 10), application_on=date(2024, 10, 1),
                                cv_on=date(2024, 10, 1), mass_comment_on=date(2024, 10, 1),
                                residence_comment_on=date(2024, 10, 1), verified_on=date(2024, 10, 1),
                                introduction_on=date(2024, 10, 1))
        self.to_submitted(c, vote=date(2024, 12, 2), received=date(2024, 12, 10))
        with self.assertRaisesMessage(DomainError, "sổ văn bản của “Đảng bộ tỉnh Thử Nghiệm”"):
            services.decide(c, on=date(2025, 2, 20), by=self.binh)
        step = services.decide(c, on=date(2025, 2, 20), number="310-QĐ/HU", by=self.binh)
        self.assertEqual((step.number, step.document_id), ("310-QĐ/HU", None))
