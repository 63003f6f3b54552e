"""Writing a checked member import (`members.importer.validate`'s plan) all at once, and keeping the
list of what it changed for the import page. Bulk inserts with ids drawn ahead, one audit entry for
the whole import that every member it wrote mentions; see `apply`.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from audit.services import record
from core.bulk import insert_rows
from core.memory import cycle_collector_paused
from members import history, services, tally
from members.importer import (
    DATE_FIELDS,
    DERIVED,
    Create,
    Result,
    Update,
)
from members.models import ImportJob, Member, MemberEvent, MemberPeriod
from orgs.models import OrgUnit

MEMBER_FIELDS = Member._meta.concrete_fields  # every column, the id included: COPY writes them all
EVENT_FIELDS = [f for f in MemberEvent._meta.concrete_fields if not f.primary_key]
PERIOD_COLUMNS = ["member_id", "unit_id", "status", "valid_from", "valid_to"]
PREPARED = {"DateField", "DateTimeField", "FileField"}  # the field types whose values the database needs converted


@cycle_collector_paused()
def apply(result: Result, *, user, unit: OrgUnit, job: ImportJob | None = None) -> None:
    """Write a checked plan (`result.ok`) in one transaction, in bulk.

    Audit: one `members.import.done` entry for the whole import (file, counts), which each member it
    created or updated mentions (`audit.models.AuditMention`, one narrow row each, written in bulk),
    so every member's page shows the import; plus one `members.member.updated` entry per updated
    member, because an update overwrites values and its before/after is the only trace of them.
    Created members get no entry of their own: their admission events and the import entry say
    where they came from, and 10,000 single-row inserts would double the time the write lock is
    held on SQLite. The job is marked done first, so the entry names it as it ended.
    """
    source = job.original_name if job else ""
    with transaction.atomic():
        _insert_creates(result.creates)
        tally.apply((tally.state(c.member), 1) for c in result.creates)
        updated = _write_updates(result.updates, user, source)
        summary = {"file": source, "created": len(result.creates), "updated": len(result.updates),
                   "unchanged": result.unchanged}
        if job is not None:
            ended = {"state": ImportJob.State.DONE, "processed_rows": result.total_rows,
                     "total_rows": result.total_rows, "created_count": len(result.creates),
                     "updated_count": len(result.updates), "unchanged_count": result.unchanged,
                     "message": result.summary(), "finished_at": timezone.now()}
            ImportJob.objects.filter(pk=job.pk).update(**ended)
            for name, value in ended.items():
                setattr(job, name, value)
        touched = [*(c.member for c in result.creates), *updated]
        record("members.import.done", actor=user, obj=job or unit, unit_path=unit.path, unit_name=unit.name,
               after=summary, note=result.summary(), mentions=((m, m.org_path) for m in touched))


def _insert_creates(creates: list[Create]) -> None:
    """Write the new members, their events and their placements (as `services.rebuild_periods`
    derives them) with `core.bulk.insert_rows`: COPY on PostgreSQL, executemany on SQLite."""
    if not creates:
        return
    # The cells again, inside the transaction: one may have moved (new path) since the file was checked.
    units = OrgUnit.objects.in_bulk({c.member.unit_id for c in creates})
    now = timezone.now()
    for c, pk in zip(creates, _new_ids(len(creates)), strict=True):
        member = c.member
        member.pk, member.unit, member.updated_at = pk, units[member.unit_id], now
        member.org_path = member.unit.path  # the one derived column (`fill_derived`, in check_new) a move changes
        member._state.adding, member._state.db = False, connection.alias  # as bulk_create leaves them
        for e in c.events:
            e.member, e.unit, e.org_path, e.created_at = member, member.unit, member.unit.path, now
    day = connection.ops.adapt_datefield_value
    member_row, event_row = _row_maker(MEMBER_FIELDS), _row_maker(EVENT_FIELDS)
    # A CCCD written meanwhile makes insert_rows raise Django's IntegrityError (tasks.py says so to the user).
    insert_rows(Member._meta.db_table, [f.column for f in MEMBER_FIELDS], (member_row(c.member) for c in creates))
    insert_rows(MemberEvent._meta.db_table, [f.column for f in EVENT_FIELDS],
                (event_row(e) for c in creates for e in c.events))
    insert_rows(MemberPeriod._meta.db_table, PERIOD_COLUMNS, (
        (c.member.pk, unit_id, status, day(start), day(end))
        for c in creates for unit_id, status, start, end in history.periods(c.events)))


def _row_maker(fields) -> Callable[[Any], tuple]:
    """A function giving the row `obj.save()` would write: each value as its field prepares it for
    this database (dates as ISO text on SQLite, aware datetimes in UTC, the photo's file name).

    Text, numbers and ids go as they are, which is all their fields would do with them; calling
    `get_db_prep_save` for those too took most of the time of writing 100,000 members.
    """
    db = connections[DEFAULT_DB_ALIAS]
    steps = [(f.attname, _remembered(f, db) if f.get_internal_type() in PREPARED else None) for f in fields]

    def row(obj) -> tuple:
        values = vars(obj)  # the values themselves, without a descriptor call per attribute
        return tuple(values[name] if prep is None else prep(values[name]) for name, prep in steps)

    return row


def _remembered(field, db) -> Callable[[Any], Any]:
    """`field.get_db_prep_save`, once per distinct value: 100,000 members hold a few thousand dates."""
    done: dict[Any, Any] = {}

    def prep(value: Any) -> Any:
        try:
            return done[value]
        except KeyError:
            done[value] = prepared = field.get_db_prep_save(value, db)
            return prepared

    return prep


def _new_ids(n: int) -> list[int]:
    """Ids for `n` new members, in order; COPY cannot return the ids it writes, so they are taken first."""
    table = Member._meta.db_table
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            # nextval moves the sequence past every id taken here, so later inserts (create_member)
            # cannot collide; ids of an import that rolls back are skipped, as with any insert.
            c.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return sorted(row[0] for row in c.fetchall())
        # SQLite: the write transaction is IMMEDIATE (settings), so this transaction has held the
        # database's only write lock since its first statement and no one can insert between this
        # read and our insert. The id column is AUTOINCREMENT, which never gives a deleted member's id
        # again (their audit entries would then describe someone else): start after the highest id
        # ever given (sqlite_sequence), not just the highest there is. Inserting moves it on.
        c.execute(f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0), "
                  "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))", [table])
        first = c.fetchone()[0] + 1
        return list(range(first, first + n))


def _write_updates(updates: list[Update], user, source: str) -> list[Member]:
    """Write the changed fields of each member; returns the members as written."""
    if not updates:
        return []
    now = timezone.now()
    # Read again inside the transaction: the members may have been edited since the check.
    fresh = (Member.objects.select_for_update(of=("self",)).select_related("unit")
             .in_bulk([u.member_id for u in updates]))
    changed = []
    counted = []  # (tally state, ±1) of each updated member before and after
    groups: dict[tuple[str, ...], list[Member]] = defaultdict(list)  # one bulk UPDATE per set of columns
    for u in updates:
        member = fresh[u.member_id]
        before = services.snapshot(member, list(u.changes))
        counted.append((tally.state(member), -1))
        for name, value in u.changes.items():
            setattr(member, name, value)
        member.fill_derived()
        counted.append((tally.state(member), 1))
        member.updated_at = now
        columns = {*u.changes, "updated_at", *DERIVED}
        groups[tuple(sorted(columns))].append(member)
        changed.append((member, before, u))
    for columns, members in groups.items():
        Member.objects.bulk_update(members, columns, batch_size=500)
    tally.apply(counted)
    for member, before, u in changed:
        if set(u.changes) & set(DATE_FIELDS):
            services._sync_dates_to_events(member)
        record("members.member.updated", actor=user, obj=member, unit_path=member.org_path,
               unit_name=member.unit.name, before=before, after=services.snapshot(member, list(u.changes)),
               note=f"Nhập từ tệp {source}".strip())
    return [member for member, _, _ in changed]


# The row-by-row list of what an import changed (or, for a dry run, would change) can hold
# 10,000 entries; it is kept as a JSON file beside the upload rather than in the job row.

def _changes_name(job: ImportJob) -> str:
    return f"{job.file.name}.changes.json"


def save_changes(job: ImportJob, changes: list[dict]) -> None:
    storage, name = job.file.storage, _changes_name(job)
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(json.dumps(changes, ensure_ascii=False).encode()))


def import_changes(job: ImportJob) -> list[dict]:
    """What the import changed, row by row: {row, name, action "create"/"update", unit or fields
    [{column, before, after}]}; empty while the job runs or when the file had errors."""
    if not job.file or not job.file.storage.exists(_changes_name(job)):
        return []
    with job.file.storage.open(_changes_name(job), "rb") as f:
        return json.load(f)
