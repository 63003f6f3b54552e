"""Inspection and supervision cases, discipline decisions and petitions.

Each row keeps the path and name of its subject and of the acting organization as they were when it was
written (a snapshot): a member or a unit that later moves, closes or merges still shows under the place it
was then, and the officers of that place keep seeing the record. Every queryset is scoped by those paths
(`visible_to(user, "inspect")`): only the inspection role (and administrators) of the subtree see them.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse

from bodies.models import Body
from core.scoping import ScopedQuerySet, scope_prefixes
from core.tree import PathField, within_any_q
from members.models import Member
from members.rules import add_months
from orgs.models import OrgUnit
from oversight.rules import CaseType, Category, Form, SubjectKind, rule

ACTION = "inspect"


class CaseQuerySet(ScopedQuerySet):
    scope_fields = ("unit_path",)

    def visible_to(self, user, action: str = ACTION):
        """Cases of a body in reach, or about a subject in reach (a province's inspection of a commune's member
        is the commune's inspection officer's to see too)."""
        prefixes = scope_prefixes(user, action)
        if prefixes is None:
            return self
        about = CaseSubject.objects.filter(within_any_q(("unit_path",), prefixes)).values("case_id")
        return self.filter(within_any_q(("unit_path",), prefixes) | Q(pk__in=about))


class Case(models.Model):
    case_type = models.CharField("loại", max_length=20, choices=CaseType.choices)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="oversight_cases",
                             verbose_name="cơ quan thực hiện")
    unit_path = PathField("đường dẫn tổ chức thực hiện", db_index=True)
    content = models.TextField("nội dung")
    opened_on = models.DateField("ngày bắt đầu")
    due_on = models.DateField("hạn kết thúc", null=True, blank=True)
    steps = models.TextField("các bước đã làm", blank=True)
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    violation = models.BooleanField("có vi phạm", null=True, blank=True)
    conclusion = models.TextField("kết luận", blank=True)
    proposal = models.TextField("kiến nghị, đề nghị", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["opened_on"])]
        verbose_name = "cuộc kiểm tra, giám sát"

    def __str__(self) -> str:
        return f"{self.get_case_type_display()}: {self.content[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("oversight-case", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None


class CaseSubject(models.Model):
    """One organization or member a case is about, with its name and place then."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("đối tượng", max_length=255)
    unit_name = models.CharField("tổ chức", max_length=255, blank=True)
    unit_path = PathField("đường dẫn", db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        return self.member_id is not None


class DisciplineQuerySet(ScopedQuerySet):
    scope_fields = ("subject_path", "body_path")

    def visible_to(self, user, action: str = ACTION):
        return super().visible_to(user, action)


class AppealOutcome(models.TextChoices):
    PENDING = "", "Chưa giải quyết"
    UPHELD = "giu_nguyen", "Giữ nguyên"
    CHANGED = "thay_doi", "Thay đổi hình thức"
    CANCELLED = "xoa_bo", "Xóa bỏ quyết định"


class DisciplineDecision(models.Model):
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    subject_kind = models.CharField("đối tượng", max_length=12, choices=SubjectKind.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="discipline")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="tổ chức bị kỷ luật")
    subject_name = models.CharField(max_length=255)
    subject_unit_name = models.CharField(max_length=255, blank=True)
    subject_path = PathField(db_index=True)
    form = models.CharField("hình thức", max_length=12, choices=Form.choices)
    deciding_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="tổ chức quyết định")
    deciding_body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="cơ quan quyết định",
                                      help_text="Để trống khi chi bộ quyết định tại cuộc họp chi bộ.")
    deciding_name = models.CharField(max_length=255)
    deciding_level = models.CharField("cấp quyết định", max_length=12)  # chi_bo, co_so, tren_co_so
    body_path = PathField(db_index=True)
    votes_for = models.PositiveIntegerField("số phiếu tán thành")
    votes_total = models.PositiveIntegerField("tổng số đảng viên chính thức / thành viên")
    proposal_for = models.PositiveIntegerField("số đề nghị (tổ chức cấp dưới)", null=True, blank=True)
    proposal_total = models.PositiveIntegerField("tổng số (tổ chức cấp dưới)", null=True, blank=True)
    violation_on = models.DateField("ngày vi phạm (kết thúc vi phạm)")
    new_violation_on = models.DateField("ngày vi phạm mới (tính lại thời hiệu)", null=True, blank=True)
    deferred_days = models.PositiveIntegerField("số ngày chưa xem xét (không tính vào thời hiệu)", default=0)
    categories = models.JSONField("loại vi phạm", default=list)
    reason = models.TextField("lý do")
    decision_number = models.CharField("số quyết định", max_length=60)
    decided_on = models.DateField("ngày quyết định")
    effective_on = models.DateField("ngày công bố, có hiệu lực")
    appealed_on = models.DateField("ngày khiếu nại", null=True, blank=True)
    appeal_to = models.CharField("khiếu nại đến", max_length=255, blank=True)
    appeal_outcome = models.CharField("kết quả giải quyết khiếu nại", max_length=12, choices=AppealOutcome.choices,
                                      blank=True, default="")
    appeal_decided_on = models.DateField("ngày giải quyết khiếu nại", null=True, blank=True)
    repeated_on = models.DateField("tái phạm / vi phạm mới sau quyết định", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisciplineQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["decided_on"])]
        verbose_name = "quyết định kỷ luật"

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.subject_name} ({self.decision_number})"

    def get_absolute_url(self) -> str:
        return reverse("oversight-discipline", args=[self.pk])

    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories if c in Category.values]

    @property
    def appeal_deadline(self) -> date:
        return add_months(self.effective_on, rule("APPEAL_MONTHS"))

    @property
    def lapses_on(self) -> date | None:
        """The day the decision stops being in force by itself (QĐ 69 Điều 2.5), or None: never for khai trừ and
        giải tán, nor once appealed, repeated or followed by a new violation. An appeal's decision restarts it."""
        if self.form in rule("NO_LAPSE_FORMS") or self.repeated_on:
            return None
        if self.appealed_on:
            if self.appeal_outcome in (AppealOutcome.UPHELD, AppealOutcome.CHANGED) and self.appeal_decided_on:
                return add_months(self.appeal_decided_on, rule("LAPSE_MONTHS"))
            return None
        return add_months(self.effective_on, rule("LAPSE_MONTHS"))

    def in_force_on(self, day: date) -> bool:
        if day < self.effective_on or self.appeal_outcome == AppealOutcome.CANCELLED:
            return False
        end = self.lapses_on
        return end is None or day < end


