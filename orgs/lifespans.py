"""When each unit existed: the days its versions (`OrgUnitVersion`) cover, read once for many units.

What happened in a unit (a member admitted, placed or moved there) must fall on a day it existed;
`members.services.unit_date_problems` checks a history against these. A unit exists on D if one of
its versions covers D; versions follow each other day after day, so a unit's days are usually one
span, but nothing here assumes it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.text import vn_date
from orgs.models import OrgUnitVersion

CHUNK = 2_000  # units named in one statement


@dataclass(slots=True)
class Lifespan:
    name: str
    spans: list[tuple[date, date | None]] = field(default_factory=list)  # inclusive, in order, disjoint

    @classmethod
    def of(cls, unit) -> "Lifespan":
        """A unit's days from its own first and last day, without a query: the days its versions cover,
        since every restructuring starts a unit's next version the day after the last one ends."""
        return cls(unit.name, [(unit.valid_from, unit.valid_to)])

    def covers(self, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.spans)

    def text(self) -> str:
        """“từ 01/09/2025”, “từ 01/01/2015 đến 30/06/2025” (several spans joined by “và”)."""
        return " và ".join(f"từ {vn_date(start)}" + (f" đến {vn_date(end)}" if end else "")
                           for start, end in self.spans)

    def add(self, start: date, end: date | None) -> None:
        last = self.spans[-1] if self.spans else None
        if last and last[1] is not None and start <= last[1] + timedelta(days=1):
            self.spans[-1] = (last[0], None if end is None else max(end, last[1]))
        elif last and last[1] is None:
            return  # already open from an earlier day
        else:
            self.spans.append((start, end))


def of_units(units) -> dict[int, Lifespan]:
    """`Lifespan.of` for units already read, by id."""
    return {u.pk: Lifespan.of(u) for u in units}


def load(unit_ids) -> dict[int, Lifespan]:
    """The lifespans of these units, CHUNK units a query; a unit without versions is left out."""
    ids = sorted(set(unit_ids) - {None})
    out: dict[int, Lifespan] = {}
    for i in range(0, len(ids), CHUNK):
        rows = (OrgUnitVersion.objects.filter(unit_id__in=ids[i:i + CHUNK]).order_by("unit_id", "valid_from")
                .values_list("unit_id", "valid_from", "valid_to", "name"))
        for unit_id, start, end, name in rows:
            life = out.setdefault(unit_id, Lifespan(name))
            life.name = name  # the latest version's name: the one users know
            life.add(start, end)
    return out
