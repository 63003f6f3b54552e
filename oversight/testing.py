"""A few oversight records in the named test world (dangvu.testing), for tests of other apps that walk every
route (core/tests/test_api_routes.py): the inspection routes answer only the inspection role."""

from datetime import date

from access.rules import Role
from bodies import services as bodies_services
from bodies.rules import BodyKind
from dangvu.testing import make_user
from oversight import petitions, services
from oversight.rules import CaseType, Form

PATHS = ("/api/v1/inspections", "/api/v1/discipline", "/api/v1/petitions", "/api/v1/oversight/",
         "/api/v1/state-notices")


def sample_records(world) -> tuple:
    """(the commune A inspection officer, {path parameter: id}) with a case, a decision and a petition of A."""
    user = make_user("kiemtra_mau", world.commune_a, Role.INSPECTION)
    ubkt = bodies_services.create_body(world.commune_a, kind=BodyKind.INSPECTION, name="UBKT xã An Hòa",
                                       valid_from=date(2025, 7, 1), by=None)
    on = date(2026, 3, 2)
    case = services.open_case(ubkt, case_type=CaseType.SIGNS, content="x", opened_on=on,
                              subjects=[world.member_a1], by=None)
    decision = services.decide(deciding_unit=world.cell_a1, deciding_body=None, form=Form.REPRIMAND,
                               member=world.member_a1, votes_for=2, votes_total=3, violation_on=date(2026, 1, 5),
                               decision_number="01-QĐ/CB", decided_on=on, reason="x", by=None)
    petition = petitions.receive_petition(ubkt, kind="kien_nghi", received_on=on, content="x", member=world.member_a1,
                                         sender="A", by=None)
    return user, {"case_id": case.pk, "decision_id": decision.pk, "petition_id": petition.pk}
