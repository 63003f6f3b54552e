"""Keep candidates in step when the tree is restructured (sent inside the restructuring transaction): their
copied `org_path` follows a moved subtree, a merged cell's candidates go to the cell it was merged into, a split
cell's admitted candidates follow their member, and a cell still following candidates before their ceremony
cannot close."""

from django.db.models import Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.dispatch import receiver

from admission.models import BEFORE_CEREMONY, Candidate
from core.errors import DomainError
from core.tree import subtree_q
from orgs import signals


@receiver(signals.subtree_moved)
def rewrite_candidate_paths(sender, old_prefix, new_prefix, on, span=None, **kwargs):
    rows = subtree_q("org_path", old_prefix) if span is None else Q(org_path__gte=span[0], org_path__lt=span[1])
    Candidate.objects.filter(rows).update(
        org_path=Concat(Value(new_prefix), Substr("org_path", len(old_prefix) + 1, Length("org_path"))))


@receiver(signals.unit_merged)
def move_candidates_on_merge(sender, source, target, on, **kwargs):
    Candidate.objects.filter(unit=source).update(unit=target, org_path=target.path)


@receiver(signals.unit_split)
def move_candidates_on_split(sender, source, assignments, on, **kwargs):
    for c in Candidate.objects.filter(unit=source, member_id__in=list(assignments)):
        unit = assignments[c.member_id]
        Candidate.objects.filter(pk=c.pk).update(unit=unit, org_path=unit.path)


@receiver(signals.unit_closing)
def refuse_closing_with_candidates(sender, unit, on, **kwargs):
    n = Candidate.objects.filter(unit=unit, stage__in=BEFORE_CEREMONY).count()
    if n:
        raise DomainError(f"“{unit.name}” còn {n} người đang được xem xét kết nạp. Hãy dừng xem xét hoặc hợp nhất chi "
                          "bộ trước khi giải thể.")
