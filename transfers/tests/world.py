"""The named world (dangvu.testing) with transfer helpers. Every date is a fixed past day (members of the world
are official from 01/07/2026), so tests do not depend on when they run."""

from datetime import date

from dangvu.testing import BaseTestCase
from transfers import services
from transfers.models import Kind, Purpose

REASON = date(2026, 10, 1)  # a Thursday: the decision moving member_a1 to commune B takes effect
STARTED = date(2026, 10, 5)
ACCEPTED = date(2026, 10, 20)


class TransferTestCase(BaseTestCase):
    def start(self, member=None, to_unit=None, by=None, **kw):
        fields = {"kind": Kind.OFFICIAL, "purpose": Purpose.RESIDENCE, "reason_on": REASON, "started_on": STARTED,
                  "to_unit": to_unit if to_unit is not None or "to_outside" in kw else self.cell_b1}
        fields.update(kw)
        return services.start(member or self.member_a1, by=by or self.binh, **fields)
