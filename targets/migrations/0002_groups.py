"""The four groups resolutions list their targets in (seed 000: 9 party building, 12 economy, 13 culture–society,
11 defence–security and internal affairs). Rows, so an installation renames or adds groups without a release."""

from django.db import migrations

GROUPS = [
    ("xay_dung_dang", "Xây dựng Đảng và hệ thống chính trị", 1),
    ("kinh_te", "Phát triển kinh tế", 2),
    ("van_hoa_xa_hoi", "Văn hóa – xã hội", 3),
    ("quoc_phong_an_ninh", "Quốc phòng – an ninh, nội chính", 4),
]


def add(apps, schema_editor):
    TargetGroup = apps.get_model("targets", "TargetGroup")
    for code, name, position in GROUPS:
        TargetGroup.objects.get_or_create(code=code, defaults={"name": name, "position": position})


def remove(apps, schema_editor):
    apps.get_model("targets", "TargetGroup").objects.filter(code__in=[g[0] for g in GROUPS], targets=None).delete()


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
