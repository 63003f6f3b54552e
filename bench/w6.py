"""W6 of PERFORMANCE.md: the pages under load, over HTTP, served exactly as `make run` serves them.

The workload starts the gunicorn line of the Makefile (same workers and threads, DEBUG off,
WhiteNoise) on a free loopback port against the bench database, and stops it afterwards, also on
failure. Two officers log in through the login form (session cookie) and get API tokens
(`ApiToken.issue`): the officer of the median commune, the typical user, and the officer of the
median province. Endpoints, each a short list of URLs that wrk rotates through (bench/w6.lua):

- hello: `GET /healthz`, a bare Django view on the same stack: the reference;
- the signed-in floors, beside it: the account page (`/tai-khoan/`: session, user, grants, one
  count and the base template) and the API's `GET /api/v1/auth/me` (token and grants). Every
  page pays its floor before it reads anything, so a page's share of hello can never pass its
  floor's: the table shows both ratios;
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

import html
import json
import math
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection

from access.models import ApiToken, Grant
from access.rules import Role
from audit.models import AuditEntry
from bench.loadgen import CONNECTIONS, WRK_THREADS, Request, Server, fetch, fixed_rate, log_in, phone_digits, wrk
from core.text import vn_number
from core.tree import subtree_q
from members import tally
from members.filters import MemberFilterForm
from members.models import Member
from members.stats import breakdown
from orgs.models import Kind, OrgUnit

PAGE_SIZE = 30
REFERENCES = ("hello", "floor-page", "floor-api")  # measured like the pages, judged apart from them
WRITE_EVERY = 10  # the soak's mix: one write in ten requests
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


def floor_endpoints(user, cookie: str, token: str) -> list[Endpoint]:
    """The signed-in floors: a page and an API call that compute nothing beyond who is asking."""
    return [
        Endpoint("floor-page", "signed-in floor: account page (`/tai-khoan/`)",
                 [Request("GET", "/tai-khoan/", {"Cookie": cookie})],
                 [expect_texts("Tài khoản của tôi", html.escape(user.get_username()))]),
        Endpoint("floor-api", "signed-in floor: API `/api/v1/auth/me`",
                 [Request("GET", "/api/v1/auth/me", {"Authorization": f"Bearer {token}"})],
                 [expect_json(username=user.get_username())]),
    ]


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
        *floor_endpoints(world.xa, sessions["xa"], tokens["xa"]),
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
    pages = [e for e in endpoints if e.name not in REFERENCES]
    longest = max(len(e.requests) for e in pages)
    reads = [e.requests[i % len(e.requests)] for i in range(longest) for e in pages]
    rounds = max(math.ceil(len(reads) / (WRITE_EVERY - 1)), len(writes))
    out = []
    for r in range(rounds):
        out += [reads[(r * (WRITE_EVERY - 1) + k) % len(reads)] for k in range(WRITE_EVERY - 1)]
        out.append(writes[r % len(writes)])
    return out


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
    if shutil.which("wrk") is None:
        raise SystemExit("W6 needs Debian's wrk: apt-get install wrk")
    d = Durations.of(args.quick)
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
    pages = {k: v for k, v in r["endpoints"].items() if k not in REFERENCES}
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


def _floor_of(name: str) -> str | None:
    """The signed-in floor a page endpoint stands on (none for the references themselves)."""
    if name in REFERENCES:
        return None
    return "floor-api" if name.startswith("api-") else "floor-page"


def _floor_lines(r: dict, hello: float) -> list[str]:
    """What signing in costs before a page computes anything: the bound under the 50 % target."""
    floor, bare = r["endpoints"].get("floor-page"), r["endpoints"]["hello"]["saturation"]
    if floor is None:
        return []
    share = floor["saturation"]["rps"] / hello
    return [
        f"The signed-in floor: the account page, which reads the session, the user, the grants and one count "
        f"and renders the base template, reaches {share:.2f} of hello ({floor['saturation']['server_cpu_ms']:.1f} ms of "
        f"server CPU a request against hello's {bare['server_cpu_ms']:.1f}); no page can do better than its floor, "
        "so with sessions kept in the database (a sign-out must end a session at once) the 50 % target is out of "
        "reach of every signed-in page. The column “/ its signed-in floor” is what each page costs beyond it.",
        "",
    ]


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
            "| endpoint | req/s at 64 conn. | / hello | / its signed-in floor | server CPU ms per request "
            "| p50 / p95 / p99 ms at half rate | errors |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, e in r["endpoints"].items():
            errors = e["saturation"]["errors"] + e["latency"]["errors"]
            cpu = e["saturation"].get("server_cpu_ms")
            floor = r["endpoints"].get(_floor_of(name))
            of_floor = "—" if floor is None else f"{e['saturation']['rps'] / floor['saturation']['rps']:.2f}"
            out.append(f"| {e['label']} | {e['saturation']['rps']:,.0f} | {e['saturation']['rps'] / hello:.2f} "
                       f"| {of_floor} | {'—' if cpu is None else f'{cpu:.1f}'} "
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
            *_floor_lines(r, hello),
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
