"""A target "≥ 95% of grassroots organizations good or better" computed from the ratings (targets.computed)."""

from datetime import date
from decimal import Decimal

from assessment import services
from assessment.rules import Level, Subject
from assessment.tests.world import DECIDED_ON, YEAR, AssessmentTestCase
from dangvu.testing import make_unit
from documents.models import Document
from orgs.models import Kind
from targets import services as targets
from targets.models import TargetGroup
from targets.rules import Status
from targets.values import compare


class ComputedTargetTests(AssessmentTestCase):
    def target(self, unit):
        doc = Document.objects.create(unit=unit, doc_type="NQ", number=1, issuer="ĐU", issued_on=date(2025, 1, 5),
                                      title="Nghị quyết đại hội")
        return targets.create_target(document=doc, unit=unit, group=TargetGroup.objects.first(), name="TCCSĐ tốt",
                                     kind="ty_le", direction="it_nhat", plans={YEAR: 95}, source="tinh",
                                     computed_key="xep_loai_tccsd_tot", by=None)

    def test_met_and_not_met_from_the_ratings(self):
        school = make_unit(self.commune_a, "Đảng bộ Trường", Kind.GRASSROOTS_COMMITTEE)
        clinic = make_unit(self.commune_a, "Chi bộ Trạm Y tế", Kind.GRASSROOTS_CELL)
        police = make_unit(self.commune_b, "Chi bộ Công an xã", Kind.GRASSROOTS_CELL)
        for commune, body, rows in (
                (self.commune_a, self.du_a, [{"unit": school, "level": Level.GOOD, "score": 80},
                                             {"unit": clinic, "level": Level.DONE, "score": 60},
                                             {"unit": self.cell_a1, "level": Level.GOOD, "score": 80}]),
                (self.commune_b, self.du_b, [{"unit": police, "level": Level.GOOD, "score": 85}])):
            r = services.create_round(commune, year=YEAR, subject=Subject.ORGANIZATIONS, by=None)
            services.record_results(r, rows, body=body, decided_on=DECIDED_ON, by=None)
        a, b = self.target(self.commune_a), self.target(self.commune_b)
        value_a, value_b = targets.compute(a, YEAR), targets.compute(b, YEAR)
        self.assertEqual((value_a, value_b), (Decimal("50.00"), Decimal("100.00")))  # the cell is not grassroots
        self.assertEqual(compare("it_nhat", "ty_le", value_a, Decimal(95)), Status.NOT_ACHIEVED)
        self.assertIn(compare("it_nhat", "ty_le", value_b, Decimal(95)), (Status.ACHIEVED, Status.EXCEEDED))
        self.assertIsNone(targets.compute(a, YEAR - 1))  # nothing rated: unknown, neither met nor missed
