from django.conf import settings
from django.db import models

from core.scoping import ScopedQuerySet
from core.tree import PathField


class AuditQuerySet(ScopedQuerySet):
    # An entry about a move or a merge concerns two places of the tree; either one's officers see it.
    scope_fields = ("unit_path", "unit_path_2")


class AuditEntry(models.Model):
    """One change by one person: who, when, what, on which unit, before and after.

    Written in the same transaction as the change it records, so there is never a change
    without its entry nor an entry without its change. The actor's name is copied so the
    entry still reads right after the account is deleted.
    """

    action = models.CharField("hành động", max_length=80, db_index=True)  # "orgs.unit.merged"
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField("người thực hiện", max_length=150)
    unit_path = PathField("đơn vị", db_index=True)
    unit_path_2 = PathField("đơn vị liên quan", blank=True, default="", db_index=True)
    unit_name = models.CharField("tên đơn vị", max_length=255, blank=True)
    object_type = models.CharField("loại đối tượng", max_length=60)
    object_id = models.CharField("mã đối tượng", max_length=40)
    object_repr = models.CharField("đối tượng", max_length=255)
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]  # a member's page
        verbose_name = "mục nhật ký"
        verbose_name_plural = "nhật ký thay đổi"

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_name}: {self.action} {self.object_repr}"

    @property
    def label(self) -> str:
        from audit.labels import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for the fields that differ, for the audit page."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AuditMention(models.Model):
    """One more object an entry concerns, besides its own: each member an import created or updated.

    An import of 100,000 members writes one entry with its counts and 100,000 of these narrow rows
    (COPY on PostgreSQL), not 100,000 entries each with a profile as JSON, five indexes and a
    round trip: the member's page finds the import through its row here. `unit_path` is where the
    object was then, so that whoever may read that unit's log sees that the entry touched it, as an
    entry of its own would have been scoped (`audit.services.entries_about`).
    """

    # No index of its own on the entry: entries are never deleted, and rows are found by object.
    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="mentions", db_index=False)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    unit_path = PathField()

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_mention_object")]
        verbose_name = "đối tượng liên quan"

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.object_type} {self.object_id}"
