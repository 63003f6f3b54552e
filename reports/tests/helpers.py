"""A test-only indicator set: the cell-by-cell checks compare against figures computed here by hand."""

import contextlib
import shutil
import tempfile
from unittest import mock

from django.test import override_settings

from figures import indicators
from members.models import Member

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _count(unit, user, period):
    rows = Member.objects.filter(unit__path__startswith=unit.path)
    return {"dv_tong": rows.count(), "t_khong_ghi": None}


@contextlib.contextmanager
def test_indicators():
    saved = (dict(indicators._indicators), dict(indicators._computers))
    # Only this test's computers, so the figures are exactly the ones counted here whatever figures/ registers.
    indicators._computers.clear()
    indicators.register("test", [indicators.Indicator("dv_tong", "Tổng số đảng viên", "Đảng viên", stock=True),
                                 indicators.Indicator("t_khong_ghi", "Chỉ tiêu chưa có nơi ghi", "Khác")], _count)
    try:
        yield
    finally:
        indicators._indicators.clear()
        indicators._indicators.update(saved[0])
        indicators._computers.clear()
        indicators._computers.update(saved[1])


class ReportWorld:
    """Mixin: media in a temp folder, immediate tasks, the test indicators, no LibreOffice unless asked."""

    pdf = False

    def setUp(self):
        super().setUp()
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        for cm in (override_settings(MEDIA_ROOT=media, TASKS=IMMEDIATE), test_indicators()):
            cm.__enter__()
            self.addCleanup(cm.__exit__, None, None, None)
        if not self.pdf:
            patcher = mock.patch("reports.render.soffice", return_value=None)
            patcher.start()
            self.addCleanup(patcher.stop)

    def generate(self, report, user):
        """Start the generation and run the queued task (TestCase never commits, so run the on-commit hooks)."""
        from reports import services

        with self.captureOnCommitCallbacks(execute=True):
            services.start_generation(report, by=user)
        report.refresh_from_db()
        return report
