"""`manage.py classification --check` recounts the summary from the ratings and lists every difference;
`--rebuild` rewrites it from the ratings (one GROUP BY)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from assessment.models import Rating, Summary


def recount() -> dict:
    rows = Rating.objects.decided().values("subject_unit_id", "round__year", "round__subject", "result")
    return {(r["subject_unit_id"], r["round__year"], r["round__subject"], r["result"]): r["n"]
            for r in rows.annotate(n=Count("id"))}


def differences() -> list[tuple]:
    truth = recount()
    kept = {(s.unit_id, s.year, s.subject, s.level): s.count for s in Summary.objects.all()}
    return sorted((k, kept.get(k, 0), truth.get(k, 0)) for k in set(truth) | set(kept)
                  if kept.get(k, 0) != truth.get(k, 0))


class Command(BaseCommand):
    help = "Kiểm tra (--check) hoặc tính lại (--rebuild) bảng tổng hợp xếp loại chất lượng."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args, check=False, rebuild=False, **options):
        if rebuild:
            with transaction.atomic():
                Summary.objects.all().delete()
                Summary.objects.bulk_create([Summary(unit_id=u, year=y, subject=s, level=lv, count=n)
                                             for (u, y, s, lv), n in recount().items()], batch_size=1000)
            self.stdout.write("Đã tính lại bảng tổng hợp.")
        diffs = differences()
        for (unit, year, subject, level), kept, truth in diffs:
            self.stdout.write(f"tổ chức {unit} năm {year} {subject} {level}: bảng ghi {kept}, thực tế {truth}")
        if diffs:
            raise CommandError(f"{len(diffs)} chỗ lệch.")
        self.stdout.write("Bảng tổng hợp khớp với các phiếu xếp loại.")
