"""`make run` stops cleanly: Ctrl+C (SIGINT to the terminal's process group) or a TERM to make ends
gunicorn and the worker gracefully, each with one signal, and nothing crashes or stays behind.

The recipe runs with stand-ins for Python and gunicorn that stop on INT or TERM like the real ones
(each installs its own handlers) and write down what they received."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from django.conf import settings

STANDIN = textwrap.dedent("""\
    #!{python}
    import os, signal, sys, time
    name = "worker" if "db_worker" in sys.argv else "server" if sys.argv[0].endswith("gunicorn") else None
    if name is None:
        sys.exit(0)  # migrate, collectstatic, load_demo
    log = os.path.join(os.environ["STANDIN_DIR"], name)
    got = []
    def stop(signum, frame):
        got.append(signal.Signals(signum).name)
        with open(log, "a") as f:
            f.write(" ".join(got) + "\\n")
        if len(got) == 1:
            time.sleep(0.3)  # a graceful stop takes a moment; a second signal would force it
            sys.exit(0)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    open(log + ".ready", "w").close()
    while True:
        time.sleep(0.1)
""")


@pytest.fixture
def make_run(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / ".installed").touch()
    for path in (tmp_path / "python", venv / "bin" / "gunicorn"):
        path.write_text(STANDIN.format(python=sys.executable))
        path.chmod(0o755)
    env = {**os.environ, "STANDIN_DIR": str(tmp_path)}
    proc = subprocess.Popen(["make", "-s", "-o", f"{venv}/.installed", "run", f"PY={tmp_path / 'python'}",
                             f"VENV={venv}", "PORT=1"], cwd=settings.BASE_DIR, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 20
    while not all((tmp_path / f"{n}.ready").exists() for n in ("server", "worker")):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()[0]
        time.sleep(0.05)
    yield proc, tmp_path
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)


def stopped(proc, tmp_path) -> tuple[str, str, str]:
    output = proc.communicate(timeout=15)[0]
    return output, (tmp_path / "server").read_text().strip(), (tmp_path / "worker").read_text().strip()


def test_ctrl_c_stops_both_once_and_quietly(make_run):
    proc, tmp_path = make_run
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl+C
    output, server, worker = stopped(proc, tmp_path)
    assert (server, worker) == ("SIGINT", "SIGINT")  # one signal each: the worker finishes its task
    assert "Segmentation" not in output and "***" not in output, output


def test_a_term_to_make_stops_both_gracefully(make_run):
    proc, tmp_path = make_run
    proc.send_signal(signal.SIGTERM)  # to make alone, as a process manager would
    output, server, worker = stopped(proc, tmp_path)
    assert (server, worker) == ("SIGTERM", "SIGINT")  # gunicorn's and the worker's graceful stops
    assert "Segmentation" not in output, output
