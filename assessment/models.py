"""Review rounds, ratings, quota exceptions, and the per-unit summary kept in step with every decision.

A rating hangs on its subject's unit (`subject_unit`: the member's cell for the year, or the organization
itself) and is scoped by that unit's path, so a move of the unit carries its ratings without a rewrite.
"""

from django.db import models
from django.db.models import Q

from assessment.rules import LegacyLevel, Level, Subject
from bodies.models import Body
from core.scoping import ScopedQuerySet, scope_prefixes
from core.tree import ancestors, within_any_q
from members.models import Member
from orgs.models import OrgUnit

RESULT_CHOICES = Level.choices + LegacyLevel.choices


class RoundQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)

    def visible_to(self, user, action: str = "view"):
        """The rounds of units in reach and those of the levels above them: a commune's round covers its cells,
        whose secretaries enter their members' steps (each rating stays scoped by its own subject's unit, so
        they see the round and their cell's ratings, not the others')."""
        prefixes = scope_prefixes(user, action)
        if prefixes is None:
            return self
        if action != "view":
            return super().visible_to(user, action)
        above = {a for p in prefixes for a in ancestors(p)[:-1]}
        return self.filter(within_any_q(("unit__path",), prefixes) | Q(unit__path__in=above))


class Round(models.Model):
    """One review (kiểm điểm, đánh giá, xếp loại) of `year` for the subtree of `unit`, of its members or of
    its organizations, with a deadline per step. Published once its results are announced."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="review_rounds", verbose_name="tổ chức")
    year = models.PositiveSmallIntegerField("năm")
    subject = models.CharField("đối tượng", max_length=16, choices=Subject.choices)
    title = models.CharField("tên đợt", max_length=255, blank=True)
    self_due = models.DateField("hạn tự đánh giá", null=True, blank=True)
    proposal_due = models.DateField("hạn chi bộ/tập thể đề xuất", null=True, blank=True)
    decision_due = models.DateField("hạn cấp có thẩm quyền quyết định", null=True, blank=True)
    published_on = models.DateField("ngày công bố", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__path", "subject"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "subject"], name="round_unit_year_subject")]
        verbose_name = "đợt đánh giá, xếp loại"

    def __str__(self) -> str:
        return self.title or f"Đánh giá, xếp loại {self.get_subject_display().lower()} năm {self.year}"

    @property
    def is_open(self) -> bool:
        return self.published_on is None


class RatingQuerySet(ScopedQuerySet):
    scope_fields = ("subject_unit__path",)

    def decided(self):
        return self.exclude(result="")


class Rating(models.Model):
    """One subject's rating in a round: self-assessment, the cell's (or collective's) proposal, the decision.

    `result` is what counts in the figures: the decided level, or a legacy level as it was recorded."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ratings", verbose_name="đợt")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings",
                               verbose_name="đảng viên")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings",
                             verbose_name="tổ chức được đánh giá")
    subject_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="chi bộ / tổ chức của đối tượng")
    self_score = models.DecimalField("điểm tự chấm", max_digits=5, decimal_places=2, null=True, blank=True)
    self_level = models.CharField("tự xếp loại", max_length=20, choices=Level.choices, blank=True)
    self_text = models.TextField("bản tự kiểm điểm (mẫu 2A/2B/2C, mẫu 01)", blank=True)
    self_on = models.DateField("ngày tự đánh giá", null=True, blank=True)
    self_reason = models.TextField("lý do tự xếp loại khác khung điểm", blank=True)
    proposed_score = models.DecimalField("điểm đề xuất", max_digits=5, decimal_places=2, null=True, blank=True)
    proposed_level = models.CharField("mức đề xuất", max_length=20, choices=Level.choices, blank=True)
    proposed_on = models.DateField("ngày đề xuất", null=True, blank=True)
    proposal_note = models.TextField("nhận xét, đề xuất của chi bộ / tập thể", blank=True)
    proposal_reason = models.TextField("lý do đề xuất khác khung điểm", blank=True)
    decided_score = models.DecimalField("điểm quyết định", max_digits=5, decimal_places=2, null=True, blank=True)
    decided_level = models.CharField("mức quyết định", max_length=20, choices=Level.choices, blank=True)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings",
                             verbose_name="cơ quan quyết định")
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    reason = models.TextField("lý do (mức khác khung điểm, cân nhắc giảm nhẹ)", blank=True)
    disqualifiers = models.JSONField("căn cứ không hoàn thành nhiệm vụ", default=list, blank=True)
    legacy_level = models.CharField("mức theo quy định cũ", max_length=20, choices=LegacyLevel.choices, blank=True)
    result = models.CharField("kết quả", max_length=20, choices=RESULT_CHOICES, blank=True, db_index=True)
    published = models.BooleanField("đã công bố", default=False)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["round", "subject_unit__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], condition=Q(member__isnull=False),
                                    name="rating_round_member"),
            models.UniqueConstraint(fields=["round", "unit"], condition=Q(unit__isnull=False),
                                    name="rating_round_unit"),
            models.CheckConstraint(condition=Q(member__isnull=False, unit__isnull=True)
                                   | Q(member__isnull=True, unit__isnull=False), name="rating_one_subject"),
        ]
        indexes = [models.Index(fields=["body", "decided_level"])]
        verbose_name = "xếp loại"

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.round.year})"

    @property
    def subject_name(self) -> str:
        return self.member.full_name if self.member_id else self.unit.name

    @property
    def result_label(self) -> str:
        return dict(RESULT_CHOICES).get(self.result, "")

    @property
    def stage(self) -> str:
        if self.result:
            return "decided"
        if self.proposed_level:
            return "proposed"
        if self.self_level:
            return "self"
        return "new"

    def snapshot(self) -> dict:
        num = lambda d: str(d) if d is not None else None  # noqa: E731
        return {"round": self.round_id, "member": self.member_id, "unit": self.unit_id,
                "self_score": num(self.self_score), "self_level": self.self_level,
                "proposed_score": num(self.proposed_score), "proposed_level": self.proposed_level,
                "decided_score": num(self.decided_score), "decided_level": self.decided_level,
                "body": self.body_id, "decided_on": self.decided_on.isoformat() if self.decided_on else None,
                "reason": self.reason, "disqualifiers": self.disqualifiers, "legacy_level": self.legacy_level,
                "result": self.result}


