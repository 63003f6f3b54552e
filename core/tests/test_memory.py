"""The peak memory the import report and the benchmarks record is the process's own."""

import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

REPO = Path(__file__).resolve().parents[2]
CHILD = "from core.memory import peak_rss_mb; print(peak_rss_mb())"


class PeakMemoryTests(SimpleTestCase):
    def test_a_program_started_by_a_large_process_does_not_report_the_parent(self):
        block = bytearray(200 * 1024 * 1024)
        block[::4096] = b"\1" * len(block[::4096])
        out = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, capture_output=True, text=True, check=True)
        self.assertLess(float(out.stdout), 150, "the child's figure holds the parent's 200 MB")
