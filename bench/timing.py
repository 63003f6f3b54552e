"""What every workload does with its timings: percentiles by nearest rank, and the exception that
rolls a measured transaction back (a reference run, a trial import) so the fixture stays as it was."""

import math
import statistics


class Rollback(Exception):
    """Raised inside `transaction.atomic()` to undo what was measured."""


def summarize(samples: list[float]) -> dict:
    """Median, p95 (nearest rank) and count of a list of durations, in their own unit."""
    ordered = sorted(samples)
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]
    return {"median": round(statistics.median(ordered), 3), "p95": round(p95, 3), "n": len(ordered)}


def summarize_calls(seconds: list[float]) -> dict:
    """Rate and latency (ms) of a list of per-call durations given in seconds."""
    ms = sorted(s * 1000 for s in seconds)
    return {"n": len(ms), "rate": round(len(ms) / (sum(ms) / 1000), 1) if ms else 0,
            **(summarize(ms) if ms else {}), "max": round(ms[-1], 3) if ms else 0}


def percentiles(ms: list[float]) -> dict[str, float]:
    """p50/p90/p95/p99/max by nearest rank."""
    if not ms:
        return {}  # nothing answered: the errors say why
    ordered = sorted(ms)

    def rank(p: float) -> float:
        return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 2)

    return {"50": rank(50), "90": rank(90), "95": rank(95), "99": rank(99), "max": round(ordered[-1], 2)}
