"""W6 of PERFORMANCE.md: the pages under load, over HTTP, served exactly as `make run` serves them.

The workload starts the gunicorn line of the Makefile (same workers and threads, DEBUG off,
WhiteNoise) on a free loopback port against the bench database, and stops it afterwards, also on
failure. Two officers log in through the login form (session cookie) and get API tokens
(`ApiToken.issue`): the officer of the median commune, the typical user, and the officer of the
median province. Endpoints, each a short list of URLs that wrk rotates through (bench/w6.lua):

- hello: `GET /healthz`, a bare Django view on the same stack: the reference;
- the node summary API (`/api/v1/orgs/{id}`), the tree page with its top node opened (the htmx
  fragment), the unit page, for the commune and for the province;
- the member list page (30 rows): the commune's with a filter (gender, name, ages, a cell, ethnic
  minority), the province's unfiltered, first pages.

Every URL is first fetched once and checked: 200 and the figures the app computes in-process (the
roll-up, the list's count, the first name of the page). Then, per endpoint:

- saturation: wrk at 64 connections for a fixed time; requests/s, and hello measured before and
  after all pages (the ratio is taken against the faster of the two);
- latency at half of that rate: Debian's wrk has no fixed-rate mode (wrk2's `-R`), so a small
  open-loop client (asyncio, keep-alive connections) sends requests on a fixed schedule and
  measures each from the moment it was due, not from when it could be sent, so a stalled server
  shows in the percentiles instead of slowing the client down (no coordinated omission);
- the soak: every page endpoint in turn with one write in ten (the commune officer's
  `PATCH /api/v1/members/{id}` of a phone number, a new number each time) under wrk at 64
  connections for 10 minutes (`--quick`: 30 s); its throughput is the SQLite ≥ 200 req/s figure.

Errors are wrk's socket errors plus every answer other than 2xx, counted from the server's own
access log; the server's error log is searched for "database is locked" and tracebacks.
"""

import asyncio
import html
import json
import math
import os
import re
import secrets
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

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from access.models import ApiToken, Grant
from access.rules import Role
from audit.models import AuditEntry
from core.text import vn_number
from core.tree import subtree_q
from members import tally
from members.filters import MemberFilterForm
from members.models import Member
from members.stats import breakdown
from orgs.models import Kind, OrgUnit

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DATA = BENCH_DIR / "data"
LUA = BENCH_DIR / "w6.lua"
CONNECTIONS = 64
WRK_THREADS = 2
PAGE_SIZE = 30
WRITE_EVERY = 10  # the soak's mix: one write in ten requests
SUFFIX = os.environ.get("BENCH_SUFFIX", "")  # as bench/__main__.py: runs with their own databases, their own logs
# PERFORMANCE.md, W6
MIN_RATIO, P95_MS, P99_MS, SOAK_S, SQLITE_MIX_RPS = 0.5, 25, 100, 600, 200


@dataclass
class Durations:
    warm: float
    saturation: float
    latency: float
    soak: float

    @classmethod
    def of(cls, quick: bool) -> "Durations":
        return cls(1, 3, 5, 30) if quick else cls(2, 10, 20, SOAK_S)


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


@dataclass
class Endpoint:
    name: str
    label: str
    requests: list[Request]
    checks: list  # per request: a function(status, body) -> None raising on a wrong answer


# --- the people, the units, what the pages must show -------------------------------------------------


