"""The five report templates every installation starts with (each uses its committed default file until an
administrator uploads another): rows written once here, not looked up and created on every page view."""

from django.db import migrations

KINDS = {
    "quy": "Sơ kết công tác xây dựng Đảng quý",
    "6thang": "Sơ kết công tác xây dựng Đảng 6 tháng",
    "nam": "Tổng kết công tác xây dựng Đảng năm",
    "nhiemky": "Tổng kết nhiệm kỳ",
    "chuyende": "Sơ kết, tổng kết việc thực hiện nghị quyết",
}


def add(apps, schema_editor):
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    for kind, name in KINDS.items():
        ReportTemplate.objects.get_or_create(code=kind, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
