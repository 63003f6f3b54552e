"""bench/RESULTS.md, written from the JSON results of the last run of each workload on each database.

Each workload module (`bench/w1.py` …) renders its own section with `render({database: result})`.
"""

import importlib
import json
from pathlib import Path

FORMAT = 5  # of the JSON results; older files are left out of the report
DATABASES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
ORDER = ["w1", "w2", "w2t", "w3", "w4", "w6", "w8", "w1_oversight"]


def fmt(ms: float) -> str:
    return f"{ms:,.1f}" if ms >= 10 else f"{ms:.2f}"


def met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def load_results(data_dir: Path, workload: str) -> dict[str, dict]:
    out = {}
    for db in DATABASES:
        f = data_dir / f"{workload}-{db}.json"
        result = json.loads(f.read_text()) if f.exists() else {}
        if result.get("format") == FORMAT:
            out[db] = result
    return out


def write(data_dir: Path, path: Path) -> None:
    sections, machines = [], []
    for name in ORDER:
        results = load_results(data_dir, name)
        if results:
            sections += importlib.import_module(f"bench.{name}").render(results)
            machines += [r["machine"] for r in results.values()]
    if not sections:
        return
    m = machines[0]
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench`); see bench/README.md for what each workload measures. "
        "Do not edit by hand. Every figure stands beside a reference measured in the same run on the same data "
        "(PERFORMANCE.md): the machine is shared, so absolute times drift while ratios within a run hold.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; {m['os']}; Python {m['python']}.",
        "",
        *sections,
    ]
    path.write_text("\n".join(lines) + "\n")


def fixture_line(result: dict) -> str:
    fx = result["fixture"]
    imp = fx.get("import", {}).get("counts", {})
    return (f"Fixture: {imp.get('đảng viên', 0):,} members (current and former) in {fx.get('units', 0):,} units, "
            f"{fx['members']:,} of them current (seed {fx['seed']}, generator v{fx['generator']}).")