def median_unit(kind: str) -> tuple[OrgUnit, int]:
    """The open unit of `kind` of median size (members of its whole subtree), from the tallies."""
    units = {u.pk: u for u in OrgUnit.objects.filter(kind=kind, valid_to__isnull=True)}
    tally.ensure_current()
    counts = tally.counters_of(list(units))
    ranked = sorted((counts.get(pk, {}).get("total", 0), pk) for pk in units)
    n, pk = ranked[len(ranked) // 2]
    return units[pk], n


def officer(username: str, unit: OrgUnit) -> tuple:
    """An organization officer (role tổ chức) over `unit`, with a fresh random password."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.save()
    Grant.objects.filter(user=user).delete()
    Grant.objects.create(user=user, unit=unit, role=Role.ORGANIZATION)
    return user, password


def fresh(user):
    """The user as a request loads it: no grants cached from an earlier call."""
    return get_user_model().objects.get(pk=user.pk)


def list_expectation(user, params: dict) -> tuple[int, str]:
    """(count, first name on the page) of the member list with these parameters, computed in-process."""
    form = MemberFilterForm(params, user=fresh(user))
    if not form.is_valid():
        raise SystemExit(f"W6: the list filters {params} are not valid: {form.errors}")
    rows = form.apply()
    page = int(params.get("trang", 1))
    first = rows[(page - 1) * PAGE_SIZE : (page - 1) * PAGE_SIZE + 1]
    return rows.count(), first[0].full_name if first else ""


def expect_texts(*texts: str):
    def check(status: int, body: bytes) -> None:
        text = body.decode()
        missing = [t for t in texts if t not in text]
        if status != 200 or missing:
            raise AssertionError(f"status {status}, missing {missing}")
    return check


def expect_json(**wanted):
    def check(status: int, body: bytes) -> None:
        data = json.loads(body) if status == 200 else {}
        got = {k: _dig(data, k) for k in wanted}
        if status != 200 or got != wanted:
            raise AssertionError(f"status {status}, got {got}, wanted {wanted}")
    return check


def _dig(data: dict, dotted: str):
    for part in dotted.split("__"):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def expect_count(n: int):
    def check(status: int, body: bytes) -> None:
        found = body.decode().count('<li class="node')
        if status != 200 or found != n:
            raise AssertionError(f"status {status}, {found} nodes, wanted {n}")
    return check


def page_endpoints(unit: OrgUnit, level: str, user, cookie: str, token: str) -> list[Endpoint]:
    """The node summary API, the tree page with its top opened, and the unit page of `unit`."""
    b = breakdown(unit, fresh(user))
    total = f"<strong>{vn_number(b.total)}</strong>"
    name = html.escape(unit.name)
    page = {"Cookie": cookie}
    fragment = {"Cookie": cookie, "HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/to-chuc/"}
    children = OrgUnit.objects.visible_to(fresh(user)).open().filter(parent=unit).count()
    api = Request("GET", f"/api/v1/orgs/{unit.pk}", {"Authorization": f"Bearer {token}"})
    return [
        Endpoint(f"api-{level}", f"node summary API, {level}", [api],
                 [expect_json(id=unit.pk, name=unit.name, members__total=b.total, breakdown__male=b.male)]),
        Endpoint(f"tree-{level}", f"tree page + its top node opened, {level}",
                 [Request("GET", "/to-chuc/", page), Request("GET", f"/to-chuc/{unit.pk}/con/", fragment)],
                 [expect_texts(name, total), expect_count(children)]),
        Endpoint(f"unit-{level}", f"unit page, {level}", [Request("GET", f"/to-chuc/{unit.pk}/", page)],
                 [expect_texts(name, f"<dd>{vn_number(b.total)}</dd>", f"<dd>{vn_number(b.female)}</dd>")]),
    ]


def list_endpoint(name: str, label: str, user, cookie: str, queries: list[dict]) -> Endpoint:
    requests, checks = [], []
    for params in queries:
        count, first = list_expectation(user, params)
        path = "/dang-vien/" + (f"?{urlencode(params)}" if params else "")
        requests.append(Request("GET", path, {"Cookie": cookie}))
        checks.append(expect_texts(f"<strong>{vn_number(count)}</strong> đảng viên", html.escape(first)))
    return Endpoint(name, label, requests, checks)


@dataclass
class World:
    commune: OrgUnit
    commune_members: int
    province: OrgUnit
    province_members: int
    xa: object
    xa_password: str
    tinh: object
    tinh_password: str
    writable: list[int]  # members of the commune the soak edits


def build_world() -> World:
    commune, n_commune = median_unit(Kind.COMMUNE)
    province, n_province = median_unit(Kind.PROVINCE)
    xa, xa_password = officer("bench-w6-xa", commune)
    tinh, tinh_password = officer("bench-w6-tinh", province)
    writable = list(Member.objects.active().filter(subtree_q("org_path", commune.path))
                    .order_by("id").values_list("id", flat=True)[:50])
    return World(commune, n_commune, province, n_province, xa, xa_password, tinh, tinh_password, writable)


def endpoints_for(world: World, sessions: dict[str, str], tokens: dict[str, str]) -> list[Endpoint]:
    """Every endpoint with its URLs and what each must answer (computed now, in-process)."""
    cell = (OrgUnit.objects.filter(parent=world.commune, valid_to__isnull=True).order_by("path").first()
            or world.commune)
    commune_lists = [{"gender": "nu"}, {"q": "nguyen"}, {"age_min": 30, "age_max": 45}, {"unit": cell.pk},
                     {"ethnicity": "thieu_so"}, {"gender": "nam", "sort": "chi_bo"}]
    province_lists = [{}, {"trang": 2}, {"trang": 3}]
    return [
        Endpoint("hello", "hello (`/healthz`, the reference)", [Request("GET", "/healthz")],
                 [lambda status, body: None if (status, body) == (200, b"ok") else _fail(status, body)]),
        *page_endpoints(world.commune, "commune", world.xa, sessions["xa"], tokens["xa"]),
        *page_endpoints(world.province, "province", world.tinh, sessions["tinh"], tokens["tinh"]),
        list_endpoint("list-commune", "member list, commune, with a filter", world.xa, sessions["xa"], commune_lists),
        list_endpoint("list-province", "member list, province, first pages", world.tinh, sessions["tinh"],
                      province_lists),
    ]


def _fail(status: int, body: bytes):
    raise AssertionError(f"status {status}, body {body[:80]!r}")


def write_request(member_id: int, token: str) -> Request:
    return Request("PATCH", f"/api/v1/members/{member_id}",
                   {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                   '{"phone": "09{n}"}')


def mix(endpoints: list[Endpoint], writes: list[Request]) -> list[Request]:
    """The soak's rotation: the page endpoints in turn (each cycling through its URLs), one write
    after every WRITE_EVERY - 1 reads, until every URL and every write has come at least once."""
    pages = [e for e in endpoints if e.name != "hello"]
    longest = max(len(e.requests) for e in pages)
    reads = [e.requests[i % len(e.requests)] for i in range(longest) for e in pages]
    rounds = max(math.ceil(len(reads) / (WRITE_EVERY - 1)), len(writes))
    out = []
    for r in range(rounds):
        out += [reads[(r * (WRITE_EVERY - 1) + k) % len(reads)] for k in range(WRITE_EVERY - 1)]
        out.append(writes[r % len(writes)])
    return out


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


def check(port: int, endpoints: list[Endpoint]) -> None:
    """Every URL once: the right answer before anything is timed."""
    for e in endpoints:
        for request, ok in zip(e.requests, e.checks, strict=True):
            status, body, _ = fetch(port, request)
            try:
                ok(status, body)
            except AssertionError as exc:
                raise SystemExit(f"W6: {e.name} {request.method} {request.path}: {exc}") from None
        print(f"  {e.name:14} {len(e.requests)} URL(s) answer what the app computes in-process")


def check_write(port: int, request: Request, member_id: int) -> None:
    digits = phone_digits(WRK_THREADS + 1, 1)  # a number no wrk thread sends
    status, body, _ = fetch(port, request, digits)
    phone = "09" + digits
    if status != 200 or json.loads(body).get("phone") != phone:
        raise SystemExit(f"W6: the write {request.path} answered {status}: {body[:200]!r}")
    if Member.objects.get(pk=member_id).phone != phone:
        raise SystemExit(f"W6: the write {request.path} answered 200 but the phone was not stored")
    print("  write          PATCH /api/v1/members/{id} stores the new phone")


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


def percentiles(ms: list[float]) -> dict[str, float]:
    """p50/p90/p95/p99/max by nearest rank."""
    if not ms:
        return {}  # nothing answered: the errors say why
    ordered = sorted(ms)

    def rank(p: float) -> float:
        return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 2)

    return {"50": rank(50), "90": rank(90), "95": rank(95), "99": rank(99), "max": round(ordered[-1], 2)}


def saturate(server: Server, e: Endpoint, d: Durations) -> dict:
    wrk(server, e.requests, d.warm)  # warm-up: every worker thread connected, templates compiled
    result = wrk(server, e.requests, d.saturation)
    print(f"  {e.name:14} saturation {result['rps']:8,.0f} req/s at {CONNECTIONS} connections, "
          f"{result['server_cpu_ms']:.1f} ms of server CPU each, {result['errors']} errors")
    return result


def half_rate(server: Server, e: Endpoint, saturation: dict, d: Durations) -> dict:
    result = fixed_rate(server, e.requests, saturation["rps"] / 2, d.latency)
    p = result["latency_ms"] or dict.fromkeys(("50", "95", "99", "max"), math.nan)
    print(f"  {e.name:14} at {result['rate']:,.0f} req/s (achieved {result['achieved']:,.0f}): "
          f"p50 {p['50']:.1f}  p95 {p['95']:.1f}  p99 {p['99']:.1f}  max {p['max']:.1f} ms, {result['errors']} errors")
    return result


def reads_alone(rotation: list[Request], endpoints: list[Endpoint], saturation: dict[str, dict]) -> float:
    """The rate the soak's reads would reach if its writes cost nothing: each read takes the time its
    endpoint took at saturation. Beside the soak's own rate, it tells what the writes cost."""
    owner = {id(r): e.name for e in endpoints for r in e.requests}
    reads = [owner[id(r)] for r in rotation if id(r) in owner]
    return len(reads) / sum(1 / saturation[name]["rps"] for name in reads)


def soak(server: Server, endpoints: list[Endpoint], writes: list[Request], seconds: float,
         saturation: dict[str, dict]) -> dict:
    audit_before = AuditEntry.objects.filter(action="members.member.updated").count()
    rotation = mix(endpoints, writes)
    result = wrk(server, rotation, seconds)
    result["reads_alone_rps"] = round(reads_alone(rotation, endpoints, saturation), 1)
    result["writes"] = sum(r.method == "PATCH" for r in rotation) / len(rotation)
    result["reads_rps"] = round(result["rps"] * (1 - result["writes"]), 1)
    connection.close()
    result["audit_entries"] = AuditEntry.objects.filter(action="members.member.updated").count() - audit_before
    connection.close()
    print(f"  soak           {result['seconds']:.0f} s: {result['rps']:,.0f} req/s, of them reads "
          f"{result['reads_rps']:,.0f} (alone they would reach {result['reads_alone_rps']:,.0f}), {result['errors']} errors, {result['audit_entries']:,} member edits written")
    return result


def run(args, fixture: dict) -> dict:
    d = Durations.of(args.quick)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `make run` does: WhiteNoise serves them
    world = build_world()
    print(f"  commune {world.commune.name} ({world.commune_members:,} members), "
          f"province {world.province.name} ({world.province_members:,})")
    db = connection.vendor
    connection.close()
    with Server(db) as server:
        print(f"  serving: {' '.join(server.command[1:])}")
        sessions = {"xa": log_in(server.port, world.xa.username, world.xa_password),
                    "tinh": log_in(server.port, world.tinh.username, world.tinh_password)}
        tokens = {"xa": ApiToken.issue(world.xa), "tinh": ApiToken.issue(world.tinh)}
        endpoints = endpoints_for(world, sessions, tokens)
        writes = [write_request(pk, tokens["xa"]) for pk in world.writable]
        connection.close()
        check(server.port, endpoints)
        check_write(server.port, writes[0], world.writable[0])
        connection.close()
        hello = endpoints[0]
        saturation = {e.name: saturate(server, e, d) for e in endpoints}
        hello_after = saturate(server, hello, d)
        latency = {e.name: half_rate(server, e, saturation[e.name], d) for e in endpoints}
        soaked = soak(server, endpoints, writes, d.soak, saturation)
        problems = server.problems()
        command = server.command
    print(f"  server log: {problems}")
    return {
        "command": " ".join(Path(command[0]).name if i == 0 else a for i, a in enumerate(command)),
        "durations": d.__dict__,
        "connections": CONNECTIONS,
        "units": {"commune": {"name": world.commune.name, "members": world.commune_members},
                  "province": {"name": world.province.name, "members": world.province_members}},
        "endpoints": {e.name: {"label": e.label, "urls": [f"{r.method} {r.path}" for r in e.requests],
                               "saturation": saturation[e.name], "latency": latency[e.name]} for e in endpoints},
        "hello_after": hello_after,
        "soak": soaked,
        "server_log": problems,
    }


# --- RESULTS.md ------------------------------------------------------------------------------------


def verdicts(db: str, r: dict) -> dict[str, tuple[bool, str]]:
    """{target: (met, the figure that decides it)}."""
    hello = max(r["endpoints"]["hello"]["saturation"]["rps"], r["hello_after"]["rps"])
    pages = {k: v for k, v in r["endpoints"].items() if k != "hello"}
    slowest = min(pages, key=lambda k: pages[k]["saturation"]["rps"])
    ratio = pages[slowest]["saturation"]["rps"] / hello
    worst95 = max(pages, key=lambda k: _ms(pages[k], "95"))
    worst99 = max(pages, key=lambda k: _ms(pages[k], "99"))
    s = r["soak"]
    errors = s["errors"] + sum(v["saturation"]["errors"] + v["latency"]["errors"] for v in r["endpoints"].values())
    out = {
        "throughput ≥ 50% of hello": (ratio >= MIN_RATIO, f"lowest {ratio:.2f} ({slowest})"),
        "p95 ≤ 25 ms, p99 ≤ 100 ms at half of saturation": (
            _ms(pages[worst95], "95") <= P95_MS and _ms(pages[worst99], "99") <= P99_MS,
            f"worst p95 {_ms(pages[worst95], '95'):.1f} ms ({worst95}), p99 {_ms(pages[worst99], '99'):.1f} ms "
            f"({worst99})"),
        "zero errors in 10 min": (errors == 0 and s["seconds"] >= SOAK_S * 0.99,
                                  f"{errors} errors; soak of {s['seconds']:,.0f} s"
                                  + (" (--quick)" if s["seconds"] < SOAK_S * 0.99 else "")),
    }
    if db == "sqlite":
        locked = r["server_log"]["database is locked"]
        out["≥ 200 req/s with 10% writes, no “database is locked”"] = (
            s["rps"] >= SQLITE_MIX_RPS and locked == 0, f"{s['rps']:,.0f} req/s, “locked” {locked} times")
    return out


def _ms(endpoint: dict, p: str) -> float:
    """A latency percentile at half rate; infinite when nothing was answered."""
    return endpoint["latency"]["latency_ms"].get(p, math.inf)


def render(results: dict[str, dict]) -> list[str]:
    from bench.report import DATABASES, fixture_line, met

    out = [
        "## W6: pages under load",
        "",
        "Served as `make run` serves them (the Makefile's gunicorn line: same workers and threads, DEBUG off, "
        "WhiteNoise) on loopback. Saturation: wrk at 64 connections; latency: an open-loop client at half of "
        "that rate, each request timed from when it was due; errors: wrk's socket errors and every non-2xx "
        "answer in the server's access log. See the docstring of bench/w6.py.",
        "",
    ]
    for db, r in results.items():
        hello = max(r["endpoints"]["hello"]["saturation"]["rps"], r["hello_after"]["rps"])
        d = r["durations"]
        out += [
            f"### {DATABASES[db]} ({r['database_version']})",
            "",
            f"Run {r['machine']['date']}. {fixture_line(r)} Commune: {r['units']['commune']['name']} "
            f"({r['units']['commune']['members']:,} members); province: {r['units']['province']['name']} "
            f"({r['units']['province']['members']:,}). Server: `{r['command']}`.",
            "",
            "| endpoint | req/s at 64 conn. | / hello | server CPU ms per request | p50 / p95 / p99 ms at half rate "
            "| errors |",
            "|---|---|---|---|---|---|",
        ]
        for e in r["endpoints"].values():
            errors = e["saturation"]["errors"] + e["latency"]["errors"]
            cpu = e["saturation"].get("server_cpu_ms")
            out.append(f"| {e['label']} | {e['saturation']['rps']:,.0f} | {e['saturation']['rps'] / hello:.2f} "
                       f"| {'—' if cpu is None else f'{cpu:.1f}'} "
                       f"| {_ms(e, '50'):.1f} / {_ms(e, '95'):.1f} / {_ms(e, '99'):.1f} | {errors} |")
        s = r["soak"]
        out += [
            "",
            f"Hello before the pages {r['endpoints']['hello']['saturation']['rps']:,.0f} req/s, after "
            f"{r['hello_after']['rps']:,.0f}; ratios are to the faster. Saturation runs {d['saturation']:g} s after "
            f"{d['warm']:g} s of warm-up, latency runs {d['latency']:g} s. Server CPU: user + system time of "
            "gunicorn's processes during the saturation run over the requests answered; the machine's other load "
            "changes it far less than the rates, so it shows what bounds each ratio. Load average "
            f"{r['machine']['load_before']} before, {r['machine']['load_after']} after.",
            "",
            f"Soak: every page endpoint in turn with one member edit (`PATCH /api/v1/members/{{id}}`) in ten, "
            f"wrk at 64 connections for {s['seconds']:,.0f} s: {s['rps']:,.0f} req/s, of them reads "
            f"{s.get('reads_rps', math.nan):,.0f} (alone, each at its endpoint's saturation rate, they would reach "
            f"{s.get('reads_alone_rps', math.nan):,.0f}), answers {s['statuses']}, "
            f"socket errors {s['connect'] + s['read'] + s['write'] + s['timeout']}, {s['audit_entries']:,} edits "
            f"in the audit log; server log: {r['server_log']}.",
            "",
            "| target (PERFORMANCE.md) | measured | |",
            "|---|---|---|",
            *(f"| {target} | {figure} | {met(ok)} |" for target, (ok, figure) in verdicts(db, r).items()),
            "",
        ]
    return out
