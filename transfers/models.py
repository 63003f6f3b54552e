"""Transfers of party activity (chuyển sinh hoạt đảng): official and temporary, between two units of the
tree or to a party organization outside the system.

A transfer concerns two places, so it is scoped by both (`from_unit__path`, `to_unit__path`), like an audit
entry with its two paths: the officers of the sending and of the receiving unit both see it. The paths are
read through the units (joins), so a move of either unit in the tree carries its transfers without a
rewrite.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.scoping import ScopedQuerySet, scope_prefixes
from core.tree import within_any_q
from members.models import Member
from orgs.models import OrgUnit


class Kind(models.TextChoices):
    OFFICIAL = "chinh_thuc", "Chính thức"
    TEMPORARY = "tam_thoi", "Tạm thời"


class Purpose(models.TextChoices):
    """Why the member moves (294-QĐ/TW §6.3.1 lists the triggers of an official transfer; rules.md §8)."""

    WORK = "cong_tac", "Chuyển công tác, thay đổi nơi làm việc"
    RETIRE = "nghi_huu", "Nghỉ hưu, nghỉ mất sức, thôi việc, xuất ngũ"
    RESIDENCE = "cu_tru", "Thay đổi nơi cư trú"
    STUDY = "hoc_tap", "Đi học tập trung"
    OTHER = "khac", "Lý do khác"


class Status(models.TextChoices):
    STARTED = "da_gioi_thieu", "Đã cấp giấy giới thiệu, chờ nộp"
    PRESENTED = "da_nop_giay", "Đã nộp giấy giới thiệu, chờ tiếp nhận"
    ACCEPTED = "da_tiep_nhan", "Đã tiếp nhận"
    RETURNED = "da_tro_ve", "Đã trở về sinh hoạt ở chi bộ chính thức"
    REFUSED = "tu_choi", "Nơi nhận không tiếp nhận"
    CANCELLED = "da_huy", "Đã hủy"


# Which step may follow which (STYLE.md habit 6). A letter may be accepted without its presentation being
# recorded first: the acceptance is then its presentation too (the same day). A temporary transfer stays
# open while the member is away and ends with the return.
ALLOWED = {
    Status.STARTED: {Status.PRESENTED, Status.ACCEPTED, Status.REFUSED, Status.CANCELLED},
    Status.PRESENTED: {Status.ACCEPTED, Status.REFUSED, Status.CANCELLED},
    Status.ACCEPTED: {Status.RETURNED},  # temporary transfers only
    Status.RETURNED: set(),
    Status.REFUSED: set(),
    Status.CANCELLED: set(),
}
PENDING = [Status.STARTED, Status.PRESENTED]
# Open: the member is on the way (letter issued, not yet accepted) or away on a temporary transfer.
OPEN_Q = Q(status__in=PENDING) | Q(kind=Kind.TEMPORARY, status=Status.ACCEPTED)


class TransferQuerySet(ScopedQuerySet):
    scope_fields = ("from_unit__path", "to_unit__path")

    def open(self):
        return self.filter(OPEN_Q)

    def _side(self, field: str, user):
        prefixes = scope_prefixes(user, "view")
        return self if prefixes is None else self.filter(within_any_q([field], prefixes))

    def incoming_to(self, user):
        """Transfers whose receiving unit `user` sees (the receiving side's reach only)."""
        return self._side("to_unit__path", user)

    def outgoing_from(self, user):
        """Transfers whose sending unit `user` sees."""
        return self._side("from_unit__path", user)

    def direction(self, user, which: str):
        """"di": sent from the user's reach; "den": received into it from outside it; else all."""
        if which == "di":
            return self.outgoing_from(user)
        if which == "den":
            return self.incoming_to(user).exclude(pk__in=Transfer.objects.outgoing_from(user).values("pk"))
        return self


class Transfer(models.Model):
    """One transfer of a member's party activity, from the letter (giấy giới thiệu) to the acceptance (and,
    for a temporary one, the return). `to_unit` is empty for an organization outside the system
    (`to_outside` names it): accepting it records the member as transferred out, leaving the tree."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers", verbose_name="đảng viên")
    kind = models.CharField("hình thức", max_length=12, choices=Kind.choices)
    purpose = models.CharField("lý do", max_length=12, choices=Purpose.choices)
    status = models.CharField("tình trạng", max_length=16, choices=Status.choices, default=Status.STARTED)
    from_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="chuyển đi từ")
    to_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="chuyển đến")
    to_outside = models.CharField("tổ chức đảng nơi đến (ngoài hệ thống)", max_length=255, blank=True)
    reason_on = models.DateField("ngày quyết định có hiệu lực hoặc ngày chuyển nơi ở")
    decision_number = models.CharField("quyết định", max_length=120, blank=True)
    started_on = models.DateField("ngày giới thiệu")
    present_due = models.DateField("hạn nộp giấy giới thiệu")
    presented_on = models.DateField("ngày nộp giấy giới thiệu", null=True, blank=True)
    late_reason = models.TextField("lý do nộp chậm", blank=True)
    accept_due = models.DateField("hạn tiếp nhận (nhắc việc)", null=True, blank=True)
    accepted_on = models.DateField("ngày tiếp nhận", null=True, blank=True)
    temp_from = models.DateField("sinh hoạt tạm thời từ", null=True, blank=True)
    temp_until = models.DateField("sinh hoạt tạm thời đến", null=True, blank=True)
    returned_on = models.DateField("ngày trở về", null=True, blank=True)
    closed_on = models.DateField("ngày không tiếp nhận/hủy", null=True, blank=True)
    closed_reason = models.TextField("lý do không tiếp nhận/hủy", blank=True)
    note = models.TextField("ghi chú", blank=True)
    # The introduction letter's number (documents.Document, numbered per rules.md §6): its id and symbol.
    letter_document_id = models.PositiveIntegerField("văn bản giấy giới thiệu", null=True, blank=True)
    letter_symbol = models.CharField("số giấy giới thiệu", max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["status", "present_due"]), models.Index(fields=["member", "status"])]
        constraints = [
            # One open transfer per member, also under two officers clicking at once (the service checks first,
            # with a message; this is the last word).
            models.UniqueConstraint(fields=["member"], condition=OPEN_Q, name="transfer_one_open_per_member"),
        ]
        verbose_name = "chuyển sinh hoạt đảng"

    def __str__(self) -> str:
        return f"Chuyển sinh hoạt {self.get_kind_display().lower()} của {self.member_id} đến {self.destination}"

    @property
    def destination(self) -> str:
        return self.to_unit.name if self.to_unit_id else self.to_outside

    @property
    def is_outside(self) -> bool:
        return self.to_unit_id is None

    @property
    def is_open(self) -> bool:
        return self.status in PENDING or (self.kind == Kind.TEMPORARY and self.status == Status.ACCEPTED)

    def present_overdue(self, today: date) -> bool:
        return self.status == Status.STARTED and today > self.present_due

    def snapshot(self) -> dict:
        out = {"transfer_kind": self.kind}
        for name in ("status", "purpose", "from_unit_id", "to_unit_id", "to_outside", "reason_on",
                     "decision_number", "started_on", "present_due", "presented_on", "late_reason", "accepted_on",
                     "temp_from", "temp_until", "returned_on", "closed_on", "closed_reason", "letter_symbol"):
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out
