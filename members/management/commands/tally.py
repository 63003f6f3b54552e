from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from members import tally


class Command(BaseCommand):
    help = ("Số liệu tổng hợp (tally) của các tổ chức: kiểm tra khớp với hồ sơ đảng viên (--check), "
            "tính lại từ đầu (--rebuild), hoặc chuyển nhóm tuổi tới hôm nay (mặc định).")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="so với đếm lại; thoát mã 1 nếu lệch")
        parser.add_argument("--rebuild", action="store_true", help="xóa và tính lại toàn bộ")

    def handle(self, *args, check=False, rebuild=False, **options):
        t = perf_counter()
        if rebuild:
            day = tally.rebuild()
            self.stdout.write(f"Đã tính lại số liệu tổng hợp (tuổi tính đến {day:%d/%m/%Y}) trong {perf_counter() - t:.1f} giây.")
        if check:
            problems = tally.check()
            for line in problems[:50]:
                self.stdout.write(line)
            if problems:
                raise CommandError(f"{len(problems)} chỗ lệch giữa số liệu tổng hợp và hồ sơ; chạy lại với --rebuild.")
            self.stdout.write(f"Số liệu tổng hợp khớp với hồ sơ đảng viên ({perf_counter() - t:.1f} giây).")
        if not (check or rebuild):
            day = tally.ensure_current()
            self.stdout.write(f"Nhóm tuổi đã tính đến {day:%d/%m/%Y}.")
