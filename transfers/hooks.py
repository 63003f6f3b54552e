"""What `transfers` adds to lower apps' pages through `core.hooks` (they never import us)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import hooks
from core.scoping import can


def member_section(request, member) -> str:
    """The member's transfers, and the way to start one for those who may change the member's record."""
    from transfers.models import Transfer

    user = request.user if request else None
    rows = list(Transfer.objects.filter(member=member).select_related("from_unit", "to_unit").order_by("-started_on", "-id"))
    may_start = (user is not None and member.is_active and can(user, "change", member.org_path)
                 and not any(t.is_open for t in rows))
    return render_to_string("transfers/_member_section.html",
                            {"member": member, "transfers": rows, "may_start": may_start,
                             "today": timezone.localdate()}, request=request)


def may_view_member(user, member_id: int) -> bool:
    """Whether `user` may read a member's record through an open transfer to a unit in their reach: the
    receiving unit's officers see the incoming member from the moment the letter is issued, and the
    temporary cell while the member is there (issue 15 item 5). Read-only: the members' views that write
    still require the member's own unit in reach."""
    from transfers.models import Transfer

    return Transfer.objects.open().filter(member_id=member_id).incoming_to(user).exists()


def page_links(request, place: str) -> list[tuple[str, str]]:
    """The way to the transfers: the header has no room for another entry at 1280 px (docs/architecture.md,
    "The work list"), so the members list and the work list lead there."""
    if place in ("members-list", "worklist") and request is not None and request.user.is_authenticated:
        return [(reverse("transfers-list"), "Chuyển sinh hoạt đảng")]
    return []


def demo() -> None:
    from transfers.demo import load_transfers_demo

    load_transfers_demo()


def register() -> None:
    hooks.add("member-section", member_section)
    hooks.add("member-viewable", may_view_member)
    hooks.add("page-links", page_links)
    hooks.add("demo", demo)
