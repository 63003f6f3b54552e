"""The work list (Việc cần làm): every open step with its due date, for the user's subtree.

`core` imports no app, so the list knows no kind of item itself: each app registers its kinds here in its
`AppConfig.ready()` (members: probations and recognitions; bodies: congresses and terms; later
inspection, assessment, reports, admission, badges), and the page, the API, the home-page counts and the
Excel file read them all through `collect()`.

A provider is `fn(user, today, horizon) -> iterable of Item`: the items of its kind due on or before
`horizon` (the overdue ones included, however old), seen by `user` only — it queries through
`visible_to`, prefiltered in SQL, never over all rows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

# The windows of the page and the API: overdue, due within 7 days, within 30 days (issue 15 item 4).
WINDOWS = {"qua_han": ("Quá hạn", 0), "7_ngay": ("Đến hạn trong 7 ngày", 7), "30_ngay": ("Đến hạn trong 30 ngày", 30)}
HORIZON_DAYS = 30


@dataclass(frozen=True)
class Item:
    kind: str
    title: str
    due: date
    unit_id: int
    unit_name: str
    url: str = ""
    unit_path: str = ""  # to filter by a unit's subtree
    note: str = ""
    overdue: bool = False  # set by collect(): due before today

    @property
    def kind_label(self) -> str:
        return label(self.kind)


@dataclass(frozen=True)
class Kind:
    kind: str
    label: str
    provider: Callable[..., Iterable[Item]]


_kinds: dict[str, Kind] = {}


def register(kind: str, label: str, provider: Callable[..., Iterable[Item]]) -> None:
    """Add a kind of item; registering the same kind again (ready() may run twice in tests) replaces it."""
    _kinds[kind] = Kind(kind, label, provider)


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.label)


def label(kind: str) -> str:
    k = _kinds.get(kind)
    return k.label if k else kind


def collect(user, today: date, *, window: str = "30_ngay", kind: str = "", unit_path: str = "") -> list[Item]:
    """The items seen by `user` due by the end of `window` (overdue ones always), soonest first; of one
    `kind` and under one unit's path if given."""
    days = WINDOWS[window][1] if window in WINDOWS else HORIZON_DAYS
    horizon = today - timedelta(days=1) if window == "qua_han" else today + timedelta(days=days)
    items = []
    for k in _kinds.values():
        if kind and k.kind != kind:
            continue
        for item in k.provider(user, today, horizon):
            if item.due > horizon or (unit_path and not item.unit_path.startswith(unit_path)):
                continue
            items.append(replace(item, overdue=item.due < today))
    items.sort(key=lambda i: (i.due, i.unit_path, i.title))
    return items


def counts(user, today: date) -> dict[str, int]:
    """How many items are overdue, due within 7 days and within 30 days (not overdue): the home page's line."""
    items = collect(user, today)
    return {
        "qua_han": sum(i.overdue for i in items),
        "7_ngay": sum(not i.overdue and i.due <= today + timedelta(days=7) for i in items),
        "30_ngay": sum(not i.overdue for i in items),
    }
