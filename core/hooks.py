"""Hooks a higher app fills so a lower one can show its data without importing it.

`core` and the lower apps (`orgs`, `members`) import no higher app; a higher app (`bodies`) adds its
providers here in its `AppConfig.ready()`. Places in use:

- "member-section" and "unit-section": `fn(request, obj) -> str`, a rendered section (HTML) of the
  member's or the unit's page, or "" for none;
- "member-quality": `fn(unit, user) -> iterable of (member_id, full_name, unit_name, problem)`,
  rows of the data-quality page;
- "unit-terms": `fn(unit) -> list of (label, from, to or None)`, the terms (nhiệm kỳ) offered as
  periods on the page of membership changes;
- "demo": `fn() -> None`, run by `load_demo` after the members' demo; must be idempotent.
"""

from collections.abc import Callable

_hooks: dict[str, list[Callable]] = {}


def add(place: str, fn: Callable) -> None:
    fns = _hooks.setdefault(place, [])
    if fn not in fns:  # ready() may run twice in tests
        fns.append(fn)


def providers(place: str) -> list[Callable]:
    return list(_hooks.get(place, []))
