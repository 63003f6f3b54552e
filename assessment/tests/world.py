"""The named world (dangvu.testing) with what a review needs: commune A's committee (decides for A's members
and cells), commune B's, the province's standing committee (decides for the communes), and a 2025 round of
commune A's members."""

from datetime import date

from assessment import services
from assessment.rules import Subject
from bodies import services as bodies
from bodies.rules import BodyKind
from dangvu.testing import REFORM, BaseTestCase, make_member

YEAR = 2025
SELF_ON, PROPOSED_ON, DECIDED_ON = date(2025, 12, 1), date(2025, 12, 10), date(2025, 12, 20)


class AssessmentTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

        def body(unit, kind, name, since=REFORM):
            return bodies.create_body(unit, kind=kind, name=name, valid_from=since, by=None)

        cls.du_a = body(cls.commune_a, BodyKind.COMMITTEE, "Đảng ủy xã An Hòa")
        cls.du_b = body(cls.commune_b, BodyKind.COMMITTEE, "Đảng ủy xã Bình Sơn")
        cls.btv_tinh = body(cls.province, BodyKind.STANDING, "Ban Thường vụ Tỉnh ủy", since=date(2015, 1, 1))
        cls.ubkt_a = body(cls.commune_a, BodyKind.INSPECTION, "Ủy ban Kiểm tra Đảng ủy xã An Hòa")
        cls.round_a = services.create_round(cls.commune_a, year=YEAR, subject=Subject.MEMBERS, by=None,
                                            self_due=date(2025, 12, 5), proposal_due=date(2025, 12, 12),
                                            decision_due=date(2025, 12, 25))

    def rate(self, member, level, score, round_=None, propose=True):
        rating = services.self_assess(round_ or self.round_a, member=member, score=score, level=level, by=None,
                                      on=SELF_ON)
        if propose:
            rating = services.propose(rating, level=level, by=None, on=PROPOSED_ON)
        return rating

    def crowd(self, unit, n, prefix="Đảng viên"):
        return [make_member(unit, f"{prefix} {i:02d}") for i in range(n)]
