"""W4 of PERFORMANCE.md: member state changes through the services, and restructuring, against raw SQL.

Changes: RANDOM_CHANGES random changes (QUICK_CHANGES with --quick), each through the service a page
calls, by a user with an admin grant on the root whose grants are looked up afresh for every
change (a request loads its user), one at a time in one process, each its own committed transaction:

- admission: `services.create_member`, a probationary member admitted today into a random cell;
- recognition: `record_event(RECOGNIZED)` of a probationary member whose 12 months of probation are over;
- move: `record_event(MOVED)` to another cell of the same commune-level committee;
- transfer out, transfer in: `record_event(TRANSFERRED_OUT)` of a current member, and
  `record_event(TRANSFERRED_IN)` of one transferred out earlier in the run, into a cell elsewhere;
- leaving: `record_event(STRUCK_OFF)` and `record_event(DECEASED)`;
- profile edit of a counted attribute (ethnicity, degree, general education, birth date, gender):
  `services.update_member`.

Discipline and classification (named in PERFORMANCE.md) are not modeled yet. Every change is valid:
dated today (never before the member's last event, never in the future), a transition that
`members.history.ALLOWED` permits, a profile the rules accept; a refusal stops the run. Picking the
change and loading the member as a page would is not timed; the service call is. The reference, in
the same run and interleaved with the changes: one raw single-row UPDATE of `members_member` in
autocommit after every REFERENCE_EVERY-th change. Afterwards the tallies must equal a recount
(`tally.check()` returns []): zero drift.

Restructuring: the median commune moved to another province (`orgs.services.move_unit`) against a
raw-SQL rewrite of the same rows (units, members, events), and the median province merged into
another (`merge_units`) against its raw-SQL equivalent. Both must leave the same rows (a digest of
ids, paths and parents) before they are timed. Every round runs inside a transaction that is rolled
back, app and reference alike (the commit is in neither time), so the tree of the fixture is
unchanged; the member changes above are committed and stay (valid changes dated today: W1 and W2
compare with references on whatever the tables hold).
"""

import statistics
from calendar import monthrange
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from random import Random
from time import perf_counter

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.models import Grant
from access.rules import Role
from bench import names, w1
from bench.timing import summarize_calls
from core.errors import DomainError
from core.tree import SEGMENT
from members import changes as member_changes
from members import rules, services, tally
from members.choices import Degree, EventKind, Gender, Status, years_before
from members.models import MAJORITY_ETHNICITY, Member
from members.rules import CCCD_PROVINCE_CODES
from orgs.models import CELL_KINDS, OrgUnit

RANDOM_CHANGES, QUICK_CHANGES = 100_000, 5_000
# Shares of the random changes. Edits of the profile are the most common write of a records office.
MIX = {"admission": 10, "recognition": 8, "move": 14, "transfer_out": 5, "transfer_in": 5, "struck_off": 4,
       "deceased": 4, "edit": 50}
KIND_NAMES = {"admission": "kết nạp (create_member)", "recognition": "công nhận chính thức",
              "move": "chuyển sinh hoạt trong đảng bộ", "transfer_out": "chuyển sinh hoạt đi",
              "transfer_in": "chuyển sinh hoạt đến", "struck_off": "xóa tên", "deceased": "từ trần",
              "edit": "sửa hồ sơ (update_member)"}
REFERENCE_EVERY = 10
CALIBRATION = 10  # changes of each kind whose queries are counted (untimed: counting slows them)
# Rounds of each restructuring (full, quick). A province merge rewrites ~150,000 member and ~350,000
# event rows: tens of seconds on PostgreSQL here, so two rounds of each of app and raw SQL.
COMMUNE_LEVEL = 3 * SEGMENT  # path length of a commune-level committee (root, province, commune)
MARGIN_DAYS = 3  # an admission is a few days past the 18th birthday, never on it
EDITS = {"ethnicity": 25, "degree": 25, "general_education": 15, "birth_date": 25, "gender": 10}
MINORITIES = list(names.MINORITIES)


