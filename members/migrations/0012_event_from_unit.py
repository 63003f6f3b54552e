"""MemberEvent.from_unit: the unit a member left on a move or a transfer in (members.changes counts
transfers in and out of a subtree with it). Events already recorded get the unit of the member's event
before them, in one statement on either database."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE members_memberevent SET from_unit_id = (
    SELECT p.unit_id FROM members_memberevent p
    WHERE p.member_id = members_memberevent.member_id
      AND (p."on" < members_memberevent."on" OR (p."on" = members_memberevent."on" AND p.id < members_memberevent.id))
    ORDER BY p."on" DESC, p.id DESC LIMIT 1)
WHERE kind IN ('chuyen_noi_bo', 'chuyen_den')
"""


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial"), ("members", "0011_event_figures_index")]

    operations = [
        migrations.AddField(
            model_name="memberevent",
            name="from_unit",
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="orgs.orgunit", verbose_name="từ tổ chức"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
