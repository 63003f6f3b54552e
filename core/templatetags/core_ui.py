"""Small template helpers shared by every page: Vietnamese dates and numbers, the header's
grants, what the navigation may offer, and pagination links that keep the filters."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from core import hooks, menu, scoping
from core.text import vn_date, vn_number

register = template.Library()


@register.filter
def vnd(value: date | datetime | None) -> str:
    """A date as dd/mm/yyyy (datetimes in the local time zone first)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return vn_date(value)


@register.filter
def vnn(value) -> str:
    """60137 -> "60.137"; anything that is not a number is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return vn_number(value)


@register.simple_tag
def can_anywhere(user, action: str) -> bool:
    """Whether `user` may do `action` on some part of the tree (to show or hide a menu item)."""
    return scoping.can_anywhere(user, action)


@register.simple_tag
def main_menu(user, here: str | None) -> list:
    """The groups of the main menu this user sees (core.menu), with the current page marked."""
    return menu.for_user(user, here or "", scoping.can_anywhere)


@register.simple_tag
def grants_of(user) -> list:
    """The user's grants (role and unit name) for the header: the rows scoping has already read."""
    return scoping.held_grants(user)


@register.simple_tag(takes_context=True)
def page_url(context, page: int) -> str:
    """The current query string with `trang` (page) replaced, so paging keeps the filters."""
    query = context["request"].GET.copy()
    query["trang"] = page
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def page_links(context, place: str) -> str:
    """Links higher apps add to a page's head (`core.hooks` "page-links": `fn(request, place)` -> [(url, label)]),
    so the members list and the work list lead to their pages without a menu entry or an import."""
    request = context.get("request")
    links = [link for fn in hooks.providers("page-links") for link in (fn(request, place) or [])]
    return format_html_join("", '<a class="button" href="{}">{}</a>', links)


@register.simple_tag(takes_context=True)
def page_sections(context, place: str, obj) -> str:
    """The sections higher apps add to a page (`core.hooks`, "member-section", "unit-section")."""
    request = context.get("request")
    return mark_safe("".join(fn(request, obj) or "" for fn in hooks.providers(place)))