def months_before(day, months: int):
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=y, month=m + 1, day=min(day.day, monthrange(y, m + 1)[1]))


def bench_admin():
    """A user with an admin grant on the root: may change members and restructure the whole tree."""
    user, created = get_user_model().objects.get_or_create(username="bench-w4")
    if created:
        user.set_unusable_password()
        user.save()
    Grant.objects.get_or_create(user=user, unit=OrgUnit.objects.get(parent__isnull=True), role=Role.ADMIN)
    return user


# --- the random changes --------------------------------------------------------------------------


@dataclass
class Change:
    kind: str
    call: Callable  # the service call (timed)
    done: Callable = lambda result: None  # bookkeeping of the pools afterwards (untimed)


class Changes:
    """Pools of members by what may happen to them next, and the random valid change of each kind."""

    def __init__(self, user, seed: int):
        self.user, self.rng, self.today = user, Random(f"w4-{seed}"), timezone.localdate()
        # Recognition ends a probation of PROBATION_MONTHS: only members admitted that long ago qualify
        # (the profile rules refuse a recognition on the day of admission at the next edit).
        served = months_before(self.today, rules.PROBATION_MONTHS)
        with connection.cursor() as c:
            c.execute("SELECT id, status = %s AND admitted_on <= %s FROM members_member WHERE status IN (%s, %s)"
                      " ORDER BY id", [Status.PROBATIONARY, served, *w1.ACTIVE])
            chunks, probationary = [], []
            while rows := c.fetchmany(100_000):
                chunks.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
                probationary.extend(r[0] for r in rows if r[1])
        # Current at the start, as an array: 5.6 million ids at national scale take 45 MB, not 200 MB as a list.
        self.current = np.concatenate(chunks) if chunks else np.array([], dtype=np.int64)
        self.admitted: list[int] = []  # admitted during the run
        self.done_kinds: Counter = Counter()  # changes made, by kind (the figures' check)
        self.gone: set[int] = set()  # not current any more
        self.probationary, self.on_probation = probationary, set(probationary)
        self.transferred: list[tuple[int, str]] = []  # transferred out during the run, with the status before
        self.cells: list[int] = []
        self.cells_of: dict[str, list[int]] = defaultdict(list)
        self.path_of: dict[int, str] = {}
        self.units: dict[int, OrgUnit] = {}
        self.in_sql = 0.0  # seconds of the current change inside SQL statements
        for uid, path in OrgUnit.objects.filter(kind__in=CELL_KINDS, valid_to__isnull=True).values_list("id", "path"):
            self.cells.append(uid)
            self.cells_of[path[:COMMUNE_LEVEL]].append(uid)
            self.path_of[uid] = path

    # pools

    def any_current(self) -> int:
        while True:
            i = self.rng.randrange(len(self.current) + len(self.admitted))
            mid = int(self.current[i]) if i < len(self.current) else self.admitted[i - len(self.current)]
            if mid not in self.gone:
                return mid

    def any_probationary(self) -> int | None:
        while self.probationary:
            i = self.rng.randrange(len(self.probationary))
            mid = self.probationary[i]
            if mid in self.on_probation:
                return mid
            self.probationary[i] = self.probationary[-1]  # recognized or left since: drop it
            self.probationary.pop()
        return None

    def leave(self, mid: int) -> None:
        self.gone.add(mid)
        self.on_probation.discard(mid)

    def member(self, mid: int, *statuses, whole: bool = False) -> Member:
        """The member whose status the pools say. `whole`: the full record with its unit, as the edit page
        loads it for `update_member`; otherwise the few columns the benchmark needs to pick the change
        (`record_event` reads the member again itself, under lock)."""
        if whole:
            member = Member.objects.select_related("unit").get(pk=mid)
        else:
            status, unit_id = Member.objects.filter(pk=mid).values_list("status", "unit_id").get()
            member = Member(pk=mid, status=status, unit_id=unit_id)
        if member.status not in statuses:
            raise SystemExit(f"W4: member #{mid} is {member.status}, the pools expected {statuses}")
        return member

    def cell(self, uid: int) -> OrgUnit:
        if uid not in self.units:
            if len(self.units) > 20_000:  # a bounded cache: national scale has 250,000 cells
                self.units.clear()
            self.units[uid] = OrgUnit.objects.get(pk=uid)
        return self.units[uid]

    # one change of each kind

    def plan(self, kind: str) -> Change:
        if kind == "recognition" and self.any_probationary() is None:
            kind = "edit"
        if kind == "transfer_in" and not self.transferred:
            kind = "transfer_out"
        return getattr(self, kind)()

    def admission(self) -> Change:
        unit = self.cell(self.rng.choice(self.cells))
        fields = self.new_profile()
        return Change("admission", lambda: services.create_member(unit=unit, by=self.user, **fields),
                      lambda member: self.admitted.append(member.pk))

    def recognition(self) -> Change:
        member = self.member(self.any_probationary(), Status.PROBATIONARY)
        return Change("recognition", lambda: services.record_event(member, EventKind.RECOGNIZED, on=self.today,
                                                                    by=self.user),
                      lambda _event: self.on_probation.discard(member.pk))

    def move(self) -> Change:
        member = self.member(self.any_current(), *w1.ACTIVE)
        path = self.path_of.get(member.unit_id) or self.cell(member.unit_id).path
        others = [c for c in self.cells_of.get(path[:COMMUNE_LEVEL], []) if c != member.unit_id]
        target = self.cell(self.rng.choice(others) if others else self.other_cell(member.unit_id))
        return Change("move", lambda: services.record_event(member, EventKind.MOVED, on=self.today, unit=target,
                                                             by=self.user))

    def transfer_out(self) -> Change:
        member = self.member(self.any_current(), *w1.ACTIVE)

        def done(_event):
            self.leave(member.pk)
            self.transferred.append((member.pk, member.status))

        return Change("transfer_out", lambda: services.record_event(member, EventKind.TRANSFERRED_OUT,
                                                                     on=self.today, by=self.user), done)

    def transfer_in(self) -> Change:
        i = self.rng.randrange(len(self.transferred))
        (mid, status), self.transferred[i] = self.transferred[i], self.transferred[-1]
        self.transferred.pop()
        member = self.member(mid, Status.TRANSFERRED_OUT)
        target = self.cell(self.other_cell(member.unit_id))
        # Back among the current members (a probationary one does not rejoin the recognition pool).
        return Change("transfer_in", lambda: services.record_event(member, EventKind.TRANSFERRED_IN, on=self.today,
                                                                    unit=target, status_after=status, by=self.user),
                      lambda _event: self.gone.discard(mid))

    def struck_off(self) -> Change:
        return self._exit("struck_off", EventKind.STRUCK_OFF)

    def deceased(self) -> Change:
        return self._exit("deceased", EventKind.DECEASED)

    def _exit(self, kind: str, event: str) -> Change:
        member = self.member(self.any_current(), *w1.ACTIVE)
        return Change(kind, lambda: services.record_event(member, event, on=self.today, by=self.user),
                      lambda _event: self.leave(member.pk))

    def edit(self) -> Change:
        member = self.member(self.any_current(), *w1.ACTIVE, whole=True)
        changes = self.counted_edit(member)
        return Change("edit", lambda: services.update_member(member, changes, by=self.user))

    # values

    def other_cell(self, uid: int) -> int:
        while (other := self.rng.choice(self.cells)) == uid:
            pass
        return other

    def counted_edit(self, member: Member) -> dict:
        """One counted attribute changed to another valid value. The CCCD encodes the birth year and
        the gender, so a member who has one keeps both: the birth date moves earlier within its year."""
        rng = self.rng
        while True:
            field = names.Table(EDITS).pick(rng)
            if field == "ethnicity":
                return {field: rng.choice(MINORITIES) if member.ethnicity == MAJORITY_ETHNICITY else MAJORITY_ETHNICITY}
            if field == "degree":
                return {field: rng.choice([d for d in ("", Degree.BACHELOR, Degree.MASTER, Degree.DOCTOR)
                                           if d != member.degree])}
            if field == "general_education":
                return {field: rng.choice([g for g in ("12/12", "9/12", "5/12") if g != member.general_education])}
            if field == "birth_date" and (member.birth_date.month, member.birth_date.day) != (1, 1):
                jan1 = member.birth_date.replace(month=1, day=1)
                return {field: jan1 + timedelta(days=rng.randrange((member.birth_date - jan1).days))}
            if field == "gender" and not member.citizen_id:
                return {field: Gender.FEMALE if member.gender == Gender.MALE else Gender.MALE}

    def new_profile(self) -> dict:
        rng = self.rng
        male = rng.random() < 0.6
        birth = years_before(self.today, 18) - timedelta(days=MARGIN_DAYS + int(rng.uniform(0, 17) * 365.2425))
        minority = rng.random() < 0.15
        family = (names.MINORITY_FAMILY_TABLE if minority and rng.random() < 0.5 else names.FAMILY_TABLE).pick(rng)
        return {
            "full_name": f"{family} {names.MIDDLE_TABLES[male].pick(rng)} {names.GIVEN_TABLES[male].pick(rng)}",
            "gender": Gender.MALE if male else Gender.FEMALE, "birth_date": birth,
            "ethnicity": rng.choice(MINORITIES) if minority else MAJORITY_ETHNICITY,
            "citizen_id": self.new_citizen_id(birth, male), "general_education": "12/12" if rng.random() < 0.9 else
            "9/12", "degree": Degree.BACHELOR if rng.random() < 0.4 else "", "status": Status.PROBATIONARY,
            "admitted_on": self.today,
        }

    def new_citizen_id(self, birth, male: bool) -> str:
        # Serials from 500000 up are above any the generator gives; checked free, as a registry would.
        century = 2 * ((birth.year - 1900) // 100) + (not male)
        prefix = f"{self.rng.choice(sorted(CCCD_PROVINCE_CODES))}{century}{birth.year % 100:02d}"
        while Member.objects.filter(citizen_id=(value := f"{prefix}{self.rng.randrange(500_000, 10**6):06d}")).exists():
            pass
        return value

    # running them

    def execute(self, change: Change):
        self.user.__dict__.pop("_scope_cache", None)  # a request loads its user, and so its grants, afresh
        self.in_sql = 0.0
        try:
            t = perf_counter()
            result = change.call()
            elapsed = perf_counter() - t
        except DomainError as e:
            raise SystemExit(f"W4: a random change was refused ({change.kind}): {e}") from e
        change.done(result)
        self.done_kinds[change.kind] += 1
        return elapsed

    def timing_sql(self, execute, sql, params, many, context):
        """A `connection.execute_wrapper`: the time the change spends in its SQL statements."""
        t = perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.in_sql += perf_counter() - t

    def raw_update(self) -> float:
        """The reference: one single-row UPDATE of the member table, in autocommit (its own transaction)."""
        mid, now = self.any_current(), timezone.now()
        with connection.cursor() as c:
            t = perf_counter()
            c.execute("UPDATE members_member SET updated_at = %s WHERE id = %s", [now, mid])
            return perf_counter() - t


def calibrate(changes: Changes) -> dict[str, dict]:
    """Queries per change of each kind (CALIBRATION changes each, untimed), with one change's SQL."""
    out = {}
    for kind in MIX:
        counts, sql = [], []
        for _ in range(CALIBRATION):
            change = changes.plan(kind)
            with CaptureQueriesContext(connection) as ctx:
                changes.execute(change)
            counts.append(len(ctx.captured_queries))
            sql = [q["sql"][:160] for q in ctx.captured_queries]
        out[kind] = {"queries": statistics.median(counts), "example": sql}
    return out


def random_changes(changes: Changes, n: int) -> tuple[dict[str, list[float]], dict[str, float], list[float], float]:
    """Per kind the seconds of each service call and the seconds of them spent in SQL statements (the
    rest is Python and the commit), the reference's seconds, and the wall time."""
    kinds, weights = list(MIX), list(MIX.values())
    samples: dict[str, list[float]] = {k: [] for k in kinds}
    in_sql: dict[str, float] = dict.fromkeys(kinds, 0.0)
    reference: list[float] = []
    start = perf_counter()
    with connection.execute_wrapper(changes.timing_sql):
        for i in range(n):
            change = changes.plan(changes.rng.choices(kinds, weights)[0])
            samples[change.kind].append(changes.execute(change))
            in_sql[change.kind] += changes.in_sql
            if i % REFERENCE_EVERY == 0:
                reference.append(changes.raw_update())
            if (i + 1) % 10_000 == 0:
                done = sum(len(s) for s in samples.values())
                print(f"    {i + 1:,} changes, {done / sum(map(sum, samples.values())):,.0f}/s in the services "
                      f"({perf_counter() - start:,.0f} s)")
    return samples, in_sql, reference, perf_counter() - start


# --- the workload --------------------------------------------------------------------------------


def run(args, fixture: dict) -> dict:
    user = bench_admin()
    n = QUICK_CHANGES if args.quick else RANDOM_CHANGES
    t = perf_counter()
    changes = Changes(user, args.seed)
    print(f"  pools: {len(changes.current):,} current members, {len(changes.cells):,} cells "
          f"({perf_counter() - t:.1f} s, not timed)")
    root = OrgUnit.objects.get(parent__isnull=True)
    figures_before = member_changes.changes(root, user, changes.today, changes.today).figures
    queries = calibrate(changes)
    print("  queries per change: " + ", ".join(f"{k} {v['queries']:g}" for k, v in queries.items()))
    samples, in_sql, reference, wall = random_changes(changes, n)
    t = perf_counter()
    problems = tally.check()
    check_s = perf_counter() - t
    if problems:
        raise SystemExit(f"W4: the tallies drifted after {n:,} random changes ({len(problems):,} differences):\n  "
                         + "\n  ".join(problems[:20]))
    figures = check_figures(changes, root, figures_before)
    every = [s for kind in samples.values() for s in kind]
    result = {
        "on": changes.today.isoformat(),
        "changes": {kind: {**summarize_calls(s), **queries[kind], "sql_share": round(in_sql[kind] / sum(s), 3) if s else 0}
                    for kind, s in samples.items()},
        "overall": {**summarize_calls(every), "wall_s": round(wall, 1), "sql_share": round(sum(in_sql.values()) / sum(every), 3)},
        "reference": summarize_calls(reference),
        "drift": {"changes": n + CALIBRATION * len(MIX), "problems": len(problems), "check_s": round(check_s, 1)},
    }
    print(f"  {len(every):,} changes: {result['overall']['rate']:,.0f}/s, p95 {result['overall']['p95']:.1f} ms; "
          f"raw UPDATE {result['reference']['rate']:,.0f}/s; tallies agree with a recount ({check_s:.0f} s)")
    from bench.w4_restructure import restructure  # here: that module builds on this one

    result["figures"] = figures
    result["restructure"] = restructure(user, changes.today, args.quick)
    result["indexes"] = index_counts()
    result["vacuum"] = tidy()
    return result


def check_figures(changes: Changes, root: OrgUnit, before: dict) -> dict:
    """The nation's membership changes of today (members.changes) moved by exactly the changes made: an
    admission, a recognition, a struck off, a death each add one; a transfer out counts as leaving the
    nation until the member's transfer in elsewhere (a pair within the period is internal); moves between
    cells are internal. Timed once, as the page would call it after the run."""
    user = changes.user
    user.__dict__.pop("_scope_cache", None)
    t = perf_counter()
    after = member_changes.changes(root, user, changes.today, changes.today).figures
    ms = (perf_counter() - t) * 1000
    done = changes.done_kinds
    expected = {"admitted": done["admission"], "recognized": done["recognition"], "struck_off": done["struck_off"],
                "deceased": done["deceased"], "transferred_out": done["transfer_out"] - done["transfer_in"],
                "transferred_in": 0}
    got = {key: after[key] - before[key] for key in expected}
    if got != expected:
        raise SystemExit(f"W4: the nation's membership changes of today moved by {got}, the run made {expected}")
    print(f"  membership changes of today for the nation agree with the changes made ({ms:.0f} ms)")
    return {"delta": got, "ms": round(ms, 1)}


def index_counts() -> dict[str, int]:
    """Indexes on the tables whose rows a restructuring rewrites: every rewritten row updates each one."""
    out = {}
    with connection.cursor() as c:
        for table in ("members_member", "members_memberevent"):
            if connection.vendor == "postgresql":
                c.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [table])
                out[table] = c.fetchone()[0]
            else:
                c.execute(f"PRAGMA index_list({table})")
                out[table] = len(c.fetchall())
    return out


