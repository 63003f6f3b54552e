from datetime import date

from django.db import models
from django.db.models import Q

from core.scoping import ScopedQuerySet, scope_prefixes
from core.tree import PathField, subtree_q


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

    def tops_for(self, user):
        """The highest units `user` can see: the units of their grants, or the roots for a superuser."""
        prefixes = scope_prefixes(user, "view")
        units = self.visible_to(user)
        return units.filter(parent__isnull=True) if prefixes is None else units.filter(path__in=prefixes)


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
        }


class OrgUnitVersionQuerySet(ScopedQuerySet):
    scope_fields = ("path",)

    def on(self, day: date):
        return self.filter(open_on_q(day))

    def visible_on(self, user, day: date):
        """Units as they were on `day`, visible to `user` both then (their path that day) and now
        (their current path), so a cell moved in from a neighbour brings none of its past there along."""
        return self.visible_to(user).on(day).filter(unit__in=OrgUnit.objects.visible_to(user))


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
