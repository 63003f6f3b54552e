"""What the figures were measured on: the machine, the database and its settings."""

import os
import platform
import sqlite3
from datetime import datetime
from pathlib import Path

import numpy as np
from django.db import connection

PG_SETTINGS = ["shared_buffers", "effective_cache_size", "work_mem", "max_parallel_workers_per_gather", "jit",
               "random_page_cost"]


def describe() -> dict:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gib = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_before": load_average(),
    }


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1/5/15 min)"


def database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SHOW server_version")
            return "PostgreSQL " + c.fetchone()[0].split()[0]
    return "SQLite " + sqlite3.sqlite_version


def database_settings() -> dict:
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            out = {}
            for name in PG_SETTINGS:
                c.execute(f"SHOW {name}")
                out[name] = c.fetchone()[0]
            c.execute("SELECT pg_size_pretty(pg_table_size('members_member')),"
                      " pg_size_pretty(pg_indexes_size('members_member'))")
            out["members_member table"], out["members_member indexes"] = c.fetchone()
            return out
        out = {}
        for name in ("page_size", "cache_size", "journal_mode", "synchronous", "mmap_size"):
            c.execute(f"PRAGMA {name}")
            out[name] = c.fetchone()[0]
        c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        out["statistics (ANALYZE)"] = "yes" if c.fetchone()[0] else "no"
        out["file size"] = f"{Path(connection.settings_dict['NAME']).stat().st_size / 2**20:.0f} MiB"
        return out
