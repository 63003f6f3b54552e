"""What the member services tell the apps above `members` (bodies, later others).

Sent inside the service's transaction, so a receiver's writes commit or roll back with the change.
"""

from django.dispatch import Signal

# `member` stopped being an active member of the units in reach on `on`: an exit (death, striking
# off, expulsion, resignation) or a transfer out of the party organization (kwargs: member, on, kind).
member_left = Signal()
