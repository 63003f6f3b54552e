from django.db import migrations, models

from members.history import EXITS, STATUS_AFTER, EventRow, party_intervals
from members.rules import party_age


def fill(apps, schema_editor):
    """The party age former members reached, from their events (as Member.fill_left_party_months)."""
    Member, MemberEvent = apps.get_model("members", "Member"), apps.get_model("members", "MemberEvent")
    left = Member.objects.filter(status__in=[STATUS_AFTER[k] for k in EXITS]).order_by("pk")
    ids = list(left.values_list("pk", flat=True))
    for i in range(0, len(ids), 2_000):
        chunk = ids[i:i + 2_000]
        admitted = dict(Member.objects.filter(pk__in=chunk).values_list("pk", "admitted_on"))
        events = {pk: [] for pk in chunk}
        for mid, kind, day in (MemberEvent.objects.filter(member_id__in=chunk).order_by("on", "id")
                               .values_list("member_id", "kind", "on")):
            events[mid].append(EventRow(kind, day, 0))
        for pk in chunk:
            if events[pk]:
                months = party_age(party_intervals(events[pk], admitted[pk]), events[pk][-1].on).total_months
                Member.objects.filter(pk=pk).update(left_party_months=months)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0007_over_age_consent_and_leave_reason'),
    ]

    operations = [
        migrations.AddField(
            model_name='member',
            name='left_party_months',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
