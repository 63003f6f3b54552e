from datetime import date

from django.db import models
from django.db.models import Q

from core.scoping import ScopedQuerySet, scope_prefixes
from core.tree import PathField, collapse, subtree_q, within_any_q


class Kind(models.TextChoices):
    CENTRAL = "trung_uong", "Trung ương"
    PROVINCE = "tinh", "Đảng bộ tỉnh/thành phố"
    UNDER_CENTRAL = "dang_uy_truc_thuoc_tw", "Đảng ủy trực thuộc Trung ương"
    UNDER_PROVINCE = "dang_uy_truc_thuoc_tinh", "Đảng ủy trực thuộc tỉnh"
    DISTRICT = "huyen", "Huyện ủy/thị ủy/thành ủy thuộc tỉnh (trước 01/7/2025)"
    COMMUNE = "xa", "Đảng bộ xã/phường/đặc khu"
    GRASSROOTS_COMMITTEE = "dang_bo_co_so", "Đảng bộ cơ sở"
    GRASSROOTS_CELL = "chi_bo_co_so", "Chi bộ cơ sở"
    SUB_COMMITTEE = "dang_bo_bo_phan", "Đảng bộ bộ phận"
    CELL = "chi_bo", "Chi bộ trực thuộc"
    GROUP = "to_dang", "Tổ đảng"


# Grassroots party organizations (TCCSĐ) by kind; a commune đảng bộ may also be set as grassroots.
GRASSROOTS_KINDS = {Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL}
# Kinds that hold members directly in practice (cells and groups); used to pick demo/form choices.
CELL_KINDS = {Kind.GRASSROOTS_CELL, Kind.CELL, Kind.GROUP}


def open_on_q(on: date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to] interval (inclusive, valid_to null = still open) holds `on`."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class OrgUnitQuerySet(ScopedQuerySet):
    scope_fields = ("path",)

    def open(self):
        return self.filter(valid_to__isnull=True)

    def open_on(self, on: date):
        return self.filter(open_on_q(on))

    def subtree(self, unit: "OrgUnit"):
        return self.filter(subtree_q("path", unit.path))

    def inherited_by(self, user, action: str = "view"):
        """Units in `user`'s reach on a past day: today's reach plus what wholly became theirs
        (`inherited_prefixes`), each to be shown as it was that day."""
        prefixes = inherited_prefixes(user, action)
        return self if prefixes is None else self.filter(within_any_q(["path"], prefixes))

    def tops_for(self, user):
        """The highest units `user` can see: the units of their grants, or the roots for a superuser."""
        prefixes = scope_prefixes(user, "view")
        units = self.visible_to(user)
        return units.filter(parent__isnull=True) if prefixes is None else units.filter(path__in=prefixes)


PLACE_PREFIXES = ("đảng bộ ", "xã ", "phường ", "đặc khu ", "thị trấn ", "tỉnh ", "thành phố ")