def tidy() -> dict | None:
    """VACUUM the tables W4 wrote, on PostgreSQL: every rolled-back round left its row versions behind,
    and the workloads after W4 would scan them until autovacuum comes by (if it runs at all: the bench
    machine's server has `autovacuum = off`). None on SQLite, where a rollback leaves nothing."""
    if connection.vendor != "postgresql":
        return None
    t = perf_counter()
    with connection.cursor() as c:
        c.execute("SHOW autovacuum")
        autovacuum = c.fetchone()[0]
        c.execute("VACUUM (ANALYZE) members_member, members_memberevent, members_memberperiod, orgs_orgunit,"
                  " orgs_orgunitversion, members_unittally, members_cubetally, audit_auditentry")
    print(f"  VACUUM after the rolled-back rounds: {perf_counter() - t:.0f} s (not timed)")
    return {"seconds": round(perf_counter() - t, 1), "autovacuum": autovacuum}


# --- RESULTS.md ------------------------------------------------------------------------------------

TARGETS = {"rate": 2_000, "p95": 15, "move": 30, "merge": 2_000}


def render(results: dict[str, dict]) -> list[str]:
    from bench.report import DATABASES, fixture_line, fmt, met

    out = [
        "## W4: member changes and restructuring",
        "",
        "Random valid changes through the services, one at a time in a single process, each its own committed "
        "transaction, by a user with an admin grant on the root (grants looked up afresh for every change, as in a "
        "request; audit and visibility checks run as in production): admission (`create_member`), recognition, "
        "move between cells of one commune, transfer out and in, struck off, deceased (`record_event`), edits of a "
        "counted attribute (`update_member`), all dated today. Discipline and classification are part of W4 in "
        "PERFORMANCE.md but are not modeled yet. Only the service call is timed (choosing the change and loading "
        f"the member, as a page does, are not). Reference, interleaved with the changes (one after every "
        f"{REFERENCE_EVERY}th): a raw single-row UPDATE of `members_member` in autocommit. Restructuring runs inside "
        "a transaction rolled back afterwards, app and raw SQL alike (so neither time holds the commit, and the "
        "tree of the fixture is unchanged); the member changes are committed and stay in the fixture.",
        "",
    ]
    for db, r in results.items():
        overall, ref = r["overall"], r["reference"]
        out += [
            f"### {DATABASES[db]} ({r['database_version']})",
            "",
            f"Run {r['machine']['date']}. {fixture_line(r)}",
            "",
            "| change | n | changes/s | median ms | p95 ms | max ms | queries | in SQL | target (PERFORMANCE.md) | |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for kind, s in r["changes"].items():
            if s["n"]:
                out.append(f"| {KIND_NAMES[kind]} | {s['n']:,} | {s['rate']:,.0f} | {fmt(s['median'])} "
                           f"| {fmt(s['p95'])} | {fmt(s['max'])} | {s['queries']:g} | {s.get('sql_share', 0):.0%} | | |")
        ok = overall["rate"] >= TARGETS["rate"] and overall["p95"] <= TARGETS["p95"]
        out += [
            f"| **all** | {overall['n']:,} | {overall['rate']:,.0f} | {fmt(overall['median'])} | {fmt(overall['p95'])} "
            f"| {fmt(overall['max'])} | | {overall.get('sql_share', 0):.0%} | ≥ {TARGETS['rate']:,}/s, p95 ≤ {TARGETS['p95']} ms "
            f"| {met(ok)} |",
            f"| raw single-row UPDATE | {ref['n']:,} | {ref['rate']:,.0f} | {fmt(ref['median'])} | {fmt(ref['p95'])} "
            f"| {fmt(ref['max'])} | 1 | | | |",
            "",
            f"App/raw: {overall['rate'] / ref['rate']:.2f} of the raw UPDATE's rate. Changes/s is changes over the time "
            f"inside the service calls ({overall['wall_s']:,} s of wall time with the untimed picking). "
            "\"queries\" is the median number of SQL statements of one change (counted on "
            f"{CALIBRATION} changes of each kind before the timed run, transaction control included); \"in SQL\" the "
            "share of the service calls' time spent executing their statements (the rest is Python, the ORM "
            "building queries and objects, and the commit).",
            "",
        ]
        if ref["rate"] < TARGETS["rate"]:
            out += [f"Bound: the raw reference itself, one statement and its commit, reaches only {ref['rate']:,.0f}/s in "
                    f"this run, below the {TARGETS['rate']:,}/s of the target, so a change of the app (the statements "
                    "counted above and the same commit) cannot reach it on this machine one at a time.", ""]
        d = r["drift"]
        out += [f"Tally drift after {d['changes']:,} random changes: {d['problems']} differences "
                f"(`tally.check()`, {d['check_s']} s) — target zero: {met(d['problems'] == 0)}.", ""]
        if r.get("figures"):
            f = r["figures"]
            out += [f"Membership changes of the day for the nation (`members.changes`, the page's table) moved by "
                    f"exactly the changes made ({', '.join(f'{k} {v:+,}' for k, v in f['delta'].items())}); the "
                    f"table took {fmt(f['ms'])} ms.", ""]
        rs = r.get("restructure") or {}
        if not rs:
            out += ["Restructuring: not run (the fixture has a single province).", ""]
        else:
            out += ["| restructuring | rows | app median / p95 ms | raw SQL median ms | app/raw "
                    "| target (PERFORMANCE.md) | |", "|---|---|---|---|---|---|---|"]
            for key, label, target in (("move", "commune move (`move_unit`)", TARGETS["move"]),
                                       ("merge", "province merge (`merge_units`)", TARGETS["merge"])):
                m = rs[key]
                what = (f"{m['unit']}: {m['members']:,} current members ({m.get('member_rows', 0):,} member rows), "
                        f"{m['events']:,} events, {m['units']:,} units")
                out.append(f"| {label} | {what} | {fmt(m['app']['median'])} / {fmt(m['app']['p95'])} "
                           f"| {fmt(m['raw']['median'])} | {m['app']['median'] / m['raw']['median']:.1f} "
                           f"| ≤ {target:,} ms | {met(m['app']['median'] <= target)} |")
            out += ["", f"Commune move: {rs['move']['unit']} from {rs['move']['from']} to {rs['move']['to']}; province "
                        f"merge: {rs['merge']['unit']} into {rs['merge']['to']} ({rs['merge']['target_members']:,} "
                        f"members). Medians and p95 over {rs['move']['app']['n']} and {rs['merge']['app']['n']} "
                        "alternating rounds; the raw SQL rewrites the same paths (units, members, events), re-parents "
                        "and closes as the service does, without versions, tallies or audit. In the first round both "
                        "must leave the same rows (a digest of ids, paths and parents)."]
            if r.get("indexes"):
                ix = r["indexes"]
                out[-1] += (f" Every rewritten row updates its table's indexes: {ix['members_member']} on "
                            f"`members_member`, {ix['members_memberevent']} on `members_memberevent`.")
            if r.get("vacuum"):
                v = r["vacuum"]
                out[-1] += (f" PostgreSQL keeps the row versions of the rolled-back rounds until VACUUM (here "
                            f"`autovacuum = {v['autovacuum']}`), so later rounds scan those of earlier ones and W4 "
                            f"ends with a VACUUM ({v['seconds']:,} s, not timed).")
            out.append("")
    return out
