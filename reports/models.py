"""Narrative reports (báo cáo sơ kết, tổng kết), their templates, and the requests a superior sends down.

A report's figures are a snapshot taken when it is generated (`figures`), so the file printed today and the
figures shown on its page agree even if the records change later; regenerating takes a new snapshot.
"""

from django.conf import settings
from django.db import models

from core.scoping import ScopedQuerySet
from orgs.models import OrgUnit


class Kind(models.TextChoices):
    QUARTER = "quy", "Báo cáo quý"
    HALF = "6thang", "Báo cáo sơ kết 6 tháng"
    YEAR = "nam", "Báo cáo tổng kết năm"
    TERM = "nhiemky", "Báo cáo tổng kết nhiệm kỳ"
    THEMATIC = "chuyende", "Báo cáo sơ kết, tổng kết nghị quyết"


class ReportTemplate(models.Model):
    """A .docx with docxtpl placeholders. Without an uploaded file the default of its kind is used
    (reports/templates_docx/<kind>.docx, built by `reports.defaults`)."""

    code = models.SlugField("Mã", max_length=40, unique=True)
    name = models.CharField("Tên mẫu", max_length=200)
    kind = models.CharField("Loại", max_length=10, choices=Kind.choices)
    file = models.FileField("Tệp mẫu (.docx)", upload_to="report_templates/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


class ReportQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Chưa tạo tệp"
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Đã tạo"
        FAILED = "failed", "Lỗi"

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports")
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField("Trích yếu", max_length=300)
    period_start = models.DateField("Từ ngày")
    period_end = models.DateField("Đến ngày")
    issued_on = models.DateField("Ngày báo cáo")
    # The thematic review names the resolution it reviews (documents.Document).
    resolution = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="reviews")
    document = models.OneToOneField("documents.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="report")  # its number (Số …-BC/…), issued once
    texts = models.JSONField(default=dict, blank=True)  # section name -> text the unit writes
    figures = models.JSONField(default=dict, blank=True)  # code -> value, snapshot at generation
    declared = models.JSONField(default=dict, blank=True)  # code -> value, consolidated from submissions
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    docx = models.FileField(upload_to="reports/", blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    xlsx = models.FileField(upload_to="reports/", blank=True)  # the figures snapshot as a table
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-pk"]

    def __str__(self):
        return self.title


class RequestQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)


class ReportRequest(models.Model):
    """A superior's request to its sub-units (the child units open on the request's day)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="report_requests")
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT)
    period_start = models.DateField("Từ ngày")
    period_end = models.DateField("Đến ngày")
    deadline = models.DateField("Hạn nộp")
    recipients = models.ManyToManyField(OrgUnit, related_name="report_requests_received")
    closed = models.BooleanField("Đã đóng", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "-pk"]

    def __str__(self):
        return f"{self.template.name} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class SubmissionQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path", "request__unit__path")


class Submission(models.Model):
    """A sub-unit's answer: its report and/or figures. `computed` are what the records give, `declared`
    what the unit typed where the records give nothing; both are kept, marked apart."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="report_submissions")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL)
    computed = models.JSONField(default=dict)
    declared = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "unit"], name="reports_one_submission")]

    def __str__(self):
        return f"{self.unit} → {self.request}"

    def value(self, code):
        """The figure this unit gives for `code`: the computed one, else the declared one."""
        v = self.computed.get(code)
        return v if v is not None else self.declared.get(code)
