"""Benchmarks of PERFORMANCE.md (`make bench`): W1 on a generated tree of 1 million members."""
