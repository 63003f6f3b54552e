"""Dates agree with the tree (issue 14 item 6): a member admitted, placed or moved into a unit on a day it did
not exist is refused, with the unit's dates in the message, through the form, the API, the import and the
national migration, and accepted from the unit's first day; restructurings keep their members within the tree;
the data-quality page lists the records that already break the rule."""

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from core.errors import DomainError
from dangvu.testing import BaseTestCase, make_member, make_unit
from members import migration, quality, services
from members.models import EventKind, Member, MemberEvent, MemberPeriod
from members.tests.test_import import ImportTestCase, row, xlsx
from members.tests.test_migration import MEMBERS, UNITS, MigrationTestCase
from members.tests.test_pages_forms import new_member, profile_of
from orgs.models import Kind
from orgs.services import merge_units, split_unit

BEGAN = date(2025, 9, 1)  # the new cell's first day
MEMBERS_API = "/api/v1/members"


class NewCellMixin:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.new_cell = make_unit(cls.commune_a, "Chi bộ Khu dân cư Mới", on=BEGAN, code="MOI")


class FormAndApiTests(NewCellMixin, BaseTestCase):
    def test_the_form_refuses_an_admission_before_the_cell_began_and_takes_one_on_its_first_day(self):
        self.client.force_login(self.binh)
        data = new_member(unit=self.new_cell.pk, status="du_bi", admitted_on="31/08/2025")
        [message] = self.client.post(reverse("members-create"), data).context["form"].errors["admitted_on"]
        self.assertIn("“Chi bộ Khu dân cư Mới” chỉ hoạt động từ 01/09/2025; ngày 31/08/2025", message)
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())
        response = self.client.post(reverse("members-create"), {**data, "admitted_on": "01/09/2025"})
        member = Member.objects.get(full_name="Hoàng Văn Mới")
        self.assertRedirects(response, reverse("members-detail", args=[member.pk]))
        self.assertEqual(list(member.periods.values_list("unit", "valid_from")), [(self.new_cell.pk, BEGAN)])

    def test_the_api_refuses_an_admission_before_the_cell_began_and_takes_one_on_its_first_day(self):
        data = {"unit_id": self.new_cell.pk, "full_name": "Hồ Văn Mới", "gender": "nam", "status": "du_bi",
                "birth_date": "1990-01-01", "admitted_on": "2025-08-31"}
        response = self.api(self.binh, "post", MEMBERS_API, data=data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["field"], "admitted_on")
        self.assertIn("chỉ hoạt động từ 01/09/2025", response.json()["detail"])
        self.assertFalse(Member.objects.filter(full_name="Hồ Văn Mới").exists())
        response = self.api(self.binh, "post", MEMBERS_API, data={**data, "admitted_on": "2025-09-01"})
        self.assertEqual(response.status_code, 201, response.content)

    def test_an_edit_that_moves_the_admission_before_the_cell_began_is_refused(self):
        member = make_member(self.new_cell, "Đỗ Văn Sửa", status="du_bi", admitted_on=BEGAN)
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-edit", args=[member.pk]),
                                    profile_of(member, admitted_on="15/08/2025"))
        self.assertIn("chỉ hoạt động từ 01/09/2025", response.context["form"].errors["admitted_on"][0])
        member.refresh_from_db()
        self.assertEqual(member.admitted_on, BEGAN)
        self.assertEqual(member.events.get(kind=EventKind.ADMITTED).on, BEGAN)

    def test_a_move_into_the_cell_before_it_began_is_refused_on_the_page_and_taken_from_its_first_day(self):
        member = make_member(self.cell_a2, "Lý Văn Chuyển", status="du_bi", admitted_on=date(2025, 6, 1))
        self.client.force_login(self.binh)
        url = reverse("members-event", args=[member.pk])
        move = {"kind": EventKind.MOVED, "unit": self.new_cell.pk, "on": "31/08/2025"}
        response = self.client.post(url, move)
        self.assertIn("chỉ hoạt động từ 01/09/2025", str(response.context["event_form"].errors))
        self.assertEqual(member.events.count(), 1)
        self.assertRedirects(self.client.post(url, {**move, "on": "01/09/2025"}),
                             reverse("members-detail", args=[member.pk]))
        self.assertEqual(member.periods.get(valid_to=None).unit, self.new_cell)

    def test_nothing_can_be_recorded_in_a_unit_after_it_closed(self):
        member = make_member(self.new_cell, "Mai Văn Cũ", status="du_bi", admitted_on=BEGAN)
        merge_units(self.new_cell, self.cell_a1, on=date(2025, 10, 1), by=self.admin)
        with self.assertRaisesMessage(DomainError, "chỉ hoạt động từ 01/09/2025 đến 30/09/2025"):
            services.record_event(member, EventKind.EXCUSED, on=date(2025, 10, 5), by=None, unit=self.new_cell)


