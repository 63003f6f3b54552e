"""The peak memory the import report and the benchmarks record is the process's own."""

import gc
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

from core.memory import cycle_collector_paused

REPO = Path(__file__).resolve().parents[2]
CHILD = "from core.memory import peak_rss_mb; print(peak_rss_mb())"


class PeakMemoryTests(SimpleTestCase):
    def test_a_program_started_by_a_large_process_does_not_report_the_parent(self):
        block = bytearray(200 * 1024 * 1024)
        block[::4096] = b"\1" * len(block[::4096])
        out = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, capture_output=True, text=True, check=True)
        self.assertLess(float(out.stdout), 150, "the child's figure holds the parent's 200 MB")


class CycleCollectorPausedTests(SimpleTestCase):
    def test_paused_inside_and_restored_after_even_on_error(self):
        self.assertTrue(gc.isenabled())
        with self.assertRaises(ValueError), cycle_collector_paused():
            self.assertFalse(gc.isenabled())
            raise ValueError
        self.assertTrue(gc.isenabled())

    def test_left_off_if_it_was_off(self):
        gc.disable()
        self.addCleanup(gc.enable)
        with cycle_collector_paused():
            pass
        self.assertFalse(gc.isenabled())
