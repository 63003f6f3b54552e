"""Bodies of a party organization, their posts, the organization's terms and congresses.

Every row hangs on an `OrgUnit` and is scoped by that unit's path (`unit__path`), so a move of the
unit in the tree moves its bodies with it without rewriting anything here.
"""

from datetime import date, timedelta

from django.db import models
from django.db.models import Q

from bodies.rules import BodyKind, How, Title
from core.scoping import ScopedQuerySet
from members.models import Member
from orgs.models import OrgUnit, open_on_q


class BodyQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)

    def open_on(self, on: date):
        return self.filter(open_on_q(on))


class Body(models.Model):
    """A body of an organization: its committee, standing committee, inspection commission, a board,
    a cell's chi ủy. `size` is how many posts it may have (empty: not fixed); `valid_to` its last day."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="bodies", verbose_name="tổ chức")
    kind = models.CharField("loại cơ quan", max_length=20, choices=BodyKind.choices)
    name = models.CharField("tên", max_length=255)
    symbol = models.CharField("ký hiệu", max_length=20, blank=True, help_text="BTVTU, UBKTTU, BTCTU…")
    size = models.PositiveSmallIntegerField("số thành viên tối đa", null=True, blank=True)
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "kind", "name"]
        verbose_name = "cơ quan"

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class PostQuerySet(ScopedQuerySet):
    scope_fields = ("body__unit__path",)

    def open_on(self, on: date):
        return self.filter(Q(from_on__lte=on) & (Q(to_on__isnull=True) | Q(to_on__gte=on)))

    def overlapping(self, start: date, end: date | None):
        """Posts whose [from_on, to_on] meets [start, end] (an empty end: still held)."""
        q = Q(to_on__isnull=True) | Q(to_on__gte=start)
        if end is not None:
            q &= Q(from_on__lte=end)
        return self.filter(q)


class Post(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="posts", verbose_name="cơ quan")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="posts", verbose_name="đảng viên")
    title = models.CharField("chức vụ", max_length=24, choices=Title.choices)
    how = models.CharField("hình thức", max_length=12, choices=How.choices, default=How.ELECTED)
    from_on = models.DateField("từ ngày")
    to_on = models.DateField("đến ngày", null=True, blank=True)
    decision = models.CharField("quyết định", max_length=120, blank=True)
    congress = models.ForeignKey("Congress", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="posts", verbose_name="do đại hội bầu")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["body", "from_on", "id"]
        indexes = [models.Index(fields=["member", "from_on"])]
        verbose_name = "chức vụ"

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.body.name}"

    def snapshot(self) -> dict:
        return {"body": self.body_id, "member": self.member_id, "title": self.title, "how": self.how,
                "from_on": self.from_on.isoformat(), "to_on": self.to_on.isoformat() if self.to_on else None,
                "decision": self.decision}


class TermQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)


class Term(models.Model):
    """A term (nhiệm kỳ) of an organization: from the day after its congress closes to the day the next
    one closes (rules.md §6); `ends_on` is empty while it runs. The scope of document numbering."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="terms", verbose_name="tổ chức")
    label = models.CharField("nhiệm kỳ", max_length=20, help_text="2025–2030")
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày", null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["unit", "label"], name="term_unit_label")]
        verbose_name = "nhiệm kỳ"

    def __str__(self) -> str:
        return f"Nhiệm kỳ {self.label}"

    @property
    def expected_end(self) -> date:
        """When the next congress is due: the start plus the configured length for the kind (bodies.rules)."""
        from bodies.rules import term_years

        months = round(term_years(self.unit.kind, self.starts_on) * 12)
        year, month = divmod(self.starts_on.month - 1 + months, 12)
        start, day = self.starts_on, self.starts_on.day
        while True:  # the same day of the month, or the month's last (31/8 + 6 months -> 28/2)
            try:
                return start.replace(year=start.year + year, month=month + 1, day=day) - timedelta(days=1)
            except ValueError:
                day -= 1


class CongressQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)

    def held(self):
        return self.filter(held_to__isnull=False)


class Congress(models.Model):
    """The congress (đại hội) of an organization that opens the term `term_label`: planned, then held
    (`held_from`–`held_to`), which starts that term the next day and ends the one before."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="congresses", verbose_name="tổ chức")
    term_label = models.CharField("nhiệm kỳ", max_length=20)
    term = models.OneToOneField(Term, null=True, blank=True, on_delete=models.SET_NULL, related_name="congress")
    planned_on = models.DateField("ngày dự kiến", null=True, blank=True)
    held_from = models.DateField("khai mạc", null=True, blank=True)
    held_to = models.DateField("bế mạc", null=True, blank=True)
    delegates_summoned = models.PositiveIntegerField("đại biểu được triệu tập", null=True, blank=True)
    delegates_present = models.PositiveIntegerField("đại biểu có mặt", null=True, blank=True)
    delegates_up = models.ManyToManyField(Member, blank=True, related_name="+",
                                          verbose_name="đại biểu dự đại hội cấp trên")

    objects = CongressQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "term_label"]
        constraints = [models.UniqueConstraint(fields=["unit", "term_label"], name="congress_unit_term")]
        verbose_name = "đại hội"

    def __str__(self) -> str:
        return f"Đại hội {self.unit.name} nhiệm kỳ {self.term_label}"

    @property
    def is_held(self) -> bool:
        return self.held_to is not None


class StandingManaged(models.Model):
    """A member “do Ban Thường vụ quản lý” (managed by a standing committee), from–to."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="managed")
    from_on = models.DateField("từ ngày")
    to_on = models.DateField("đến ngày", null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "diện Ban Thường vụ quản lý"

    def __str__(self) -> str:
        return f"{self.member_id} do {self.body_id} quản lý từ {self.from_on}"
