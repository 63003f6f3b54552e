"""Targets (chỉ tiêu) of a resolution or plan, their yearly plans and reported values, and population.

A `Target` belongs to a document (the resolution or plan that set it) and to a unit (whose figure it is),
and is scoped by that unit's path (`unit__path`), so a move of the unit in the tree carries it. A target
cascaded to the units below has `parent` set and the `mode` of the cascade; `cascade_path` places it in its
cascade, so the roll-up reads every part below a target in one range (`targets.tables`).
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models

from core.scoping import ScopedQuerySet
from core.tree import PathField
from documents.models import Document
from orgs.models import OrgUnit
from targets.rules import Direction, Kind, Mode, Source


class TargetGroup(models.Model):
    """A group of targets as resolutions list them (xây dựng Đảng, kinh tế, …): a configurable list, seeded
    by a data migration and edited in the admin of the list (rows, not code)."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên nhóm", max_length=120)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "nhóm chỉ tiêu"

    def __str__(self) -> str:
        return self.name


class TargetQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)

    def of_year(self, year: int):
        """The target set of a year: targets whose years (from_year–to_year) include it."""
        return self.filter(from_year__lte=year, to_year__gte=year)


class Target(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="targets",
                                 verbose_name="nghị quyết, kế hoạch")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="targets", verbose_name="tổ chức")
    group = models.ForeignKey(TargetGroup, on_delete=models.PROTECT, related_name="targets", verbose_name="nhóm")
    position = models.PositiveIntegerField("số thứ tự", default=0)
    name = models.CharField("tên chỉ tiêu", max_length=500)
    kind = models.CharField("loại", max_length=14, choices=Kind.choices, default=Kind.COUNT)
    direction = models.CharField("chiều", max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    measure = models.CharField("đơn vị tính", max_length=40, blank=True)
    baseline = models.DecimalField("giá trị gốc", max_digits=14, decimal_places=2, null=True, blank=True)
    from_year = models.PositiveSmallIntegerField("từ năm")
    to_year = models.PositiveSmallIntegerField("đến năm")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="giao từ chỉ tiêu")
    # The target's place in its cascade: the parent's plus a segment of its own id (core.tree), so every part
    # below a target, at any depth, is one range on this index (the roll-up reads them in one query).
    cascade_path = PathField(db_index=True, editable=False, default="")
    mode = models.CharField("cách giao xuống", max_length=12, choices=Mode.choices, blank=True,
                            help_text="Cách chỉ tiêu cấp trên giao cho đơn vị này (trống: không phải chỉ tiêu giao)")
    source = models.CharField("nguồn số liệu", max_length=6, choices=Source.choices, default=Source.ENTERED)
    computed_key = models.CharField("cách tính", max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "group__position", "position", "id"]
        indexes = [models.Index(fields=["unit", "from_year"]), models.Index(fields=["document", "unit"])]
        constraints = [models.UniqueConstraint(fields=["parent", "unit"], name="target_cascaded_once")]
        verbose_name = "chỉ tiêu"

    def __str__(self) -> str:
        return self.name

    def snapshot(self) -> dict:
        return {"document": self.document_id, "unit": self.unit_id, "group": self.group.code, "name": self.name,
                "kind": self.kind, "direction": self.direction, "measure": self.measure,
                "baseline": str(self.baseline) if self.baseline is not None else None,
                "years": [self.from_year, self.to_year], "parent": self.parent_id, "mode": self.mode,
                "source": self.source, "computed_key": self.computed_key}


class TargetPlan(models.Model):
    """The planned value of a target for one year; a target set only for the end of the term has one row."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField("năm")
    value = models.DecimalField("kế hoạch", max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["target", "year"]
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="target_plan_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class TargetValueQuerySet(ScopedQuerySet):
    scope_fields = ("target__unit__path",)


class TargetValue(models.Model):
    """A reported (or computed) figure of a target for the period ending on `period_end`; the year's figure
    is the one ending on 31/12. Entering the same period again replaces the figure (audited)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField("kỳ kết thúc ngày")
    value = models.DecimalField("kết quả", max_digits=14, decimal_places=2)
    evidence = models.TextField("minh chứng", blank=True)
    attachment = models.CharField("tệp minh chứng", max_length=255, blank=True)
    computed = models.BooleanField("tính từ hồ sơ", default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    objects = TargetValueQuerySet.as_manager()

    class Meta:
        ordering = ["target", "period_end"]
        constraints = [models.UniqueConstraint(fields=["target", "period_end"], name="target_value_period")]

    def __str__(self) -> str:
        return f"{self.period_end:%d/%m/%Y}: {self.value}"

    @property
    def is_year_end(self) -> bool:
        return (self.period_end.month, self.period_end.day) == (12, 31)


class PopulationQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)

    def latest_on(self, unit: OrgUnit, on: date) -> "Population | None":
        return self.filter(unit=unit, on__lte=on).order_by("-on", "-id").first()


class Population(models.Model):
    """The population of a unit's area on a day, with its source (thống kê, công an xã…): the denominator of
    "đảng viên đạt trên 4% dân số"."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="populations", verbose_name="tổ chức")
    on = models.DateField("tính đến ngày")
    value = models.PositiveIntegerField("dân số")
    source = models.CharField("nguồn", max_length=255)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = PopulationQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "-on"]
        constraints = [models.UniqueConstraint(fields=["unit", "on"], name="population_unit_day")]
        verbose_name = "dân số"

    def __str__(self) -> str:
        return f"{self.value} ({self.on:%d/%m/%Y})"


ZERO = Decimal(0)
