"""Memory of bulk work: the process's peak resident size (import report, benchmarks) and a pause of the
cycle collector for loads that make millions of objects."""

import gc
import resource
from collections.abc import Iterator
from contextlib import contextmanager


def peak_rss_mb() -> float:
    """Peak resident set of this process since it started its program, in MB.

    Linux's `VmHWM` belongs to the program's own address space. `getrusage().ru_maxrss` also keeps the
    peak from before exec: a process forked from a 1 GB parent reports 1 GB before doing anything.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere (kB on Linux, bytes on macOS)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a bulk load makes millions of tuples.

    Every few thousand new objects the collector walks the young ones, and now and then all of them:
    with the whole tree and the parsers' caches alive, that was a fifth of the national import's time.
    The rows made there hold no reference cycles, so reference counting frees them all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
