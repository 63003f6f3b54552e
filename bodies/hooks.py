"""What `bodies` adds to the pages of lower apps, through `core.hooks` (they never import us)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import hooks
from core.scoping import can


def member_section(request, member) -> str:
    """The member's posts, current and past, and the “do Ban Thường vụ quản lý” mark."""
    from bodies.models import Post, StandingManaged

    posts = list(Post.objects.filter(member=member).select_related("body__unit").order_by("-from_on", "-id"))
    managed = list(StandingManaged.objects.filter(member=member).select_related("body"))
    user = request.user if request else None
    for p in posts:
        p.unit_url = reverse("bodies-unit", args=[p.body.unit_id]) if user and can(user, "view", p.body.unit.path) else ""
    return render_to_string("bodies/_member_posts.html",
                            {"posts": posts, "managed": managed, "today": timezone.localdate()}, request=request)


def unit_section(request, unit) -> str:
    return render_to_string("bodies/_unit_link.html", {"unit": unit}, request=request)


def quality_rows(unit, user):
    """Members whose free-text “chức vụ Đảng” matches none of their posts (kept as typed, to check)."""
    from bodies.models import Post
    from members.models import Member

    with_posts = Post.objects.values("member_id")
    rows = (Member.objects.active().visible_subtree(user, unit.path).exclude(party_positions="")
            .exclude(pk__in=with_posts).select_related("unit").order_by("sort_key")[:500])
    for m in rows:
        yield (m.pk, m.full_name, m.unit.name,
               f"Chức vụ Đảng “{m.party_positions}” chưa khớp với chức vụ nào trong các cơ quan: hãy ghi chức vụ "
               "(trang Các cơ quan, nhiệm kỳ, đại hội) hoặc xóa nội dung cũ")


def unit_terms(unit) -> list:
    """The terms (label, from, to or None) of the unit, or of its nearest ancestor that has some: the
    "nhiệm kỳ" presets of the page of membership changes (members.changes), which must not import us."""
    from bodies.models import Term
    from core.tree import ancestors

    terms = list(Term.objects.filter(unit__path__in=ancestors(unit.path)).select_related("unit")
                 .order_by("-unit__depth", "-starts_on"))
    nearest = terms[0].unit_id if terms else None
    return [(t.label, t.starts_on, t.ends_on) for t in terms if t.unit_id == nearest]


def demo() -> None:
    from bodies.demo import load_bodies_demo

    load_bodies_demo()


def register() -> None:
    hooks.add("member-section", member_section)
    hooks.add("unit-section", unit_section)
    hooks.add("member-quality", quality_rows)
    hooks.add("unit-terms", unit_terms)
    hooks.add("demo", demo)
