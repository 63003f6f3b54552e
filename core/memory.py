"""The peak resident memory of this process, for the import report and the benchmarks."""

import resource


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
