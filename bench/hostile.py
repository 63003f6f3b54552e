"""Hostile imports: how long the import's reading takes on each file of members.tests.hostile, and how
much memory, each file in a fresh process (bench/README.md, "Hostile imports").

    .venv/bin/python -m bench.hostile make DIR     # write the corpus to DIR
    .venv/bin/python -m bench.hostile read FILE    # read FILE as the import's worker does; print what it says
    /usr/bin/time -v .venv/bin/python -m bench.hostile read FILE   # the same, with the peak resident size

`read` runs the reading step of `members.importer.validate` (the part a hostile file attacks: every
check after it works on rows already read), then the error report the page would offer.
"""

import os
import sys
import time
from pathlib import Path


def make(out: Path) -> None:
    from members.tests import hostile

    out.mkdir(parents=True, exist_ok=True)
    files = {
        "zip-bomb.xlsx": lambda: hostile.zip_bomb(),
        "shared-strings.xlsx": lambda: hostile.huge_shared_strings(5_000_000),
        "columns.xlsx": lambda: hostile.many_columns(16_384),
        "nested.xlsx": lambda: hostile.deeply_nested(5_000_000),
        "nested-styles.xlsx": lambda: hostile.deeply_nested(1_000_000, "xl/styles.xml"),
        "long-line.csv": lambda: hostile.csv_long_line(),
        "short-lines.csv": lambda: hostile.csv_short_lines(500_000),
    }
    for name, build in files.items():
        (out / name).write_bytes(build())
        print(f"{name}: {(out / name).stat().st_size:,} bytes")


def read(path: Path) -> None:
    from core.memory import peak_rss_mb
    from members.csvsheet import looks_like_text, read_csv
    from members.exporter import error_report_xlsx
    from members.models import ImportJob
    from members.sheetreader import read_sheet

    started = time.monotonic()
    with open(path, "rb") as f:
        sheet = read_csv(f) if looks_like_text(f) else read_sheet(f)
    took = time.monotonic() - started
    print(f"{path.name}: {len(sheet.rows):,} rows kept, {sheet.errors.total:,} errors, {took:.2f} s, "
          f"peak {peak_rss_mb():.0f} MB")
    for e in sheet.errors[:1]:
        print("  ", e["message"])
    job = ImportJob(errors=list(sheet.errors), errors_left_out=sheet.errors.left_out)  # unsaved: no database
    started = time.monotonic()
    report = error_report_xlsx(job)
    print(f"  error report: {len(report):,} bytes, {time.monotonic() - started:.2f} s, peak {peak_rss_mb():.0f} MB")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    command, target = sys.argv[1], Path(sys.argv[2])
    make(target) if command == "make" else read(target)


if __name__ == "__main__":
    main()
