"""The figures of a period (members.changes).

- (kind, on, org_path, reason) replaces (kind, on), its prefix: "admissions of a year" for a subtree, and
  the exits by reason, from the index alone;
- MemberEvent.from_unit: the unit a member left on a move or a transfer in, so that transfers in and out of
  a subtree are counted with its units; the events already recorded get the unit of the member's event
  before them, in one statement on either database;
- (from_unit, on) for the events that have one: the moves out of a subtree, found from its units.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

FILL = """
UPDATE members_memberevent SET from_unit_id = (
    SELECT p.unit_id FROM members_memberevent p
    WHERE p.member_id = members_memberevent.member_id
      AND (p."on" < members_memberevent."on" OR (p."on" = members_memberevent."on" AND p.id < members_memberevent.id))
    ORDER BY p."on" DESC, p.id DESC LIMIT 1)
WHERE kind IN ('chuyen_noi_bo', 'chuyen_den')
"""


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial"), ("members", "0010_badge_awards")]

    operations = [
        migrations.RemoveIndex(model_name="memberevent", name="members_mem_kind_6cb912_idx"),
        migrations.AddIndex(
            model_name="memberevent",
            index=models.Index(fields=["kind", "on", "org_path", "reason"], name="memberevent_kind_on_path"),
        ),
        migrations.AddField(
            model_name="memberevent",
            name="from_unit",
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="orgs.orgunit", verbose_name="từ tổ chức"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="memberevent",
            index=models.Index(condition=Q(from_unit__isnull=False), fields=["from_unit", "on"],
                               name="memberevent_from_unit"),
        ),
    ]