def _bare_place(name: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for prefix in PLACE_PREFIXES:
            if name.lower().startswith(prefix):
                name, stripped = name[len(prefix):], True
    return name


class OrgUnit(models.Model):
    """A party organization: a node of the tree from Trung ương down to a tổ đảng.

    `parent` is the truth; `path` and `depth` are derived from it and rewritten by the
    restructuring services in the same transaction. Closed units stay in the tree with their
    last path, because history (members' placements, reports, discipline) resolves to them.
    `valid_to` is the last day the unit existed (inclusive); empty while it is open.
    """

    kind = models.CharField("loại tổ chức", max_length=32, choices=Kind.choices)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=120, blank=True)
    code = models.CharField("mã tổ chức", max_length=40, blank=True, db_index=True)
    issuer_abbr = models.CharField(
        "ký hiệu cơ quan ban hành", max_length=20, blank=True, help_text="TU, ĐU, CB… dùng trong số ký hiệu văn bản"
    )
    is_grassroots = models.BooleanField("là tổ chức cơ sở đảng", default=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = PathField(unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    valid_from = models.DateField("hoạt động từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)
    # The decision that set the unit up. The deciding body is kept as its text or symbol ("BTVTU"):
    # the bodies of an organization live in an app above `orgs`, which must not depend on it.
    decision_number = models.CharField("số quyết định thành lập", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decision_body = models.CharField("cơ quan quyết định", max_length=120, blank=True,
                                     help_text="Tên hoặc ký hiệu, ví dụ BTVTU, Đảng ủy xã An Hòa")

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.valid_to is None

    def is_open_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def place_name(self) -> str:
        """The place name of a document's date line: the commune (or, above it, the province) the unit is
        in, without "Đảng bộ", "xã", "phường"… ("Đảng bộ xã An Hòa" -> "An Hòa"), or "……" if none."""
        chain = [self, *reversed(list(self.ancestors()))]
        for kinds in ({Kind.COMMUNE}, {Kind.PROVINCE}):
            for unit in chain:
                if unit.kind in kinds:
                    return _bare_place(unit.short_name or unit.name)
        return "……"

    def ancestors(self):
        """Ancestors root first (not the unit itself), from the current path."""
        from core.tree import ancestors

        return OrgUnit.objects.filter(path__in=ancestors(self.path)[:-1]).order_by("depth")

    def version_on(self, on: date) -> "OrgUnitVersion | None":
        return self.versions.filter(open_on_q(on)).first()

    def snapshot(self) -> dict:
        """The fields an audit entry keeps before and after a change."""
        return {
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
            "parent": self.parent_id,
            "path": self.path,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "decision_number": self.decision_number,
            "decision_date": self.decision_date.isoformat() if self.decision_date else None,
            "decision_body": self.decision_body,
        }


class OrgUnitVersionQuerySet(ScopedQuerySet):
    scope_fields = ("path",)

    def on(self, day: date):
        return self.filter(open_on_q(day))

    def visible_on(self, user, day: date):
        """Units as they were on `day` that are `user`'s to see on a past day: those in their reach
        today, wherever they stood then, and what wholly became theirs (`inherited_prefixes`). A unit
        that has since gone to another place is that place's past, not theirs."""
        prefixes = inherited_prefixes(user)
        rows = self.on(day)
        return rows if prefixes is None else rows.filter(within_any_q(["unit__path"], prefixes))

    def tops_on(self, user, day: date):
        """The highest units of `user`'s tree on `day`: in their past reach, under a parent that is not
        (or under none). One range per prefix over the units in reach, each joined to its version."""
        rows = self.visible_on(user, day)
        prefixes = inherited_prefixes(user)
        if prefixes is None:
            return rows.filter(parent__isnull=True)
        return rows.filter(Q(parent__isnull=True) | ~Q(parent__in=OrgUnit.objects.filter(within_any_q(["path"], prefixes))))


class OrgUnitVersion(models.Model):
    """How a unit looked (name, kind, parent, place in the tree) during [valid_from, valid_to].

    Every restructuring ends the affected units' current versions the day before it takes
    effect and starts new ones, so "the tree as of a date" is one range query on this table.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="versions")
    parent = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=120, blank=True)
    path = PathField(db_index=True)
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = OrgUnitVersionQuerySet.as_manager()

    class Meta:
        ordering = ["path", "valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})" if self.valid_to else self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Succession(models.Model):
    """`predecessor` handed its organization on to `successor` on day `on`: a merge (the source to the
    unit it was merged into) or a split (the source to each new unit). What an officer may see of
    the past follows these links (`inherited_prefixes`)."""

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessions")
    on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="orgs_succession_once")]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.on})"


def inherited_prefixes(user, action: str = "view") -> list[str] | None:
    """The path prefixes (current paths) of what `user` may see on a past day; None: everything.

    An officer inherits the records of what became theirs: today's grants, plus each closed unit
    all of whose successors are in that reach (four old communes merged into An Hòa), repeated
    for their own predecessors. A closed unit keeps its last path and whatever ended inside it stays
    under that path, so each inherited unit adds one range. A unit that went only in part to the
    user (split between An Hòa and Bình Sơn, or split with the source living on elsewhere) is not
    theirs: it is shown as a name, and only the parts that became theirs are in reach under it.
    Each such unit also brings the paths it had before a move (its own past, nothing else).
    Read once per request, like the grants.
    """
    prefixes = scope_prefixes(user, action)
    if prefixes is None or not prefixes:
        return prefixes
    cache = user.__dict__.setdefault("_scope_cache", {})
    key = f"_inherited_{action}"
    if key not in cache:
        found = collapse(prefixes)
        while True:
            links = (Succession.objects.filter(within_any_q(["successor__path"], found),
                                               predecessor__valid_to__isnull=False)
                     .exclude(within_any_q(["predecessor__path"], found)).values("predecessor_id"))
            every = Succession.objects.filter(predecessor_id__in=links).values_list(
                "predecessor_id", "predecessor__path", "successor__path")
            paths, outside = {}, set()
            for pid, path, successor in every:
                paths[pid] = path
                if not any(successor.startswith(p) for p in found):
                    outside.add(pid)
            new = [path for pid, path in paths.items() if pid not in outside]
            if not new:
                break
            found = collapse(found + new)
        # The places these units stood before a move: what ended inside them there (a closed group, the
        # log's entries about them) keeps the paths of then. A path holds the unit's own id, so each
        # is the unit's own past and nothing else.
        earlier = OrgUnitVersion.objects.filter(unit__path__in=found).exclude(path__in=found)
        found = collapse(found + list(earlier.values_list("path", flat=True).distinct()))
        cache[key] = found
    return cache[key]


def in_past_reach(user, path: str, action: str = "view") -> bool:
    """Whether the unit at (current) `path` is `user`'s to see, with its figures, on a past day."""
    prefixes = inherited_prefixes(user, action)
    return prefixes is None or any(path.startswith(p) for p in prefixes)