class QuotaException(models.Model):
    """A deciding body's record of outstanding achievements: its quota of excellent ratings for `year` and
    `subject` rises from 20 % to at most 25 % of those rated good (QĐ 366 Điều 11)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="quota_exceptions")
    year = models.PositiveSmallIntegerField("năm")
    subject = models.CharField("đối tượng", max_length=16, choices=Subject.choices)
    reason = models.TextField("thành tích nổi trội")
    decision = models.CharField("văn bản", max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year", "subject"], name="quota_exception_once")]
        verbose_name = "ngoại lệ tỷ lệ xuất sắc"

    def __str__(self) -> str:
        return f"Thành tích nổi trội {self.year}: {self.body_id}"


class Summary(models.Model):
    """How many subjects whose unit is `unit` (the member's cell, or the organization itself) got `level` for
    `year`: a cache of the decided ratings, kept in step in the transaction of every decision (services.decide,
    services.record_results). A distribution sums these rows over the subtree's units (a cell's members are one
    row per level, not one per member). Kept per unit, not rolled up to the ancestors, so a move of a unit in the
    tree carries its rows along (its path moves) with nothing to rewrite. `manage.py classification --check`
    recounts."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    subject = models.CharField(max_length=16, choices=Subject.choices)
    level = models.CharField(max_length=20, choices=RESULT_CHOICES)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "subject", "level"],
                                               name="classification_summary_key")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.subject} {self.level}: {self.count}"


class AwardKind(models.TextChoices):
    CERTIFICATE = "giay_khen", "Giấy khen"
    MERIT = "bang_khen", "Bằng khen"
    OTHER = "khac", "Hình thức khác"


class CommendationQuerySet(ScopedQuerySet):
    scope_fields = ("subject_unit__path",)


class Commendation(models.Model):
    """A certificate of merit or higher award to a collective (`recipient_unit`) or an individual (`member`),
    scoped by the recipient's unit (the member's cell when awarded)."""

    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="commendations",
                               verbose_name="cá nhân")
    recipient_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="commendations", verbose_name="tập thể")
    subject_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("hình thức", max_length=12, choices=AwardKind.choices)
    issuer = models.CharField("cơ quan khen thưởng", max_length=255)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="commendations")
    decision_number = models.CharField("số quyết định", max_length=60)
    decided_on = models.DateField("ngày quyết định")
    reason = models.CharField("thành tích", max_length=500)
    year = models.PositiveSmallIntegerField("năm thành tích", null=True, blank=True)
    streak = models.PositiveSmallIntegerField("số năm liền xuất sắc", null=True, blank=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "id"]
        verbose_name = "khen thưởng"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.recipient_name} ({self.decision_number})"

    @property
    def recipient_name(self) -> str:
        return self.member.full_name if self.member_id else self.recipient_unit.name


class ModelField(models.TextChoices):
    ECONOMY = "kinh_te", "Kinh tế"
    CULTURE = "van_hoa_xa_hoi", "Văn hóa – xã hội"
    DEFENCE = "quoc_phong_an_ninh", "Quốc phòng – an ninh"
    POLITICAL = "he_thong_chinh_tri", "Xây dựng hệ thống chính trị"


class ModelStatus(models.TextChoices):
    REGISTERED = "dang_ky", "Đã đăng ký"
    ASSESSED = "tham_dinh", "Đã thẩm định"
    RECOGNIZED = "cong_nhan", "Đã công nhận"


class RecognitionLevel(models.TextChoices):
    GRASSROOTS = "co_so", "Cấp cơ sở (xã, phường)"
    PROVINCE = "tinh", "Cấp tỉnh"
    CENTRAL = "trung_uong", "Cấp Trung ương"


class MobilizationModelQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)


class MobilizationModel(models.Model):
    """A "Dân vận khéo" model registered by a unit: registered → assessed → recognized (at a level)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="mobilization_models",
                             verbose_name="đơn vị đăng ký")
    name = models.CharField("tên mô hình", max_length=255)
    field = models.CharField("lĩnh vực", max_length=20, choices=ModelField.choices)
    collective = models.BooleanField("của tập thể", default=True)
    owner = models.CharField("chủ mô hình (tập thể / cá nhân)", max_length=255)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveSmallIntegerField("năm đăng ký")
    status = models.CharField("trạng thái", max_length=12, choices=ModelStatus.choices, default=ModelStatus.REGISTERED)
    registered_on = models.DateField("ngày đăng ký")
    assessed_on = models.DateField("ngày thẩm định", null=True, blank=True)
    recognized_on = models.DateField("ngày công nhận", null=True, blank=True)
    level = models.CharField("cấp công nhận", max_length=12, choices=RecognitionLevel.choices, blank=True)
    evidence = models.TextField("minh chứng, hiệu quả", blank=True)

    objects = MobilizationModelQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__path", "name"]
        verbose_name = "mô hình “Dân vận khéo”"

    def __str__(self) -> str:
        return self.name
