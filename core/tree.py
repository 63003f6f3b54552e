"""The organization tree as fixed-width materialized paths.

Every unit's path is its parent's path plus one 5-character base-36 segment made from the
unit's id, so a subtree is the single range `path >= p AND path < p + "~"` on both SQLite and
PostgreSQL ("~" sorts after every character a segment can hold). Facts counted by subtree
(members, audit entries) carry a copy of their unit's path and use the same predicate.
"""

from django.db.models import Q

from core.fields import ByteOrderCharField

SEGMENT = 5
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
END = "~"  # sorts after every ALPHABET character under byte (C) collation
MAX_DEPTH = 12


def segment(n: int) -> str:
    if n < 0 or n >= 36**SEGMENT:
        raise ValueError(f"id {n} does not fit a {SEGMENT}-character path segment")
    out = ""
    for _ in range(SEGMENT):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def child_path(parent_path: str, unit_id: int) -> str:
    return parent_path + segment(unit_id)


def depth_of(path: str) -> int:
    return len(path) // SEGMENT - 1


def ancestors(path: str) -> list[str]:
    """Paths of the unit itself and every ancestor, root first."""
    return [path[:i] for i in range(SEGMENT, len(path) + 1, SEGMENT)]


def is_within(path: str, prefix: str) -> bool:
    return path.startswith(prefix)


def common_ancestor(a: str, b: str) -> str:
    n = 0
    while n + SEGMENT <= min(len(a), len(b)) and a[n : n + SEGMENT] == b[n : n + SEGMENT]:
        n += SEGMENT
    return a[:n]


def subtree_q(field: str, prefix: str) -> Q:
    """Rows whose `field` lies in the subtree rooted at `prefix` (itself included)."""
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + END})


def collapse(prefixes) -> list[str]:
    """Drop prefixes already covered by a shorter one: grants on A and on A's cell = grant on A."""
    out: list[str] = []
    for p in sorted(set(prefixes)):
        if not out or not p.startswith(out[-1]):
            out.append(p)
    return out


def within_any_q(fields, prefixes) -> Q:
    """Rows whose path (in any of `fields`) lies under any of `prefixes`; nothing if none."""
    q = Q(pk__in=[])
    for prefix in collapse(prefixes):
        for field in fields:
            q |= subtree_q(field, prefix)
    return q


class PathField(ByteOrderCharField):
    """A materialized path; byte order makes range scans on its index follow the segments."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEGMENT * MAX_DEPTH)
        super().__init__(*args, **kwargs)


def ids_of(path: str) -> list[int]:
    """The ids of the unit at `path` and of its ancestors, root first (a segment is the id in base 36)."""
    return [int(path[i : i + SEGMENT], 36) for i in range(0, len(path), SEGMENT)]


def parent_path(path: str) -> str:
    return path[:-SEGMENT]
