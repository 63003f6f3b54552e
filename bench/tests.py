"""The benchmark's own correctness, on a small fixture: the suite keeps `make bench` working as the
app's models change (the benchmark itself is timed by `make bench`, never here)."""

import shutil
import statistics
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from django.db import connection
from django.test import TestCase
from django.utils import timezone

from bench import files, generate, timing, w1, w1_oversight, w2, w2t, w3, w4, w4_restructure
from core import bulk
from core.text import fold
from dangvu.testing import make_member
from members import migration, tally
from members.models import Member, MemberEvent, MemberPeriod
from orgs.models import Kind, OrgUnit, OrgUnitVersion
from orgs.services import create_unit


def test_the_generator_gives_the_same_party_for_the_same_seed():
    a = generate.build_tree(20_000, seed=7)
    b = generate.build_tree(20_000, seed=7)
    assert [(u.path, u.name, u.members) for u in a] == [(u.path, u.name, u.members) for u in b]
    assert list(generate.member_rows(a, 7))[:50] == list(generate.member_rows(b, 7))[:50]
    assert [u.name for u in generate.build_tree(20_000, seed=8)] != [u.name for u in a]


def test_the_generated_party_has_the_shape_of_performance_md():
    units = generate.build_tree(100_000, seed=2026)
    everyone = list(generate.member_rows(units, 2026))
    rows = [r for r in everyone if r.status in (generate.OFFICIAL, generate.PROBATIONARY)]
    assert len(rows) == 100_000
    assert 0.15 < (len(everyone) - len(rows)) / len(rows) < 0.21  # ≈ 1 million former beside 5.6 million
    assert len({r.citizen_id for r in everyone if r.citizen_id}) == sum(1 for r in everyone if r.citizen_id)
    assert 0.01 < sum(any(e[0] == "chuyen_noi_bo" for e in r.events) for r in rows) / len(rows) < 0.03
    assert [u.path for u in units] == sorted(u.path for u in units)  # ids, paths and tree order agree
    assert [r.org_path for r in everyone] == sorted(r.org_path for r in everyone)
    assert len({u.code for u in units}) == len(units)
    kinds = Counter(u.kind for u in units)
    assert kinds[Kind.CENTRAL] == 1 and kinds[Kind.PROVINCE] == 1
    assert 5_000 < len(units) < 6_000  # ≈ 304,000 / 56
    cells = [u.members for u in units if u.members]
    assert min(cells) >= 3 and max(cells) <= 60 and statistics.median(cells) < statistics.mean(cells)
    assert 0.04 < sum(r.status == generate.PROBATIONARY for r in rows) / len(rows) < 0.06
    assert 0.80 < sum(r.ethnicity == "Kinh" for r in rows) / len(rows) < 0.90
    assert 0.63 < sum(r.gender == generate.MALE for r in rows) / len(rows) < 0.71
    families = Counter(r.full_name.split()[0] for r in rows)
    assert families.most_common(1)[0][0] == "Nguyễn" and 0.3 < families["Nguyễn"] / len(rows) < 0.42
    ages = [w1.years_before(generate.AS_OF, 18) >= r.birth_date >= w1.years_before(generate.AS_OF, 101)
            for r in rows]
    assert all(ages)
    assert all(r.admitted_on < generate.AS_OF for r in rows)


class LoadedFixtureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        folder = Path(tempfile.mkdtemp())
        try:
            files.write_files(folder, 3_000, seed=11)
            cls.report = migration.run(folder, progress=lambda _line: None)
        finally:
            shutil.rmtree(folder)

    def test_the_generated_files_pass_every_check_of_the_national_migration(self):
        self.assertTrue(self.report.ok, self.report.errors[:5])
        self.assertEqual(tally.check(), [])

    def test_the_real_tables_hold_the_fixture_with_derived_columns_right(self):
        self.assertEqual(Member.objects.active().count(), 3_000)
        self.assertEqual(MemberPeriod.objects.filter(valid_to__isnull=True).count(), 3_000)
        self.assertEqual(OrgUnitVersion.objects.count(), OrgUnit.objects.count())
        member = Member.objects.select_related("unit").order_by("-id").first()
        self.assertEqual(member.folded_name, fold(member.full_name))
        self.assertEqual(member.org_path, member.unit.path)
        self.assertEqual(OrgUnit.objects.get(parent__isnull=True).valid_from, date(1930, 2, 3))

    def test_the_w3_floor_copies_and_indexes_the_app_rows_and_leaves_nothing_behind(self):
        tables, members = set(connection.introspection.table_names()), Member.objects.count()
        low = w3.floor()
        self.assertGreater(low["rows"], 0)
        self.assertEqual(low["indexes_built"], sum(len(bulk.secondary_indexes(m._meta.db_table))
                                                   for m in (Member, MemberEvent, MemberPeriod)))
        self.assertGreater(low["indexes_built"], 10)
        self.assertEqual(low["rows_copied"], sum(m.objects.count() for m in (Member, MemberEvent, MemberPeriod)))
        self.assertEqual(set(connection.introspection.table_names()), tables)
        self.assertEqual(Member.objects.count(), members)

    def test_every_w1_method_gives_the_app_figures_for_every_level(self):
        user = w1.bench_user()
        columns, _seconds = w1.load_columns()
        methods = w1.Methods(user, timezone.localdate(), columns)
        figures = w1.check(methods, w1.pick_units())
        self.assertEqual(figures["nation"]["total"], 3_000)
        self.assertGreater(figures["nation"]["total"], figures["commune"]["total"])
        self.assertGreater(figures["commune"]["total"], figures["cell"]["total"])

    def test_the_w2_cube_of_the_app_equals_the_raw_group_by_at_every_level(self):
        units = {level: picked for level, picked in w1.pick_units().items() if level in w2.LEVELS}
        facts = w2.check(w2.Methods(w1.bench_user(), timezone.localdate()), units)
        self.assertEqual(facts["nation"]["members"], 3_000)
        self.assertGreater(facts["nation"]["cells"], facts["commune"]["cells"])

    def test_the_w2t_rollup_of_the_app_equals_the_raw_select(self):
        units, _communes = w2t._units()
        whole = w2t._setup(OrgUnit.objects.get(parent__isnull=True), units)
        methods = w2t.Methods(w1.bench_user())
        app, raw = methods.app(whole), methods.raw(whole)
        self.assertEqual(app[:4], raw)
        self.assertEqual(raw[:2], (len(units), len(units)))

    def test_w4_random_changes_are_all_accepted_and_leave_no_tally_drift(self):
        changes = w4.Changes(w4.bench_admin(), seed=3)
        samples, _in_sql, reference, _wall = w4.random_changes(changes, 300)
        self.assertEqual(sum(len(s) for s in samples.values()), 300)
        self.assertGreaterEqual(sum(1 for s in samples.values() if s), 7)  # every kind but maybe the rarest
        self.assertEqual(len(reference), 30)
        self.assertEqual(tally.check(), [])
        self.assertGreater(Member.objects.active().count(), 2_900)

    def test_w4_restructuring_by_the_app_and_by_raw_sql_leaves_the_same_rows_and_changes_nothing(self):
        # The small fixture has one province: give it a neighbour with a commune, a cell and a member.
        root = OrgUnit.objects.get(parent__isnull=True)
        other = create_unit(root, kind=Kind.PROVINCE, name="Đảng bộ tỉnh Láng Giềng", on=date(2025, 7, 1), by=None)
        commune = create_unit(other, kind=Kind.COMMUNE, name="Đảng bộ xã Bên Kia", on=date(2025, 7, 1), by=None)
        cell = create_unit(commune, kind=Kind.CELL, name="Chi bộ thôn Bên Kia", on=date(2025, 7, 1), by=None)
        make_member(cell, "Lò Văn Bên")
        before = sorted(OrgUnit.objects.values_list("id", "path", "parent_id", "valid_to"))
        found = w4_restructure.restructure(w4.bench_admin(), timezone.localdate(), quick=True)
        self.assertEqual(set(found), {"move", "merge"})
        self.assertEqual(found["move"]["app"]["n"], w4_restructure.MOVE_ROUNDS[True])
        self.assertEqual(sorted(OrgUnit.objects.values_list("id", "path", "parent_id", "valid_to")), before)
        self.assertEqual(tally.check(), [])

    def test_w1_oversight_statistics_of_the_app_equal_the_raw_group_by(self):
        planted = w1_oversight.plant()
        self.assertEqual(planted, round(3_000 * w1_oversight.RATE * w1_oversight.YEARS))
        user = w1_oversight.inspector()
        units = w1.pick_units()
        for level in ("nation", "commune"):
            unit = units[level][0]
            for start, end in w1_oversight.PERIODS.values():
                app = w1_oversight.app_counts(user, unit, start, end)
                self.assertEqual(app, w1_oversight.reference(unit, start, end))
        term = w1_oversight.PERIODS["term"]
        self.assertEqual(sum(w1_oversight.app_counts(user, units["nation"][0], *term).values()), planted)


