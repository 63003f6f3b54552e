from datetime import date

from django.db import models

from core.scoping import ScopedQuerySet
from core.text import fold
from core.tree import PathField
from orgs.models import OrgUnit, open_on_q


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class Status(models.TextChoices):
    PROBATIONARY = "du_bi", "Dự bị"
    OFFICIAL = "chinh_thuc", "Chính thức"


MAJORITY_ETHNICITY = "Kinh"


class MemberQuerySet(ScopedQuerySet):
    scope_fields = ("org_path",)

    def search(self, q: str):
        q = fold(q)
        return self.filter(folded_name__contains=q) if q else self


class Member(models.Model):
    """A party member (đảng viên), with where they are now.

    `unit` and `status` are the current values; `org_path` copies the unit's path so a
    subtree count is one range scan, and is rewritten when the unit moves. The dated history
    is in `MemberPeriod`. The member-records issue completes the profile.
    """

    full_name = models.CharField("họ và tên", max_length=120)
    folded_name = models.CharField(max_length=120, editable=False, db_index=True)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=40, default=MAJORITY_ETHNICITY)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="members", verbose_name="chi bộ")
    org_path = PathField(db_index=True, editable=False)
    admitted_on = models.DateField("ngày vào Đảng", null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["org_path", "id"]
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.folded_name = fold(self.full_name)
        self.org_path = self.unit.path
        super().save(*args, **kwargs)

    def age_on(self, on: date) -> int:
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


class MemberPeriodQuerySet(models.QuerySet):
    def on(self, day: date):
        return self.filter(open_on_q(day, prefix=""))


class MemberPeriod(models.Model):
    """A stretch of time a member spent in one unit with one status, [valid_from, valid_to] inclusive.

    Counts "as of" a past date use these with the tree as it was (OrgUnitVersion), so a merge
    or a move never rewrites what was true before it.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = MemberPeriodQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["unit", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.unit_id} {self.status} {self.valid_from}–{self.valid_to or ''}"