class PetitionKind(models.TextChoices):
    COMPLAINT = "khieu_nai", "Khiếu nại"
    DENUNCIATION = "to_cao", "Tố cáo"
    RECOMMENDATION = "kien_nghi", "Kiến nghị"
    FEEDBACK = "phan_anh", "Phản ánh"


class Handling(models.TextChoices):
    ACCEPTED = "thu_ly", "Thụ lý giải quyết"
    ROUTED = "chuyen", "Chuyển cơ quan có thẩm quyền"
    REFERENCE = "tham_khao", "Lưu làm tài liệu tham khảo (không giải quyết)"
    NOT_ACCEPTED = "khong_thu_ly", "Không thụ lý"


class Outcome(models.TextChoices):
    OPEN = "", "Đang giải quyết"
    TRUE = "dung", "Đúng"
    PARTLY = "dung_mot_phan", "Đúng một phần"
    FALSE = "sai", "Sai"
    ANSWERED = "da_tra_loi", "Đã trả lời, giải thích"
    CLOSED = "dung_giai_quyet", "Dừng, không giải quyết"


class PetitionQuerySet(ScopedQuerySet):
    scope_fields = ("subject_path", "unit_path")

    def visible_to(self, user, action: str = ACTION):
        return super().visible_to(user, action)


class Petition(models.Model):
    kind = models.CharField("loại đơn", max_length=12, choices=PetitionKind.choices)
    anonymous = models.BooleanField("đơn giấu tên, mạo tên", default=False)
    sender = models.CharField("người gửi", max_length=255, blank=True)
    received_on = models.DateField("ngày nhận")
    due_on = models.DateField("hạn giải quyết", null=True, blank=True)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name="cơ quan tiếp nhận")
    unit_path = PathField(db_index=True)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField("đối tượng", max_length=255)
    subject_unit_name = models.CharField(max_length=255, blank=True)
    subject_path = PathField(db_index=True)
    content = models.TextField("nội dung")
    handling = models.CharField("xử lý", max_length=14, choices=Handling.choices, default=Handling.ACCEPTED)
    routed_to = models.CharField("chuyển đến", max_length=255, blank=True)
    outcome = models.CharField("kết quả", max_length=16, choices=Outcome.choices, blank=True, default="")
    closed_on = models.DateField("ngày kết thúc", null=True, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="petitions")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "đơn thư"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} về {self.subject_name}"

    def get_absolute_url(self) -> str:
        return reverse("oversight-petition", args=[self.pk])



class StateNoticeQuerySet(ScopedQuerySet):
    scope_fields = ("subject_path",)

    def visible_to(self, user, action: str = ACTION):
        return super().visible_to(user, action)


class StateNotice(models.Model):
    """A state body's, the Front's or a mass organization's notice that it suspended or disciplined a member, or a
    court's ruling: they must notify the managing party organization within 5 days (296-QĐ/TW, rules.md §4)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(max_length=255)
    subject_unit_name = models.CharField(max_length=255, blank=True)
    subject_path = PathField(db_index=True)
    issuer = models.CharField("cơ quan thông báo", max_length=255)
    measure = models.CharField("hình thức, biện pháp", max_length=255)
    decided_on = models.DateField("ngày quyết định")
    received_on = models.DateField("ngày nhận thông báo")
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StateNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "thông báo của cơ quan nhà nước"

    def __str__(self) -> str:
        return f"{self.issuer}: {self.measure} {self.subject_name}"

    @property
    def days_late(self) -> int:
        """Days past the 5-day duty (0 when on time)."""
        return max((self.received_on - self.decided_on).days - rule("STATE_NOTICE_DAYS"), 0)


class ProgrammeQuerySet(ScopedQuerySet):
    scope_fields = ("unit_path",)

    def visible_to(self, user, action: str = ACTION):
        return super().visible_to(user, action)


class Programme(models.Model):
    """A body's annual inspection and supervision programme, adopted at the start of the year (rules.md §5)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name="cơ quan")
    unit_path = PathField(db_index=True)
    year = models.PositiveSmallIntegerField("năm")
    adopted_on = models.DateField("ngày thông qua")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit_path", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="programme_body_year")]
        verbose_name = "chương trình kiểm tra, giám sát"

    def __str__(self) -> str:
        return f"Chương trình kiểm tra, giám sát năm {self.year} của {self.body.name}"

    def get_absolute_url(self) -> str:
        return reverse("oversight-programme", args=[self.pk])


class ProgrammeItem(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    case_type = models.CharField("loại", max_length=20, choices=CaseType.choices)
    content = models.CharField("nội dung, đối tượng", max_length=500)
    planned_month = models.PositiveSmallIntegerField("tháng dự kiến")
    case = models.OneToOneField(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned_as")

    class Meta:
        ordering = ["planned_month", "id"]

    def __str__(self) -> str:
        return self.content

    @property
    def done(self) -> bool:
        return self.case_id is not None and self.case.concluded_on is not None
