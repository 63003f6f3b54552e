"""What the restructuring services tell the apps above `orgs` (members, later others).

They are sent inside the restructuring transaction, so a receiver's writes commit or roll back
with the restructuring itself. A receiver may raise DomainError to refuse the change.
"""

from django.dispatch import Signal

# A subtree's paths changed from old_prefix to new_prefix (kwargs: old_prefix, new_prefix, on).
subtree_moved = Signal()
# Everything held directly by `source` now belongs to `target` (kwargs: source, target, on).
unit_merged = Signal()
# Facts named in `assignments` {fact key: new unit} move to the new units (kwargs: source, assignments, on).
unit_split = Signal()
# `unit` is about to close; raise DomainError if something still depends on it (kwargs: unit, on).
unit_closing = Signal()
