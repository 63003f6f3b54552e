"""`python -m bench`: the workloads of PERFORMANCE.md on the generated party, on PostgreSQL and on SQLite.

Each database runs in its own process, because the settings choose the database from the
environment once, at start-up. The bench databases are PostgreSQL `dangvu_bench` and SQLite
`bench/data/bench.sqlite3`, nothing else. W3 (the national import) loads the fixture, so it runs
first; the others then read and write that fixture. Each workload's result goes to
`bench/data/<workload>-<database>.json`, and `bench/RESULTS.md` is rewritten from all of them.

`python -m bench generate --scale national|province|small --out DIR` writes the migration files only.
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from time import perf_counter

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DATA = BENCH_DIR / "data"
# BENCH_SUFFIX=_x gives a run databases of its own (dangvu_bench_x, bench_x.sqlite3), so that two people
# can run benchmarks on one machine without rebuilding each other's fixture.
SUFFIX = os.environ.get("BENCH_SUFFIX", "")
PG_NAME = f"dangvu_bench{SUFFIX}"
SQLITE_PATH = DATA / f"bench{SUFFIX}.sqlite3"
WORKLOADS = ["w3", "w1", "w2", "w2t", "w8", "w1_oversight", "w4", "w6"]  # in the order they run: w3 loads the fixture the others use
SCALES = {"national": 5_600_000, "province": 140_000, "small": 56_000}


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--scale", choices=list(SCALES), default="national",
                   help="current members: national 5.6 million (default), province 140,000, small 56,000")
    p.add_argument("--members", type=int, help="current members (overrides --scale)")
    p.add_argument("--seed", type=int, default=2026, help="seed of the generator (default 2026)")
    p.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    p.add_argument("--only", default=",".join(WORKLOADS),
                   help=f"workloads to run, comma-separated (default all: {','.join(WORKLOADS)}); without w3 a "
                        "loaded fixture of the same size is reused")
    p.add_argument("--budget", type=float, default=3.0,
                   help="seconds of timed calls per method and unit, once each has 7 (default 3)")
    p.add_argument("--quick", action="store_true", help="shorter runs of W4 and W6 (for trying the harness)")
    args = p.parse_args(argv)
    args.members = args.members or SCALES[args.scale]
    args.only = [w for w in WORKLOADS if w in args.only.split(",")]
    return args


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
    from django.core.management import call_command
    from django.db import connection

    from bench import load, machine, report

    # The pages read the static files' manifest (W1's dashboard, W6), as under `make run`.
    call_command("collectstatic", interactive=False, verbosity=0)

    print(f"{', '.join(args.only)} on {connection.vendor} ({connection.settings_dict['NAME']}), "
          f"{args.members:,} members")
    t = perf_counter()
    fixture = load.ensure_fixture(args.members, args.seed, regenerate="w3" in args.only)
    print(f"  fixture ready in {perf_counter() - t:.1f} s")
    DATA.mkdir(exist_ok=True)
    for name in args.only:
        print(f"{name.upper()}:")
        started = perf_counter()
        common = {
            "format": report.FORMAT,
            "database": connection.vendor,
            "database_version": machine.database_version(),
            "database_settings": machine.database_settings(),
            "machine": machine.describe(),
            "fixture": fixture,
        }
        result = {**common, **importlib.import_module(f"bench.{name}").run(args, fixture)}
        result["machine"]["load_after"] = machine.load_average()
        result["seconds"] = round(perf_counter() - started, 1)
        (DATA / f"{name}-{connection.vendor}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
        report.write(DATA, BENCH_DIR / "RESULTS.md")
        print(f"  {name} done in {result['seconds']:.0f} s")
    print(f"  all done in {perf_counter() - t:.0f} s; results in bench/RESULTS.md")


def _without_db(argv: list[str]) -> list[str]:
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--db":
            skip = True
        elif not a.startswith("--db="):
            out.append(a)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["generate"]:  # python -m bench generate --scale national --out DIR
        configure("sqlite")
        import django

        django.setup()
        from bench import files

        files.main(argv[1:])
        return 0
    args = parse(argv)
    if args.db != "both":
        run_one(args)
        return 0
    start = perf_counter()
    for db in ("postgres", "sqlite"):
        command = [sys.executable, "-m", "bench", *_without_db(argv), "--db", db]
        code = subprocess.call(command, cwd=REPO)
        if code:
            return code
    print(f"both databases in {perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
