"""bench/RESULTS.md, written from the JSON results of the last run on each database."""

import json
from pathlib import Path

from bench.analysis import analysis

FORMAT = 4  # of the JSON results; older files are left out of the report
DATABASES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
LEVEL_NAMES = {"nation": "toàn quốc (nation)", "province": "tỉnh (province)", "commune": "xã (commune)",
               "cell": "chi bộ (cell)"}
# PERFORMANCE.md, W1: (app median at most, in ms; raw/app at least). The province and commune targets
# carry no database in PERFORMANCE.md, so they are held against both.
TARGETS: dict[tuple[str, str], tuple[float, float | None]] = {
    ("postgresql", "nation"): (20, 13),
    ("postgresql", "province"): (5, None),
    ("postgresql", "commune"): (2, None),
    ("sqlite", "nation"): (50, None),
    ("sqlite", "province"): (5, None),
    ("sqlite", "commune"): (2, None),
}


def verdict(db: str, level: str, timings: dict) -> tuple[str, str]:
    """(target text, met text) of a level, on the median of the app."""
    target = TARGETS.get((db, level))
    if target is None:
        return "—", "—"
    ms, speedup = target
    app, raw = timings["app"]["median"], timings["raw"]["median"]
    text = f"≤ {ms:g} ms" + (f", ≥ {speedup:g}× raw" if speedup else "")
    met = app <= ms and (speedup is None or raw / app >= speedup)
    return text, "**met**" if met else "**not met**"


def fmt(ms: float) -> str:
    return f"{ms:,.1f}" if ms >= 10 else f"{ms:.2f}"


def section(result: dict) -> list[str]:
    db = result["database"]
    fx = result["fixture"]
    out = [
        f"## {DATABASES[db]} ({result['database_version']})",
        "",
        f"Run {result['machine']['date']}; ages as of {result['on']}. Fixture: {fx['members']:,} members, "
        f"{fx['units']:,} units (seed {fx['seed']}, generator v{fx['generator']}), loaded {fx['loaded_at']}.",
        "",
        "| level | unit (members) | app median / p95 ms | app's SQL ms | raw ms | naive ms | numpy ms | app/raw "
        "| app/naive | app/numpy | target (PERFORMANCE.md) | |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for level, t in result["timings"].items():
        unit = result["units"][level]
        app = t["app"]["median"]
        target, met = verdict(db, level, t)
        out.append(
            f"| {LEVEL_NAMES[level]} | {unit['name']} ({unit['members']:,}) | {fmt(app)} / {fmt(t['app']['p95'])} "
            f"| {fmt(t['app_sql']['median'])} | {fmt(t['raw']['median'])} | {fmt(t['naive']['median'])} | {fmt(t['numpy']['median'])} "
            f"| {app / t['raw']['median']:.2f} | {app / t['naive']['median']:.2f} "
            f"| {app / t['numpy']['median']:.0f} | {target} | {met} |"
        )
    reps = sorted({m["n"] for t in result["timings"].values() for m in t.values()})
    out += [
        "",
        f"Medians and p95 (nearest rank) over {reps[0]}–{reps[-1]} interleaved rounds after a warm-up; app/x is the "
        "app's median over x's median (below 1: the app is faster). \"app's SQL\" is the app's own query sent "
        "straight to the database (no ORM). Load average "
        f"{result['machine']['load_before']} before the run, {result['machine']['load_after']} after "
        "(the machine is shared: absolute times drift, ratios within the run hold).",
        "",
        "Load: " + "; ".join(f"`{table}` {v['rows']:,} rows in {v['seconds']:.1f} s" for table, v in
                             fx["tables"].items())
        + f"; indexes and foreign keys rebuilt in {fx['indexes_s']:.1f} s; ANALYZE {fx['analyze_s']:.1f} s; "
        f"{fx['load_s']:.1f} s in the database in all (+ {fx['generate_s']:.1f} s generating the rows in Python).",
        "",
        "Settings: " + ", ".join(f"{k} = {v}" for k, v in result["database_settings"].items()) + ".",
        "",
        "Figures of the check (identical for all four methods):",
        "",
        "| level | " + " | ".join(next(iter(result["figures"].values()))) + " |",
        "|---|" + "---|" * len(next(iter(result["figures"].values()))),
    ]
    for level, figures in result["figures"].items():
        out.append(f"| {level} | " + " | ".join(f"{v:,}" for v in figures.values()) + " |")
    out += ["", "<details><summary>Plans of the app's query</summary>", ""]
    for level, plan in result["plans"].items():
        out += [f"**{level}**", "", "```", plan, "```", ""]
    out += ["</details>", ""]
    return out


def write(data_dir: Path, path: Path) -> None:
    results = {}
    for db in DATABASES:
        f = data_dir / f"w1-{db}.json"
        result = json.loads(f.read_text()) if f.exists() else {}
        if result.get("format") == FORMAT:
            results[db] = result
    if not results:
        return
    m = next(iter(results.values()))["machine"]
    lines = [
        "# W1 results: the standard breakdown of a subtree",
        "",
        "Written by `make bench` (`python -m bench`); see bench/README.md for what each column measures. "
        "Do not edit by hand.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; {m['os']}; Python {m['python']}, "
        f"numpy {m['numpy']}.",
        "",
        "Classification (xếp loại) is part of W1 in PERFORMANCE.md but is not modeled yet: the breakdown here is "
        "total, official/probationary, gender, 5 age bands and ethnic minority.",
        "",
    ]
    for result in results.values():
        lines += section(result)
    lines += analysis(results)
    path.write_text("\n".join(lines))
