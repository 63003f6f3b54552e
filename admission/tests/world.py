"""The named world (dangvu.testing) with what admission needs: five official members of cell A1 admitted in
2010 (so they vote and introduce), a candidate ready for the cell's vote, and the demo's usernames for the
acceptance test (tinh, xa_a, xa_b: the province's and the two communes' organization officers)."""

from datetime import date

from access.rules import Role
from admission import services
from dangvu.testing import BaseTestCase, make_member, make_user
from members.models import Gender

REGISTERED = date(2025, 1, 10)
PAPERS = date(2025, 10, 1)  # the dossier's papers
VOTE = date(2025, 12, 1)  # the cell's vote in the usual file
KNOWN = date(2020, 1, 1)  # the introducers have worked with the candidate since


def candidate_fields(**kw) -> dict:
    fields = {
        "full_name": "Võ Thị Hạnh", "gender": Gender.FEMALE, "birth_date": date(1998, 4, 20),
        "registered_on": REGISTERED, "general_education": "12/12", "ethnicity": "Kinh",
        "certificate_number": "123/CN", "certificate_on": date(2024, 6, 1),
        "application_on": PAPERS, "cv_on": PAPERS, "mass_comment_on": PAPERS, "residence_comment_on": PAPERS,
        "verified_on": PAPERS, "introduction_on": PAPERS,
    }
    fields.update(kw)
    return fields


class AdmissionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elders = [make_member(cls.cell_a1, name, admitted_on=date(2010, 3, 1))
                      for name in ("Hồ Văn Một", "Hồ Văn Hai", "Hồ Văn Ba", "Hồ Thị Bốn", "Hồ Thị Năm")]
        cls.tinh = make_user("tinh", cls.province)
        cls.xa_a = make_user("xa_a", cls.commune_a)
        cls.xa_b = make_user("xa_b", cls.commune_b)
        cls.viewer = make_user("xem_a", cls.commune_a, Role.VIEWER)

    def make_candidate(self, unit=None, **kw):
        kw.setdefault("introducer_1", self.elders[0])
        kw.setdefault("introducer_1_since", KNOWN)
        kw.setdefault("introducer_2", self.elders[1])
        kw.setdefault("introducer_2_since", KNOWN)
        helpers = kw.pop("helpers", [self.elders[2]])
        return services.register(unit or self.cell_a1, by=self.binh, helpers=helpers, **candidate_fields(**kw))

    def to_submitted(self, c, received=date(2026, 1, 5), vote=VOTE):
        """Through the cell's and the commune's votes to the competent committee's receipt."""
        services.cell_vote(c, on=vote, votes_for=5, by=self.binh)
        services.grassroots_vote(c, on=vote, votes_for=3, committee_size=3, by=self.binh)
        services.receive(c, on=received, by=self.binh)
        c.refresh_from_db()
        return c
