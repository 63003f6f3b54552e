"""Biến động đảng viên: admissions, recognitions, transfers and leavings of a unit's subtree over a period.

Every figure is a count of `MemberEvent` rows. An event counts for unit U when the unit it names stood
under U **on the event's day** (the tree of that day, `OrgUnitVersion`), the rule of the past-day counts
(docs/architecture.md "The past"): a cell that has since moved to another commune counts for the commune
it was in; a commune merged away counts where it stood (under its old district) until the merge.

Events carry `org_path`, the *current* path of their unit: `members.receivers.rewrite_member_paths`
rewrites it whenever a unit moves, and a closed unit keeps its last path. So one range on `org_path`
(the `memberevent_kind_on_path` index) answers for every unit whose place relative to U did not change
since the period began. The few units that crossed U's border since (found in `OrgUnitVersion`: a
version in the period standing on the other side of the border than the unit stands now) are counted
by id over the days they stood inside, and left out of the range (`Window`). What a user may see of a
past day applies as well: a unit that stood under U then but has since moved out of the user's reach
took its past with it, and is not counted for them.

A transfer is read from the unit the member left (`MemberEvent.from_unit`, written with every move and
transfer in): a move (chuyen_noi_bo) into U from a unit not in U is an arrival, from a unit in U is
internal (neither); a move out of U is a departure. An official
transfer out (chuyen_di) followed by a transfer in (chuyen_den) within U, both in the period, is
internal too. Moves made by a restructuring (merge, split: a `Succession` from the old unit to the
new on that day) are shown on their own line, since nobody transferred anyone.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core.errors import DomainError
from core.text import vn_date
from core.tree import subtree_q
from members.choices import EventKind as K
from members.choices import LeaveReason
from members.models import MemberEvent
from orgs.models import OrgUnit, OrgUnitVersion, Succession, inherited_prefixes

LEAVE_KINDS = [K.STRUCK_OFF, K.EXPELLED, K.RESIGNED, K.DECEASED]
# Counted by the unit of the event alone (an exit and a transfer out name the unit the member leaves).
SIMPLE_KINDS = [K.ADMITTED, K.READMITTED, K.RECOGNIZED, K.TEMP_OUT, K.TEMP_BACK, K.TRANSFERRED_OUT, *LEAVE_KINDS]
MOVE_KINDS = [K.MOVED, K.TRANSFERRED_IN]

# The figures in the order of the table: (key, label, indent). Keys are the API's field names.
FIGURES = [
    ("admissions", "Kết nạp (cả kết nạp lại)", 0),
    ("admitted", "Kết nạp mới", 1),
    ("readmitted", "Kết nạp lại", 1),
    ("recognized", "Công nhận đảng viên chính thức", 0),
    ("transferred_in", "Chuyển sinh hoạt chính thức đến", 0),
    ("transferred_out", "Chuyển sinh hoạt chính thức đi", 0),
    ("restructured_in", "Đến do sắp xếp tổ chức (hợp nhất, chia tách)", 0),
    ("restructured_out", "Đi do sắp xếp tổ chức (hợp nhất, chia tách)", 0),
    ("temp_out", "Chuyển sinh hoạt tạm thời đi", 0),
    ("temp_back", "Trở về sau sinh hoạt tạm thời", 0),
    ("left", "Ra khỏi danh sách đảng viên", 0),
    ("struck_off", "Xóa tên", 1),
    ("expelled", "Khai trừ", 1),
    ("resigned", "Ra khỏi Đảng (xin ra)", 1),
    ("deceased", "Từ trần", 1),
]
LABELS = {key: label for key, label, _ in FIGURES}
KIND_OF = {"admitted": K.ADMITTED, "readmitted": K.READMITTED, "recognized": K.RECOGNIZED, "temp_out": K.TEMP_OUT,
           "temp_back": K.TEMP_BACK, "struck_off": K.STRUCK_OFF, "expelled": K.EXPELLED, "resigned": K.RESIGNED,
           "deceased": K.DECEASED}
GROUPS = {"admissions": [K.ADMITTED, K.READMITTED], "left": LEAVE_KINDS}
LISTABLE = [*KIND_OF, *GROUPS, "transferred_in", "transferred_out", "restructured_in", "restructured_out"]


@dataclass
class Window:
    """Which events count for `unit` over [start, end]: its current subtree's range, except the units
    that stood on the other side of its border on some day of the period (`plus`: days they count
    though they stand outside now; `minus`: units inside now, days they stood outside)."""

    unit: OrgUnit
    start: date
    end: date
    plus: dict[int, list[tuple[date, date]]] = field(default_factory=dict)
    minus: dict[int, list[tuple[date, date]]] = field(default_factory=dict)
    whole: bool = False  # a root that never moved: every unit is under it, on every day

    @property
    def odd(self) -> set[int]:
        return set(self.plus) | set(self.minus)

    def counted_q(self, unit_field: str = "unit_id", path_field: str | None = "org_path", day_field: str = "on") -> Q:
        """Rows (events, or the unit a move left) that count for the unit. `path_field=None`: by the units
        under it now, as a subquery the database runs once and hashes (for `from_unit`, which holds no path:
        a join on the units' path range led the planner into a nested loop over the period's moves, and a
        list of a province's unit ids took longer to plan than to run)."""
        if path_field is None:
            inside = Q(**{f"{unit_field}__in": OrgUnit.objects.filter(subtree_q("path", self.unit.path)).values("pk")})
        else:
            inside = subtree_q(path_field, self.unit.path)
        q = inside & Q(**{f"{day_field}__range": (self.start, self.end)})
        odd = self.odd
        if odd:
            q &= ~Q(**{f"{unit_field}__in": sorted(odd)})
        by_days: dict[tuple, list[int]] = defaultdict(list)
        for uid in odd:
            for days in self._days_inside(uid):
                by_days[days].append(uid)
        for (lo, hi), ids in by_days.items():
            q |= Q(**{f"{unit_field}__in": sorted(ids), f"{day_field}__range": (lo, hi)})
        return q

    def _days_inside(self, uid: int) -> list[tuple[date, date]]:
        """The days of [start, end] an odd unit stood under the unit (and is the viewer's)."""
        if uid in self.plus:
            return self.plus[uid]
        # Inside now: every day of the period but those it stood outside.
        days, lo = [], self.start
        for a, b in sorted(self.minus[uid]):
            if a > lo:
                days.append((lo, a - timedelta(days=1)))
            lo = max(lo, b + timedelta(days=1))
        if lo <= self.end:
            days.append((lo, self.end))
        return days


def check_period(start: date | None, end: date | None, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    if start is None or end is None:
        raise DomainError("Hãy chọn cả ngày đầu và ngày cuối của kỳ.", field="from" if start is None else "to")
    if start > end:
        raise DomainError(f"Ngày đầu kỳ {vn_date(start)} sau ngày cuối kỳ {vn_date(end)}; hãy đổi lại.", field="from")
    if start > today:
        raise DomainError(f"Kỳ bắt đầu {vn_date(start)}, chưa đến: chưa có biến động nào để đếm.", field="from")
    return start, end


def window(unit: OrgUnit, user, start: date, end: date) -> Window:
    """The `Window` of `unit` over [start, end] (clipped to the unit's life and to today)."""
    end = min(end, timezone.localdate(), unit.valid_to or end)
    start = max(start, unit.valid_from)
    w = Window(unit, start, end)
    if start > end:
        return w
    versions = list(OrgUnitVersion.objects.filter(unit=unit).filter(_overlap(start, end)).values_list(
        "path", "valid_from", "valid_to"))
    if unit.parent_id is None and all(path == unit.path for path, _, _ in versions):
        w.whole = True  # a root that never moved: no unit crosses its border
        return w
    now_in = subtree_q("unit__path", unit.path)
    plus = []
    for path, vfrom, vto in versions:
        a, b = max(start, vfrom), min(end, vto or end)
        # A unit stood elsewhere than its path says now only in a version that has ended: its open
        # version holds its current path (the restructuring services keep them equal). So only the
        # versions ended since the period began are read, each side of the border through its own
        # path index: none at all for a period after the last restructuring.
        ended = Q(valid_to__isnull=False) & _overlap(a, b)
        then_in = subtree_q("path", path)
        columns = ("unit_id", "unit__path", "valid_from", "valid_to")
        for uid, current, vf, vt in OrgUnitVersion.objects.filter(ended & then_in).exclude(now_in).values_list(*columns):
            plus.append((uid, current, (max(a, vf), min(b, vt))))
        for uid, _current, vf, vt in OrgUnitVersion.objects.filter(ended & now_in).exclude(then_in).values_list(*columns):
            w.minus.setdefault(uid, []).append((max(a, vf), min(b, vt)))
    if plus:
        reach = inherited_prefixes(user)  # read only when a unit that left may count
        for uid, current, days in plus:
            if reach is None or any(current.startswith(p) for p in reach):
                w.plus.setdefault(uid, []).append(days)
    return w


def _overlap(a: date, b: date) -> Q:
    return Q(valid_from__lte=b) & (Q(valid_to__isnull=True) | Q(valid_to__gte=a))


def _restructured() -> Exists:
    """On a move: a restructuring made it (a `Succession` from the unit left to the unit joined that day)."""
    return Exists(Succession.objects.filter(predecessor_id=OuterRef("from_unit_id"), successor_id=OuterRef("unit_id"),
                                            on=OuterRef("on")))


def _out_in_period(w: Window) -> Exists:
    """On a transfer in: the transfer out it ends fell in the period."""
    return Exists(MemberEvent.objects.filter(member_id=OuterRef("member_id"), kind=K.TRANSFERRED_OUT,
                                             unit_id=OuterRef("from_unit_id"), on__gte=w.start, on__lte=OuterRef("on")))


def _moves(w: Window, pairs: bool = False):
    """Moves and transfers in of the period, marked `restructured` and, with `pairs`, `out_in_period`
    (for filtering the rows; the counts put the same expressions in their aggregates, since an aggregate
    over an annotated queryset loses the annotations it filters on)."""
    rows = MemberEvent.objects.filter(kind__in=MOVE_KINDS, on__range=(w.start, w.end)).annotate(restructured=_restructured())
    return rows.annotate(out_in_period=_out_in_period(w)) if pairs else rows


def _came_from(w: Window) -> Q:
    """Rows whose member left a unit that counts for `w` (where it stood then); a member entered by
    their transfer in left none."""
    if w.whole:
        return Q(from_unit__isnull=False)
    return Q(from_unit__isnull=False) & w.counted_q("from_unit_id", None)


def _move_filters(w: Window) -> dict[str, Q]:
    """On `_moves(w, pairs=True)` rows: which figure each move or transfer in adds to (the members behind
    a figure; `changes` counts the same in statements of its own)."""
    here, came_from = w.counted_q(), _came_from(w)
    # A transfer out and in within the unit, both in the period: the member never left it.
    pair = Q(kind=K.TRANSFERRED_IN, out_in_period=True) & came_from
    moved_in = here & ((Q(kind=K.MOVED) & ~came_from) | (Q(kind=K.TRANSFERRED_IN) & ~pair))
    moved_out = Q(kind=K.MOVED) & came_from & ~here
    return {"transferred_in": moved_in & Q(restructured=False), "restructured_in": moved_in & Q(restructured=True),
            "transferred_out": moved_out & Q(restructured=False), "restructured_out": moved_out & Q(restructured=True),
            "pairs": here & pair}


@dataclass
class Changes:
    unit: OrgUnit
    start: date
    end: date
    figures: dict[str, int]
    by_reason: dict[str, int]

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(key, label, indent, n) in table order."""
        return [(key, label, indent, self.figures[key]) for key, label, indent in FIGURES]

    def reason_rows(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.by_reason.get(value, 0)) for value, label in LeaveReason.choices]


def changes(unit: OrgUnit, user, start: date, end: date) -> Changes:
    """The figures of `unit`'s subtree over [start, end]. The caller has checked that `unit` is the
    user's to see (`OrgUnit.objects.inherited_by(user)`, as on a past day)."""
    start, end = check_period(start, end)
    w = window(unit, user, start, end)
    figures = dict.fromkeys(LABELS, 0)
    by_reason: dict[str, int] = {}
    if w.start > w.end:
        return Changes(unit, start, end, figures, by_reason)
    simple = MemberEvent.objects.filter(kind__in=SIMPLE_KINDS).filter(w.counted_q())
    for kind, reason, n in simple.order_by().values_list("kind", "reason").annotate(n=Count("id")):
        for key, k in KIND_OF.items():
            if k == kind:
                figures[key] += n
        if kind == K.TRANSFERRED_OUT:
            figures["transferred_out"] += n
        if kind in LEAVE_KINDS:
            by_reason[reason] = by_reason.get(reason, 0) + n
    # Three statements, each narrowed in its WHERE clause so that it reads only its own rows through the
    # (kind, on, org_path) index and a join on from_unit: moves into the unit from outside it, transfers in
    # (with the check of their transfer out), and moves out of it (none under a root that never moved).
    here, came_from = w.counted_q(), _came_from(w)
    moves = MemberEvent.objects.filter(on__range=(w.start, w.end))
    flag = {"n": Count("id"), "restructured": Count("id", filter=Q(_restructured()))}
    # Arrivals as all moves into the unit less those from inside it: a positive IN list is hashed, a NOT IN
    # list is compared item by item on each row.
    into = moves.filter(here, kind=K.MOVED).aggregate(
        **flag, inside=Count("id", filter=came_from), inside_restructured=Count("id", filter=Q(_restructured()) & came_from))
    arrived = {"n": into["n"] - into["inside"], "restructured": into["restructured"] - into["inside_restructured"]}
    transfers_in = (moves.filter(here, kind=K.TRANSFERRED_IN)
                    .aggregate(n=Count("id"), pairs=Count("id", filter=Q(_out_in_period(w)) & came_from)))
    figures["transferred_in"] += arrived["n"] - arrived["restructured"] + transfers_in["n"] - transfers_in["pairs"]
    figures["restructured_in"] += arrived["restructured"]
    figures["transferred_out"] -= transfers_in["pairs"]  # counted with the transfers out: they stayed within
    if not w.whole:
        # From the units under it now, through the (from_unit, on) index: not every move of the period.
        left = moves.filter(came_from, kind=K.MOVED).exclude(here).aggregate(**flag)
        figures["transferred_out"] += left["n"] - left["restructured"]
        figures["restructured_out"] += left["restructured"]
    figures["admissions"] = figures["admitted"] + figures["readmitted"]
    figures["left"] = sum(figures[k] for k in ("struck_off", "expelled", "resigned", "deceased"))
    return Changes(unit, start, end, figures, by_reason)


def admissions(unit: OrgUnit, user, start: date, end: date) -> int:
    """Kết nạp and kết nạp lại of `unit`'s subtree over [start, end]: the one figure the targets of a
    term ("kết nạp 1.100 đảng viên") follow, without the rest of the table (bench W1)."""
    start, end = check_period(start, end)
    w = window(unit, user, start, end)
    if w.start > w.end:
        return 0
    return MemberEvent.objects.filter(kind__in=GROUPS["admissions"]).filter(w.counted_q()).count()


def events_behind(unit: OrgUnit, user, start: date, end: date, key: str):
    """The events one figure counts, newest first (the page lists the members behind a figure)."""
    if key not in LISTABLE:
        raise DomainError("Không có danh sách cho chỉ tiêu này.", field="figure")
    start, end = check_period(start, end)
    w = window(unit, user, start, end)
    if w.start > w.end:
        return MemberEvent.objects.none()
    if key in KIND_OF or key in GROUPS:
        kinds = GROUPS.get(key) or [KIND_OF[key]]
        rows = MemberEvent.objects.filter(kind__in=kinds).filter(w.counted_q())
    else:
        filters = _move_filters(w)
        rows = _moves(w, pairs=True).filter(filters[key])
        if key == "transferred_out":  # and the transfers out that did not come back inside
            outs = MemberEvent.objects.filter(kind=K.TRANSFERRED_OUT).filter(w.counted_q())
            back = set(_moves(w, pairs=True).filter(filters["pairs"]).values_list("member_id", "from_unit_id"))
            ids = [pk for pk, m, u in outs.values_list("pk", "member_id", "unit_id") if (m, u) not in back]
            rows = MemberEvent.objects.filter(Q(pk__in=rows.values("pk")) | Q(pk__in=ids))
    return rows.select_related("member", "unit").order_by("-on", "-id")
