"""Keep members in step when the tree is restructured (sent inside the restructuring transaction)."""

from django.db.models import Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.dispatch import receiver

from core.errors import DomainError
from core.tree import parent_path, subtree_q
from members import tally
from members.models import Member, MemberEvent
from members.services import move_members
from orgs import signals


@receiver(signals.subtree_moved)
def rewrite_member_paths(sender, old_prefix, new_prefix, on, span=None, **kwargs):
    """Paths under the moved units start with `new_prefix` in place of `old_prefix`.

    Without `span`, the unit at `old_prefix` moved with its subtree. With `span` (lo, hi), children of
    the unit at `old_prefix` whose subtrees fill the path range [lo, hi) moved under the unit at
    `new_prefix`, which stay where they are (a merge moves all the children of the merged unit at once).
    """
    if span is None:
        rows, left, joined = subtree_q("org_path", old_prefix), parent_path(old_prefix), parent_path(new_prefix)
    else:
        rows, left, joined = Q(org_path__gte=span[0], org_path__lt=span[1]), old_prefix, new_prefix
    moving = tally.groups_of(Member.objects.filter(rows))
    for model in (Member, MemberEvent):
        model.objects.filter(rows).update(
            org_path=Concat(Value(new_prefix), Substr("org_path", len(old_prefix) + 1, Length("org_path")))
        )
    # The moved subtrees' own tallies are unchanged; only the ancestors they left and joined change.
    tally.shift(moving, left, joined)


@receiver(signals.unit_merged)
def move_members_on_merge(sender, source, target, on, moved, **kwargs):
    note = f"Hợp nhất {source.name} vào {target.name}"
    moved["members_moved"] = move_members(Member.objects.filter(unit=source), source, target, on, note)


@receiver(signals.unit_split)
def move_members_on_split(sender, source, assignments, on, **kwargs):
    by_unit = {}
    for member_id, unit in assignments.items():
        by_unit.setdefault(unit, []).append(member_id)
    for unit, ids in by_unit.items():
        found = Member.objects.filter(unit=source, pk__in=ids)
        if found.count() != len(set(ids)):
            raise DomainError(f"Có đảng viên được chọn không thuộc “{source.name}”.")
        move_members(found, source, unit, on, f"Chia tách {source.name}")


@receiver(signals.unit_closing)
def refuse_closing_with_members(sender, unit, on, **kwargs):
    n = Member.objects.active().filter(unit=unit).count()
    if n:
        raise DomainError(
            f"“{unit.name}” còn {n} đảng viên đang sinh hoạt. Hãy chuyển họ hoặc hợp nhất tổ chức trước khi giải thể."
        )
