"""Hooks a higher app fills so a lower one can show its data without importing it.

`core` and the lower apps (`orgs`, `members`) import no higher app; a higher app (`bodies`) adds its
providers here in its `AppConfig.ready()`. Places in use:

- "member-section" and "unit-section": `fn(request, obj) -> str`, a rendered section (HTML) of the
  member's or the unit's page, or "" for none;
- "member-quality": `fn(unit, user) -> iterable of (member_id, full_name, unit_name, problem)`,
  rows of the data-quality page;
- "members-recognition-tracked": `fn() -> queryset of member ids` (`.values("member_id")`), the
  probationary members whose recognition an app above follows on the work list itself (admission), so
  the members' own recognition item leaves them out;
- "audit-restricted": `fn() -> (action prefix, action)`: audit entries whose action starts with the prefix are
  listed in the change log only where the user holds `action` (the inspection commission's work);
- "demo": `fn() -> None`, run by `load_demo` after the members' demo; must be idempotent;
- "page-links": `fn(request, place) -> list of (url, label)`, links a page's head shows (`{% page_links
  "members-list" %}`, "worklist"): the way to a higher app's pages where the menu has no room;
- "member-viewable": `fn(user, member_id) -> bool`, whether `user` may read (never write) the record of a
  member outside their reach (transfers: the receiving unit of an open transfer); the member's page asks
  these only after `visible_to` found nothing.
- "unit-terms": `fn(unit) -> list of (label, from, to or None)`, the terms (nhiệm kỳ) offered as
  periods on the page of membership changes;
"""

from collections.abc import Callable

_hooks: dict[str, list[Callable]] = {}


def add(place: str, fn: Callable) -> None:
    fns = _hooks.setdefault(place, [])
    if fn not in fns:  # ready() may run twice in tests
        fns.append(fn)


def providers(place: str) -> list[Callable]:
    return list(_hooks.get(place, []))
