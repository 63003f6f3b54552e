"""The register of party documents (văn bản) and the sequences their numbers come from.

A document issued in the system gets its number from `NumberSequence`: from 01 for each type within the
issuing organization's committee term (rules.md §6). Documents of other levels (21-KL/TW) are registered
with the number they carry and no sequence. Scoped by the issuing unit's path; a document without a unit
(issued outside the system, e.g. by the Central Committee) is read by everyone signed in.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bodies.models import Body, Term
from core.scoping import ScopedQuerySet, scope_prefixes
from core.text import fold
from core.tree import ancestors, within_any_q
from documents.rules import DocType
from documents.symbols import format_symbol, number_line
from orgs.models import OrgUnit


class DocumentQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)

    def visible_to(self, user, action: str = "view"):
        """The documents of units in reach, those of the levels above them (a commune implements its
        province's plan, so it reads it), and those issued outside the system (no unit). Writing ("documents")
        stays within reach: a document is changed only by its own organization's officers."""
        prefixes = scope_prefixes(user, action)
        if prefixes is None:
            return self
        mine = within_any_q(("unit__path",), prefixes)
        if action != "view":
            return self.filter(mine)
        above = {a for p in prefixes for a in ancestors(p)[:-1]}
        return self.filter(mine | Q(unit__isnull=True) | Q(unit__path__in=above))

    def issued_within(self, user):
        """The documents of units in the user's reach only (not the levels above): their reviews are the
        user's own work."""
        prefixes = scope_prefixes(user, "view")
        return self if prefixes is None else self.filter(within_any_q(("unit__path",), prefixes))


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "du_thao", "Dự thảo"
        ISSUED = "ban_hanh", "Đã ban hành"
        REPLACED = "bi_thay_the", "Bị thay thế"
        EXPIRED = "het_hieu_luc", "Hết hiệu lực"

    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
                             verbose_name="tổ chức ban hành")
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
                             verbose_name="cơ quan ban hành")
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
                             verbose_name="nhiệm kỳ")
    doc_type = models.CharField("loại văn bản", max_length=6, choices=DocType.choices)
    number = models.PositiveIntegerField("số")
    issuer = models.CharField("ký hiệu cơ quan ban hành", max_length=20, help_text="TW, TU, ĐU, CB, BTCTU…")
    issued_on = models.DateField("ngày ban hành")
    title = models.CharField("trích yếu", max_length=500)
    folded_title = models.CharField(max_length=500, blank=True, editable=False)  # search without diacritics
    status = models.CharField("trạng thái", max_length=14, choices=Status.choices, default=Status.ISSUED)
    implements = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="implemented_by", verbose_name="thực hiện văn bản")
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="replaced_by", verbose_name="thay thế văn bản")
    review_due = models.DateField("hạn sơ kết", null=True, blank=True)
    final_review_due = models.DateField("hạn tổng kết", null=True, blank=True)
    reviewed_on = models.DateField("đã sơ kết ngày", null=True, blank=True)
    final_reviewed_on = models.DateField("đã tổng kết ngày", null=True, blank=True)
    attachment = models.FileField("tệp đính kèm", upload_to="documents/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["issuer", "doc_type", "number"]), models.Index(fields=["unit", "issued_on"])]
        verbose_name = "văn bản"

    def __str__(self) -> str:
        return f"{self.number_line} ({self.title})"

    def save(self, *args, **kwargs):
        self.folded_title = fold(self.title)
        super().save(*args, **kwargs)

    @property
    def symbol(self) -> str:
        """"03-NQ/CB"."""
        return format_symbol(self.number, self.doc_type, self.issuer)

    @property
    def number_line(self) -> str:
        """"Số 03-NQ/CB", as printed under the issuer."""
        return number_line(self.number, self.doc_type, self.issuer)


class NumberSequence(models.Model):
    """The last number given to a type of document by one organization in one period: its committee term
    ("t12", the term's id) or, where no term is recorded, a calendar year ("y2026")."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=12)
    issuer = models.CharField(max_length=20)
    doc_type = models.CharField(max_length=6, choices=DocType.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period", "issuer", "doc_type"],
                                               name="number_sequence_once")]

    def __str__(self) -> str:
        return f"{self.doc_type}/{self.issuer} {self.period}: {self.last}"


class DisseminationQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)


class Dissemination(models.Model):
    """A unit's quán triệt of a document: when, how, and how many of its members attended of how many."""

    class Form(models.TextChoices):
        CONFERENCE = "hoi_nghi", "Hội nghị quán triệt"
        CELL_MEETING = "sinh_hoat_chi_bo", "Sinh hoạt chi bộ"
        ONLINE = "truc_tuyen", "Hội nghị trực tuyến"
        OTHER = "khac", "Hình thức khác"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="disseminations",
                                 verbose_name="văn bản")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="disseminations", verbose_name="tổ chức")
    held_on = models.DateField("ngày quán triệt")
    form = models.CharField("hình thức", max_length=20, choices=Form.choices, default=Form.CONFERENCE)
    attended = models.PositiveIntegerField("số đảng viên dự")
    total = models.PositiveIntegerField("tổng số đảng viên")
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = DisseminationQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "id"]
        indexes = [models.Index(fields=["document", "unit"])]
        verbose_name = "quán triệt"

    def __str__(self) -> str:
        return f"{self.unit} quán triệt {self.document.symbol}"
