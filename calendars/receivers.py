from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from calendars import workdays
from calendars.models import DayException


@receiver(post_save, sender=DayException)
@receiver(post_delete, sender=DayException)
def forget_years(sender, instance, **kwargs):
    # Now, so the rest of the transaction sees the change, and again once it commits.
    workdays.changing()
    transaction.on_commit(workdays.changed)