# --- W6: the pure parts (the load itself runs in `make bench`) -------------------------------------


def test_w6_requests_are_lines_for_wrk_and_bytes_for_the_open_loop_client():
    from bench import loadgen

    r = loadgen.Request("PATCH", "/api/v1/members/7", {"Authorization": "Bearer k"}, '{"phone": "09{n}"}')
    assert r.line() == 'PATCH\t/api/v1/members/7\t{"phone": "09{n}"}\tAuthorization: Bearer k'
    raw = r.raw(8000).decode()
    assert raw.startswith("PATCH /api/v1/members/7 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n")
    assert raw.endswith('Content-Length: 23\r\n\r\n{"phone": "0900000000"}')
    assert loadgen.Request("GET", "/healthz").raw(1).endswith(b"Host: 127.0.0.1:1\r\n\r\n")
    assert loadgen.phone_digits(1, 42) == "10000042" and len(loadgen.phone_digits(3, 10**9)) == 8


def test_w6_counts_answers_from_gunicorns_access_log():
    from bench import loadgen

    log = ('127.0.0.1 - - [01/Dec/2026:16:28:26 +0700] "GET /dang-vien/?trang=2 HTTP/1.1" 200 764730 "-" "-"\n'
           '127.0.0.1 - - [01/Dec/2026:16:28:26 +0700] "PATCH /api/v1/members/9 HTTP/1.1" 500 145 "-" "-"\n'
           '127.0.0.1 - - [01/Dec/2026:16:28:27 +0700] "GET /to-chuc/ HTTP/1.1" 302 0 "-" "-"\n')
    statuses = loadgen.count_statuses(log)
    assert statuses == {200: 1, 500: 1, 302: 1}
    assert loadgen.errors_of(statuses) == 2  # a redirect (to the login page) is an error too


def test_w6_soak_mix_holds_every_url_and_one_write_in_ten():
    from bench import loadgen, w6

    def endpoint(name, n):
        return w6.Endpoint(name, name, [loadgen.Request("GET", f"/{name}/{i}") for i in range(n)], [None] * n)

    endpoints = [endpoint("hello", 1), endpoint("a", 1), endpoint("b", 6), endpoint("c", 3)]
    writes = [loadgen.Request("PATCH", f"/w/{i}", body="{n}") for i in range(5)]
    mix = w6.mix(endpoints, writes)
    paths = [r.path for r in mix]
    assert sum(r.method == "PATCH" for r in mix) * 10 == len(mix)
    assert set(paths) >= {r.path for e in endpoints[1:] for r in e.requests} | {w.path for w in writes}
    assert "/hello/0" not in paths


def test_w6_percentiles_are_nearest_rank():
    p = timing.percentiles([float(i) for i in range(1, 101)])
    assert (p["50"], p["95"], p["99"], p["max"]) == (50.0, 95.0, 99.0, 100.0)
    assert timing.percentiles([]) == {}


def test_w6_serves_with_the_gunicorn_line_of_make_run():
    import sys

    from bench import loadgen

    command = loadgen.gunicorn_command(8123)
    assert command[0] == f"{sys.prefix}/bin/gunicorn" and command[1] == "dangvu.wsgi"
    assert "127.0.0.1:8123" in command and "--workers" in command and "--threads" in command
    assert ";" not in command and "\\" not in command
