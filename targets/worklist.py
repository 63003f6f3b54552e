"""What `targets` adds to the work list (core.worklist): a year's figure of an entered target, due when the
year ends and not yet entered."""

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse

from core import worklist
from targets.models import Target, TargetValue
from targets.rules import Source

KIND = "targets.value"


def due_values(user, today: date, horizon: date):
    """Targets of the years ended by `horizon` (this year and the last: older gaps are the reports' business)
    without the year's figure; computed targets are answered by the records and never listed."""
    for year in (today.year - 1, today.year):
        end = date(year, 12, 31)
        if end > horizon:
            continue
        entered = TargetValue.objects.filter(target=OuterRef("pk"), period_end=end)
        rows = (Target.objects.visible_to(user).of_year(year).filter(source=Source.ENTERED)
                .filter(~Exists(entered)).select_related("unit").order_by("unit__path", "position")[:500])
        for t in rows:
            yield worklist.Item(KIND, f"Nhập kết quả năm {year}: {t.name}", end, t.unit_id, t.unit.name,
                                reverse("targets-detail", args=[t.pk]) + f"?nam={year}", t.unit.path)


def register() -> None:
    worklist.register(KIND, "Kết quả chỉ tiêu cần nhập", due_values)
