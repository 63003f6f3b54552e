"""`python -m bench`: W1 of PERFORMANCE.md on a generated tree, on PostgreSQL and on SQLite.

Each database runs in its own process, because the settings choose the database from the
environment once, at start-up. The bench databases are PostgreSQL `dangvu_bench` and SQLite
`bench/data/bench.sqlite3`, nothing else; results go to `bench/data/w1-<database>.json`, and
`bench/RESULTS.md` is rewritten from them after each run.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from time import perf_counter

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DATA = BENCH_DIR / "data"
PG_NAME = "dangvu_bench"
SQLITE_PATH = DATA / "bench.sqlite3"


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--members", type=int, default=1_000_000, help="members in the fixture (default 1,000,000)")
    p.add_argument("--seed", type=int, default=2026, help="seed of the generator (default 2026)")
    p.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    p.add_argument("--budget", type=float, default=3.0,
                   help="seconds of timed calls per method and unit, once each has 7 (default 3)")
    p.add_argument("--regenerate", action="store_true", help="rebuild the fixture even if it is loaded")
    return p.parse_args(argv)


def configure(db: str) -> None:
    """Point the app's settings at the bench database, before Django starts."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "dangvu.settings"
    os.environ["DATA_DIR"] = str(DATA)  # the bench's own secret key, away from the app's data/
    os.environ["DEBUG"] = "0"
    if db == "postgres":
        os.environ["DB"], os.environ["DB_NAME"] = "postgres", PG_NAME
    else:
        os.environ["DB"], os.environ["DB_NAME"] = "sqlite", str(SQLITE_PATH)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))


def run_one(args: argparse.Namespace) -> None:
    configure(args.db)
    import django

    django.setup()
    from django.db import connection

    from bench import load, machine, report, w1

    print(f"W1 on {connection.vendor} ({connection.settings_dict['NAME']}), {args.members:,} members")
    t = perf_counter()
    fixture = load.ensure_fixture(args.members, args.seed, regenerate=args.regenerate)
    print(f"  fixture ready in {perf_counter() - t:.1f} s")
    result = {
        "format": report.FORMAT,
        "database": connection.vendor,
        "database_version": machine.database_version(),
        "database_settings": machine.database_settings(),
        "machine": machine.describe(),
        "fixture": fixture,
        **w1.run(args.budget),
    }
    result["machine"]["load_after"] = machine.load_average()
    DATA.mkdir(exist_ok=True)
    (DATA / f"w1-{connection.vendor}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    report.write(DATA, BENCH_DIR / "RESULTS.md")
    print(f"  done in {perf_counter() - t:.0f} s; results in bench/RESULTS.md")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.db != "both":
        run_one(args)
        return 0
    start = perf_counter()
    for db in ("postgres", "sqlite"):
        command = [sys.executable, "-m", "bench", "--db", db, "--members", str(args.members), "--seed",
                   str(args.seed), "--budget", str(args.budget)] + (["--regenerate"] if args.regenerate else [])
        code = subprocess.call(command, cwd=REPO)
        if code:
            return code
    print(f"W1 on both databases in {perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
