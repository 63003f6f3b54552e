"""The server and the clients of W6: gunicorn started as `make run` starts it, wrk, and an open-loop client.

`bench/w6.py` says what is measured; this module only serves and sends. Requests are plain data
(`Request`), so the same list feeds wrk (through bench/w6.lua), the open-loop client and the checks.
"""

import asyncio
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from bench.timing import percentiles

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DATA = BENCH_DIR / "data"
LUA = BENCH_DIR / "w6.lua"
CONNECTIONS = 64
WRK_THREADS = 2
SUFFIX = os.environ.get("BENCH_SUFFIX", "")  # as bench/__main__.py: runs with their own databases, their own logs

@dataclass
class Request:
    """One HTTP request; "{n}" in the body is replaced by a number that grows with every send."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def line(self) -> str:
        """The request as a line of the file bench/w6.lua reads: method, path, body, headers, tab-separated."""
        fields = [self.method, self.path, self.body, *(f"{k}: {v}" for k, v in self.headers.items())]
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"a tab or newline in {fields!r}")
        return "\t".join(fields)

    def filled(self, digits: str) -> str:
        return self.body.replace("{n}", digits)

    def raw(self, port: int) -> bytes:
        """The bytes sent on the wire (HTTP/1.1, keep-alive)."""
        body = self.filled(phone_digits(0, 0)).encode()
        head = [f"{self.method} {self.path} HTTP/1.1", f"Host: 127.0.0.1:{port}",
                *(f"{k}: {v}" for k, v in self.headers.items())]
        if body or self.method not in ("GET", "HEAD"):
            head.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def phone_digits(start: int, n: int) -> str:
    """The 8 digits after "09" of the n-th write of wrk thread `start` (bench/w6.lua computes the same)."""
    return f"{(start * 10_000_000 + n) % 100_000_000:08d}"



# --- the server --------------------------------------------------------------------------------------


def gunicorn_command(port: int) -> list[str]:
    """The gunicorn line of `make run` (Makefile) with this port, so the bench serves as `make run` does."""
    for line in (REPO / "Makefile").read_text().splitlines():
        if "bin/gunicorn " in line:
            text = line.strip().rstrip("\\").strip().rstrip(";").strip()
            text = text.replace("$(VENV)", sys.prefix).replace("$(PORT)", str(port))
            return shlex.split(text)
    raise SystemExit("W6: no gunicorn line in the Makefile")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, its access log (stdout) and error log (stderr) in files."""

    def __init__(self, db: str):
        self.port = free_port()
        self.command = gunicorn_command(self.port)
        self.db = db
        self.access_log = DATA / f"w6-{db}{SUFFIX}-access.log"
        self.error_log = DATA / f"w6-{db}{SUFFIX}-server.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with open(self.access_log, "wb") as out, open(self.error_log, "wb") as err:
            # A session of its own, so that stopping it (and only it) is one signal to its group.
            self.proc = subprocess.Popen(self.command, cwd=REPO, env=env, stdout=out, stderr=err,
                                         start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"W6: gunicorn exited ({self.proc.returncode}):\n{self.error_tail()}")
            try:
                if fetch(self.port, Request("GET", "/healthz"))[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"W6: gunicorn did not answer within 60 s:\n{self.error_tail()}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)  # gunicorn's graceful stop: workers finish their requests
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server's processes have used so far: the master and its workers."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # a process that ended meanwhile
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if self.proc.pid in (pid, ppid):
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def error_tail(self, lines: int = 30) -> str:
        return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])

    def log_mark(self) -> int:
        return self.access_log.stat().st_size

    def wait_idle(self, timeout: float = 600) -> None:
        """Until the server has answered what it still had queued: /healthz answers fast several
        times in a row. A client that stops leaves up to a request per connection in the workers'
        queues, and the next measurement must not pay for them."""
        quick, deadline = 0, time.monotonic() + timeout
        while quick < 5 and time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                fetch(self.port, Request("GET", "/healthz"))
            except OSError:  # a timeout: still busy
                quick = 0
                continue
            quick = quick + 1 if time.perf_counter() - t < 0.05 else 0
        if quick < 5:
            raise SystemExit(f"W6: the server was still busy {timeout:.0f} s after the load stopped")

    def statuses_since(self, mark: int) -> Counter:
        """Answers by status code in the access log since `mark`, once every queued request is answered."""
        self.wait_idle()
        with open(self.access_log, "rb") as f:
            f.seek(mark)
            return count_statuses(f.read().decode(errors="replace"))

    def problems(self) -> dict[str, int]:
        text = self.error_log.read_text(errors="replace")
        return {"database is locked": text.count("database is locked"),
                "tracebacks": text.count("Traceback (most recent call last)")}


ACCESS_LINE = re.compile(r'"[A-Z]+ \S+ HTTP/[\d.]+" (\d{3}) ')


def count_statuses(log: str) -> Counter:
    """{status code: requests} of gunicorn access log lines (its default format)."""
    return Counter(int(m.group(1)) for m in ACCESS_LINE.finditer(log))


def errors_of(statuses: Counter) -> int:
    return sum(n for code, n in statuses.items() if not 200 <= code < 300)


# --- HTTP -----------------------------------------------------------------------------------------


