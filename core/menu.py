"""The main menu: entries each app adds in its `AppConfig.ready()`, in a few fixed groups.

`core` imports no app, and a menu written out in base.html had to be edited by every new capability (and had
no room left at 1280 px after seven entries). Each app registers its pages here; the header shows a group
with one entry as a link, a group with several as a heading that opens its list (hover or keyboard focus on
a wide screen, every entry listed on a phone).
"""

from dataclasses import dataclass, field

# (key, label) in the order of the header. Keys are stable: apps name the group they belong to.
GROUPS = [
    ("viec", "Việc cần làm"),
    ("to-chuc", "Tổ chức"),
    ("dang-vien", "Đảng viên"),
    ("van-ban", "Văn bản, chỉ tiêu"),
    ("kiem-tra", "Kiểm tra, giám sát"),
    ("danh-gia", "Đánh giá, khen thưởng"),
    ("bao-cao", "Báo cáo"),
    ("he-thong", "Hệ thống"),
]


@dataclass(frozen=True)
class Entry:
    group: str
    label: str
    url_name: str
    order: int = 50
    current: tuple[str, ...] = ()  # other url names on which this entry is the current page
    action: str = ""  # shown only to users who may do this somewhere (core.scoping.can_anywhere)


@dataclass
class Group:
    key: str
    label: str
    entries: list = field(default_factory=list)
    current: bool = False


_entries: dict[str, Entry] = {}


def add(entry: Entry) -> None:
    """Register an entry; the same url name again replaces it (ready() may run twice in tests)."""
    if entry.group not in dict(GROUPS):
        raise ValueError(f"unknown menu group {entry.group!r}")
    _entries[entry.url_name] = entry


def for_user(user, here: str, allowed) -> list[Group]:
    """The groups with the entries `user` may see (`allowed(user, action)`), each entry marked current when
    the page's url name `here` is its own or one of its `current` names."""
    groups = {key: Group(key, label) for key, label in GROUPS}
    for entry in sorted(_entries.values(), key=lambda e: (e.order, e.label)):
        if entry.action and not allowed(user, entry.action):
            continue
        is_current = here == entry.url_name or here in entry.current
        groups[entry.group].entries.append((entry, is_current))
        groups[entry.group].current |= is_current
    return [g for g in groups.values() if g.entries]
