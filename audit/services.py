"""`record()`: the one way to write an audit entry."""

from django.db import transaction

from audit.models import AuditEntry
from core.middleware import current_request_id


def record(
    action: str,
    *,
    actor,
    obj,
    unit_path: str,
    unit_path_2: str = "",
    unit_name: str = "",
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one entry. Must run inside the transaction of the change it records."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the change")
    name = ""
    if actor is not None:
        name = actor.get_full_name() or actor.get_username()
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_name=name or "hệ thống",
        unit_path=unit_path,
        unit_path_2=unit_path_2,
        unit_name=unit_name[:255],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        note=note,
        request_id=current_request_id.get(),
    )
