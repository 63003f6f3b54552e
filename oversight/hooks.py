"""What `oversight` adds to the pages of lower apps through `core.hooks` (they never import us)."""

from django.template.loader import render_to_string
from django.utils import timezone

from core import hooks
from core.scoping import can


def member_section(request, member) -> str:
    """The member's discipline, shown only to those with the inspection right over the member's cell: to anyone
    else the page shows nothing, not even that there is something to hide."""
    from oversight.models import ACTION, DisciplineDecision

    user = request.user if request else None
    if user is None or not can(user, ACTION, member.org_path):
        return ""
    rows = list(DisciplineDecision.objects.visible_to(user).filter(member=member).order_by("-decided_on"))
    return render_to_string("oversight/_member_discipline.html",
                            {"rows": rows, "today": timezone.localdate()}, request=request)


def unit_section(request, unit) -> str:
    from oversight.models import ACTION

    user = request.user if request else None
    if user is None or not can(user, ACTION, unit.path):
        return ""
    return render_to_string("oversight/_unit_link.html", {"unit": unit}, request=request)


def page_links(request, place: str) -> list[tuple[str, str]]:
    """The way in from the work list, for those with the inspection right only: the header has no room for
    another entry at 1280 px (docs/architecture.md, "The work list")."""
    from django.urls import reverse

    from core.scoping import can_anywhere
    from oversight.models import ACTION

    if place == "worklist" and request is not None and can_anywhere(request.user, ACTION):
        return [(reverse("oversight-index"), "Kiểm tra, giám sát, kỷ luật")]
    return []


def demo() -> None:
    from oversight.demo import load_oversight_demo

    load_oversight_demo()


def audit_restricted() -> tuple[str, str]:
    """The change log shows our entries only where the reader holds the inspection right."""
    from oversight.models import ACTION

    return "oversight.", ACTION


def register() -> None:
    hooks.add("audit-restricted", audit_restricted)
    hooks.add("page-links", page_links)
    hooks.add("member-section", member_section)
    hooks.add("unit-section", unit_section)
    hooks.add("demo", demo)