def fetch(port: int, request: Request, digits: str = "") -> tuple[int, bytes, list[str]]:
    """(status, body, Set-Cookie headers) of one request on a new connection."""
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        body = request.filled(digits)
        conn.request(request.method, request.path, body=body.encode() or None, headers=request.headers)
        response = conn.getresponse()
        return response.status, response.read(), response.headers.get_all("Set-Cookie") or []
    finally:
        conn.close()


def _cookie(set_cookies: list[str], name: str) -> str:
    for header in set_cookies:
        m = re.match(rf"{name}=([^;]*)", header)
        if m:
            return m.group(1)
    raise SystemExit(f"W6: no {name} cookie in {set_cookies}")


def log_in(port: int, username: str, password: str) -> str:
    """Log in through the login form, as a browser does; the Cookie header the pages then get."""
    status, body, cookies = fetch(port, Request("GET", "/dang-nhap/"))
    csrf = _cookie(cookies, "csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    status, _body, cookies = fetch(port, Request("POST", "/dang-nhap/", {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}, form))
    if status != 302:
        raise SystemExit(f"W6: logging in as {username} answered {status}")
    return f"sessionid={_cookie(cookies, 'sessionid')}; csrftoken={csrf}"


# --- load --------------------------------------------------------------------------------------------


def wrk(server: Server, requests: list[Request], seconds: float, connections: int = CONNECTIONS) -> dict:
    """wrk at `connections` for `seconds` over `requests` in turn: its summary, plus the answers by status."""
    spec = DATA / f"w6-{server.db}{SUFFIX}-requests.tsv"
    spec.write_text("\n".join(r.line() for r in requests) + "\n")
    mark, cpu = server.log_mark(), server.cpu_seconds()
    command = ["wrk", f"-t{min(WRK_THREADS, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
               "--timeout", "10s", "-s", str(LUA), f"http://127.0.0.1:{server.port}", "--", str(spec)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(next(line[3:] for line in out.splitlines() if line.startswith("W6 ")))
    statuses = server.statuses_since(mark)
    # What one request costs the server, whatever else the machine runs: the figure behind the ratios.
    result["server_cpu_ms"] = round((server.cpu_seconds() - cpu) * 1000 / max(1, sum(statuses.values())), 2)
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    result["statuses"] = {str(k): v for k, v in sorted(statuses.items())}
    result["errors"] = errors_of(statuses) + sum(result[k] for k in ("connect", "read", "write", "timeout"))
    return result


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, keep-alive) of one HTTP/1.1 response, its body read and dropped."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = dict((k.strip().lower(), v.strip()) for k, v in (h.split(":", 1) for h in head[1:] if ":" in h))
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        await reader.read()
        return status, False
    return status, headers.get("connection", "").lower() != "close"


class _Pool:
    """Keep-alive connections of the open-loop client. gunicorn closes a connection idle for 2 s
    (its keepalive), so one idle for more than IDLE_S is not reused: a request sent just as the
    server closes it would fail for the client's sake, not the server's."""

    IDLE_S = 1.0

    def __init__(self, port: int):
        self.port, self.idle = port, []  # (reader, writer, last used), most recent last

    async def get(self) -> tuple:
        while self.idle:
            reader, writer, used = self.idle.pop()
            if time.monotonic() - used < self.IDLE_S:
                return reader, writer
            writer.close()
        return await asyncio.open_connection("127.0.0.1", self.port)

    def put(self, reader, writer) -> None:
        self.idle.append((reader, writer, time.monotonic()))

    def close(self) -> None:
        for _reader, writer, _used in self.idle:
            writer.close()


async def _open_loop(port: int, requests: list[Request], rate: float, seconds: float) -> dict:
    """Send requests[i % len] at t0 + i/rate whatever the answers; each latency counts from its due time."""
    loop = asyncio.get_running_loop()
    raws = [r.raw(port) for r in requests]
    pool = _Pool(port)
    slots = asyncio.Semaphore(256)  # connections at most; waiting for one counts in the latency
    latencies: list[float] = []
    statuses: Counter = Counter()
    failures: Counter = Counter()

    async def one(i: int, due: float) -> None:
        async with slots:
            reader, writer = await pool.get()
            try:
                writer.write(raws[i % len(raws)])
                status, keep = await asyncio.wait_for(_read_response(reader), timeout=10)
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
                writer.close()
                failures[type(exc).__name__] += 1
                return
            latencies.append((loop.time() - due) * 1000)
            statuses[status] += 1
            pool.put(reader, writer) if keep else writer.close()

    start = loop.time() + 0.05
    tasks = []
    for i in range(int(rate * seconds)):
        due = start + i / rate
        if due > loop.time():
            await asyncio.sleep(due - loop.time())
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    elapsed = loop.time() - start
    pool.close()
    return {"rate": round(rate, 1), "achieved": round(len(latencies) / elapsed, 1), "sent": len(tasks),
            "latency_ms": percentiles(latencies), "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "failures": dict(failures), "errors": errors_of(statuses) + sum(failures.values())}


def fixed_rate(server: Server, requests: list[Request], rate: float, seconds: float) -> dict:
    mark = server.log_mark()
    result = asyncio.run(_open_loop(server.port, requests, rate, seconds))
    statuses = server.statuses_since(mark)
    result["errors"] = max(result["errors"], errors_of(statuses))
    return result
