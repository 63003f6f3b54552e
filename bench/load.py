"""The bench databases and their fixture: the generated party loaded by the app's own national migration.

`bench.files` writes the three CSV files once per (N, seed, generator version) into bench/data/; the
database is rebuilt by the app's migrations and filled by `manage.py import_national`, run as its own
process so its time and peak memory are the app's alone (that run is W3). A marker row
(`bench_fixture`) records what was loaded; a later run with the same N, seed and generator version reuses
the database instead of loading it again, migrating it forward first when migrations were added since.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from time import perf_counter

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from bench import files, generate

MARKER_TABLE = "bench_fixture"
BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DATA = BENCH_DIR / "data"


def wanted(members: int, seed: int) -> dict:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes())
    return {"generator": generate.VERSION, "members": members, "seed": seed, "migrations": leaves}


def files_for(members: int, seed: int) -> Path:
    """The migration files of this fixture, written once and kept (they are the same for both databases)."""
    folder = DATA / f"files-{members}-{seed}-v{generate.VERSION}"
    done = folder / "written.json"
    if not done.exists():
        print(f"  writing the migration files into {folder} …")
        stats = files.write_files(folder, members, seed)
        done.write_text(json.dumps(stats))
        print(f"  {stats['units']:,} units, {stats['members']:,} members, {stats['events']:,} events in "
              f"{stats['seconds']} s")
    return folder


def ensure_fixture(members: int, seed: int, regenerate: bool = False) -> dict:
    """The marker of the loaded fixture; loads the database first unless it already holds it."""
    want = wanted(members, seed)
    _create_database_if_missing()
    found = _read_marker()
    same_data = found and all(found.get(k) == want[k] for k in ("generator", "members", "seed"))
    if same_data and not regenerate:
        if found.get("migrations") != want["migrations"]:
            # Newer migrations add tables and columns; the generated rows stay what they were, so the
            # database is migrated forward instead of loaded again (a national load is ~45 minutes).
            print("  fixture loaded under older migrations: migrating it forward")
            call_command("migrate", interactive=False, verbosity=0)
            found = {**found, "migrations": want["migrations"]}
            _write_marker(found)
            connection.close()
        print(f"  fixture already loaded ({members:,} members, seed {seed}): reused")
        return found
    folder = files_for(members, seed)
    _reset_database()
    call_command("migrate", interactive=False, verbosity=0)
    connection.close()
    marker = {**want, **import_files(folder), "files": str(folder.relative_to(REPO))}
    _write_marker(marker)
    connection.close()  # the benchmark starts on a fresh connection with the app's own settings
    return marker


def import_files(folder: Path) -> dict:
    """Run `manage.py import_national` on `folder` in its own process: wall time, its report, peak RSS
    (the process's own, from its report: the children's ru_maxrss would include this process's)."""
    report = DATA / "import-report.json"
    report.unlink(missing_ok=True)
    t = perf_counter()
    code = subprocess.call([sys.executable, "manage.py", "import_national", str(folder), "--json", str(report)],
                           cwd=REPO, env=os.environ.copy())
    wall = perf_counter() - t
    if code:
        raise SystemExit(f"the national import failed (exit {code}); see the errors above")
    result = json.loads(report.read_text())
    return {"import_wall_s": round(wall, 2), "import": result,
            "import_peak_rss_mb": round(result["peak_rss_mb"], 1),
            "units": result["counts"]["tổ chức"]}


# --- database lifecycle --------------------------------------------------------------------------


def _db_name() -> str:
    name = str(settings.DATABASES["default"]["NAME"])
    # The fixture replaces the whole database: never point it at anything but a bench database.
    if "bench" not in Path(name).name:
        raise SystemExit(f"refusing to rebuild database {name!r}: its name must contain 'bench'")
    return name


def admin_connection() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname="postgres", autocommit=True
    )


def _create_database_if_missing() -> None:
    name = _db_name()
    if connection.vendor != "postgresql":
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        return
    with admin_connection() as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def _reset_database() -> None:
    name = _db_name()
    connection.close()
    if connection.vendor == "postgresql":
        with admin_connection() as admin:
            ident = psycopg.sql.Identifier(name)
            admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(ident))
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


def _read_marker() -> dict | None:
    try:
        with connection.cursor() as c:
            c.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = %s", ["fixture"])
            row = c.fetchone()
    except DatabaseError:  # no marker table yet: a fresh database
        return None
    return json.loads(row[0]) if row else None


def _write_marker(marker: dict) -> None:
    with transaction.atomic(), connection.cursor() as c:
        c.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key varchar(40) PRIMARY KEY, value text NOT NULL)")
        c.execute(f"DELETE FROM {MARKER_TABLE} WHERE key = %s", ["fixture"])
        c.execute(f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s)", ["fixture", json.dumps(marker)])
