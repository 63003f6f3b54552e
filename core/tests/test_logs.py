"""Log lines: one line for a refused request, one time zone everywhere, gunicorn's files in data/."""

import io
import logging
import os
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from core.logs import NoTracebackBelow500
from dangvu.testing import BaseTestCase

REPO = settings.BASE_DIR


def console_output(action) -> str:
    """What the project's console handler writes while `action` runs."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        action()
    finally:
        handler.setStream(old)
    return stream.getvalue()


class RefusedRequestTests(BaseTestCase):
    def test_a_refused_page_logs_one_line_without_a_traceback(self):
        self.client.force_login(self.chi)  # a cell secretary may not restructure
        out = console_output(lambda: self.assertEqual(self.client.get(reverse("orgs-restructure")).status_code, 403))
        lines = out.splitlines()
        self.assertEqual(len(lines), 1, out)
        self.assertIn("[WARNING] django.request: Forbidden (Permission denied): /to-chuc/sap-xep/", lines[0])
        self.assertNotIn("Traceback", out)


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        exc = sys.exc_info()
    for status, kept in ((403, False), (400, False), (500, True)):
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", None, exc)
        record.status_code = status
        assert NoTracebackBelow500().filter(record)
        assert (record.exc_info is not None) == kept, status


def test_log_lines_carry_the_local_time_zone():
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    line = handler.format(logging.LogRecord("x", logging.WARNING, __file__, 1, "hello", None, None))
    offset = datetime.now(ZoneInfo(settings.TIME_ZONE)).strftime("%z")  # +0700
    assert f" {offset}] [" in line and line.endswith("[WARNING] x: hello")


def test_gunicorn_logs_in_the_same_time_zone_and_keeps_its_socket_out_of_home(tmp_path):
    env = {**os.environ, "TZ": "UTC", "HOME": str(tmp_path), "DATA_DIR": str(tmp_path / "data")}
    env.pop("XDG_RUNTIME_DIR", None)
    config = subprocess.run([sys.executable, "-c", "import runpy, time; runpy.run_path('gunicorn.conf.py'); "
                             "print(time.strftime('%z'))"], cwd=REPO, env=env, capture_output=True, text=True)
    assert config.stdout.strip() == datetime.now(ZoneInfo(settings.TIME_ZONE)).strftime("%z"), config.stderr
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    printed = subprocess.run([gunicorn, "--print-config", "dangvu.wsgi"], cwd=REPO, env=env, capture_output=True,
                             text=True).stdout
    assert f"control_socket                     = {tmp_path / 'data' / 'gunicorn.ctl'}" in printed, printed
