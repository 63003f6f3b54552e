"""`record()`: the one way to write an audit entry; `entries_about()`: the entries one object's page shows."""

from collections.abc import Iterable
from itertools import chain

from django.db import transaction
from django.db.models import Q

from audit.models import AuditEntry, AuditMention
from core import hooks
from core.bulk import insert_rows
from core.middleware import current_request_id
from core.scoping import can, scope_prefixes
from core.tree import within_any_q

MENTION_COLUMNS = ["entry_id", "object_type", "object_id", "unit_path"]


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
    mentions: Iterable[tuple] = (),
) -> AuditEntry:
    """Write one entry. Must run inside the transaction of the change it records.

    `mentions`: (object, unit path) of each other object the change touched (the members an
    import wrote), so that each one's page shows this entry; written in bulk, one narrow row each.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the change")
    name = ""
    if actor is not None:
        name = actor.get_full_name() or actor.get_username()
    entry = AuditEntry.objects.create(
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
    rows = ((entry.pk, o._meta.label_lower, str(o.pk), path) for o, path in mentions)
    first = next(rows, None)
    if first is not None:  # most entries mention nothing: no statement for them
        insert_rows(AuditMention._meta.db_table, MENTION_COLUMNS, chain([first], rows))
    return entry


def _readable_by(user, entry: AuditEntry) -> bool:
    return can(user, "audit", entry.unit_path) or bool(entry.unit_path_2) and can(user, "audit", entry.unit_path_2)


def entries_about(obj, user, limit: int, exclude_actions=()) -> list[AuditEntry]:
    """The latest `limit` entries `user` may read about `obj`, newest first: its own, and those that
    mention it (an import that created or updated it), leaving out `exclude_actions`.

    An entry that mentions `obj` is read in full by whoever may read the entry's own units; whoever
    may read only the unit `obj` was in when it was touched (a cell's secretary, for an import of
    the whole commune) sees that it happened, by whom and when, with `entry.in_full` False: not the
    import's counts or file, which are about the other cells too.
    """
    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    own = list(AuditEntry.objects.visible_to(user, "audit").filter(object_type=object_type, object_id=object_id)
               .exclude(action__in=exclude_actions).order_by("-created_at", "-id")[:limit])
    mentioned = {}
    for entry_id, path in AuditMention.objects.filter(object_type=object_type, object_id=object_id).values_list(
            "entry_id", "unit_path"):
        mentioned[entry_id] = mentioned.get(entry_id, False) or can(user, "audit", path)
    others = []
    for entry in AuditEntry.objects.filter(pk__in=list(mentioned)).exclude(pk__in=[e.pk for e in own]):
        entry.in_full = _readable_by(user, entry)
        if entry.in_full or mentioned[entry.pk]:
            others.append(entry)
    for entry in own:
        entry.in_full = True
    return sorted(own + others, key=lambda e: (e.created_at, e.pk), reverse=True)[:limit]


def restricted_prefixes(user) -> list[str]:
    """The action prefixes of restricted work `user` holds the right for nowhere (the filter does not offer
    them: naming the kinds of an inspection's steps is already telling)."""
    hidden = []
    for restricted in hooks.providers("audit-restricted"):
        prefix, action = restricted()
        reach = scope_prefixes(user, action)
        if reach is not None and not reach:
            hidden.append(prefix)
    return hidden


def without_restricted(entries, user):
    """`entries` less those of work only another right may see (the inspection commission's, issue 17 item 6)
    outside that right's reach: a higher app names the action prefix and the right through core.hooks
    ("audit-restricted"), so the change log and the unit page's latest changes leave them out."""
    for restricted in hooks.providers("audit-restricted"):
        prefix, action = restricted()
        reach = scope_prefixes(user, action)
        if reach is not None:
            entries = entries.exclude(Q(action__startswith=prefix) & ~within_any_q(["unit_path", "unit_path_2"], reach))
    return entries