class RestructuringTests(NewCellMixin, BaseTestCase):
    def test_members_moved_by_a_merge_and_a_split_stay_within_their_units_days(self):
        make_member(self.new_cell, "Mai Văn Hợp", status="du_bi", admitted_on=BEGAN)
        merged = make_unit(self.commune_a, "Chi bộ Hợp Nhất", on=date(2025, 12, 1))
        merge_units(self.cell_a1, merged, on=date(2025, 12, 1), by=self.admin)
        merge_units(self.new_cell, merged, on=date(2026, 1, 1), by=self.admin)
        moved = list(Member.objects.filter(unit=merged).values_list("pk", flat=True))
        [part] = split_unit(merged, [{"name": "Chi bộ Tách Ra", "kind": Kind.CELL, "members": moved[:1]}],
                            on=date(2026, 2, 1), by=self.admin)
        self.assertEqual(MemberEvent.objects.filter(unit=part, on=date(2026, 2, 1)).count(), 1)
        self.assertEqual(quality.outside_the_tree(Member.objects.all(), 100), [])
        self.assertFalse(MemberPeriod.objects.filter(unit=merged, valid_from__lt=date(2025, 12, 1)).exists())


class ImportTests(NewCellMixin, ImportTestCase):
    def test_the_import_refuses_an_admission_before_the_cell_began_and_takes_one_on_its_first_day(self):
        early = row(code="MOI", status="Dự bị", admitted=date(2025, 8, 31))
        self.assert_refused(xlsx([early]), "chỉ hoạt động từ 01/09/2025; ngày 31/08/2025", row=2,
                            column="Ngày vào Đảng")
        result = self.check(xlsx([row(code="MOI", status="Dự bị", admitted=BEGAN)]))
        self.assertTrue(result.ok, result.errors)


class MigrationTests(MigrationTestCase):
    UNITS = [*UNITS, ["38.001.003", "38.001", "Chi bộ Khu dân cư Mới", "", "Chi bộ trực thuộc", "CB", "",
                      "01/09/2025", ""]]

    def member(self, admitted: str) -> list:
        return ["110", "Đỗ Văn Mới", "Nam", "01/01/1990", "", "38.001.003", "Dự bị", admitted, "", ""]

    def test_the_migration_refuses_an_admission_before_the_cell_began_and_takes_one_on_its_first_day(self):
        self.write(units=self.UNITS, members=[*MEMBERS, self.member("31/08/2025")])
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 6, "chỉ hoạt động từ 01/09/2025",
                            column="Ngày vào Đảng")
        self.write(units=self.UNITS, members=[*MEMBERS, self.member("01/09/2025")])
        report = self.run_migration()
        self.assertTrue(report.ok, report.errors)

    def test_the_migration_refuses_a_move_of_the_event_file_before_the_cell_began(self):
        events = [["105", "Kết nạp", "01/02/1995", "38.001.001", "", "12-QĐ/HU", ""],
                  ["105", "Chuyển sinh hoạt trong đảng bộ", "31/08/2025", "38.001.003", "", "", ""]]
        members = [m if m[0] != "105" else [*m[:5], "38.001.003", *m[6:]] for m in MEMBERS]
        self.write(units=self.UNITS, members=members, events=events)
        self.assert_refused(self.run_migration(), migration.MEMBERS_FILE, 4, "ngày 31/08/2025")


class QualityTests(NewCellMixin, BaseTestCase):
    def setUp(self):
        # A record written before the rule: admitted a month before its cell began.
        self.broken = make_member(self.new_cell, "Tạ Văn Sớm", status="du_bi", admitted_on=BEGAN)
        MemberEvent.objects.filter(member=self.broken).update(on=date(2025, 8, 1))
        Member.objects.filter(pk=self.broken.pk).update(admitted_on=date(2025, 8, 1))

    def test_the_page_and_its_export_list_the_record_for_commune_a_only(self):
        [problem] = [p for p in quality.problems(self.commune_a, self.binh) if p.member_id == self.broken.pk]
        self.assertIn("Kết nạp ngày 01/08/2025 ở “Chi bộ Khu dân cư Mới”", problem.problem)
        self.assertIn("chỉ hoạt động từ 01/09/2025", problem.problem)
        self.client.force_login(self.binh)
        query = f"?don_vi={self.commune_a.pk}"
        self.assertContains(self.client.get(reverse("members-quality") + query), "Kết nạp ngày 01/08/2025")
        ws = load_workbook(io.BytesIO(self.client.get(reverse("members-quality-export") + query).content)).active
        self.assertIn(("Tạ Văn Sớm", problem.problem), [(r[1].value, r[3].value) for r in ws.iter_rows(min_row=2)])
        self.assertEqual(quality.problems(self.commune_b, self.dung), [])

    def test_a_placement_before_its_unit_began_is_listed_too(self):
        MemberEvent.objects.filter(member=self.broken).update(on=BEGAN)
        MemberPeriod.objects.filter(member=self.broken).update(valid_from=date(2025, 7, 1))
        [problem] = quality.outside_the_tree(Member.objects.filter(pk=self.broken.pk), 10)
        self.assertIn("Sinh hoạt ở “Chi bộ Khu dân cư Mới” từ 01/07/2025 đến nay", problem.problem)
