import csv
from json import dumps
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members import migration


class Command(BaseCommand):
    help = ("Chuyển đổi toàn bộ dữ liệu (tổ chức, đảng viên, sự kiện) từ ba tệp CSV vào cơ sở dữ liệu trống: "
            "to_chuc.csv, dang_vien.csv, su_kien.csv (xem docs/migration.md). Có lỗi ở bất kỳ dòng nào thì "
            "không ghi gì và ghi danh sách lỗi ra tệp.")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="thư mục chứa ba tệp CSV")
        parser.add_argument("--dry-run", action="store_true", help="kiểm tra toàn bộ rồi hủy, không ghi gì")
        parser.add_argument("--errors", help="tệp CSV ghi danh sách lỗi (mặc định: <thư mục>/loi_chuyen_doi.csv)")
        parser.add_argument("--json", help="ghi kết quả (số dòng, thời gian, bộ nhớ) ra tệp JSON, cho đo hiệu năng")

    def handle(self, folder, dry_run=False, errors=None, json=None, **options):
        report = migration.run(folder, dry_run=dry_run, progress=self.stdout.write)
        self.stdout.write(report.summary())
        self.stdout.write(f"Bộ nhớ tối đa của tiến trình: {report.peak_rss_mb:,.0f} MB.")
        if json:
            Path(json).write_text(dumps({"ok": report.ok, "written": report.written, "counts": report.counts,
                                         "seconds": round(report.seconds, 2), "steps": report.steps,
                                         "peak_rss_mb": round(report.peak_rss_mb, 1),
                                         "errors": report.error_count}, ensure_ascii=False))
        if report.ok:
            return
        path = Path(errors or Path(folder) / "loi_chuyen_doi.csv")
        with open(path, "w", encoding="utf-8-sig", newline="") as f:  # the BOM makes Excel read it as UTF-8
            out = csv.writer(f)
            out.writerow(["Tệp", "Dòng", "Cột", "Giá trị", "Lỗi"])
            for e in report.errors:
                out.writerow([e["file"], e["line"] or "", e["column"], e["value"], e["message"]])
        for e in report.errors[:20]:
            where = f"{e['file']} dòng {e['line']}" if e["line"] else e["file"]
            self.stderr.write(f"  {where}: {e['column'] + ': ' if e['column'] else ''}{e['message']}")
        shown = len(report.errors)
        more = f" (ghi {shown:,} lỗi đầu tiên)" if shown < report.error_count else ""
        raise CommandError(f"Danh sách lỗi{more}: {path}")
