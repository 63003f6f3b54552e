"""The figures of a period (members.changes) count one kind of event over a range of days in a subtree:
(kind, on, org_path) answers from the index alone; it replaces (kind, on), which is its prefix."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0010_badge_awards")]

    operations = [
        migrations.RemoveIndex(model_name="memberevent", name="members_mem_kind_6cb912_idx"),
        migrations.AddIndex(
            model_name="memberevent",
            index=models.Index(fields=["kind", "on", "org_path"], name="memberevent_kind_on_path"),
        ),
    ]
