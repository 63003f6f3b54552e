"""Which kinds of unit may sit under which (orgs.rules.ALLOWED_PARENTS), in every restructuring and in the
national migration: a cell holds nothing but its tổ đảng."""

import csv
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

from django.test import TestCase, override_settings

from core.errors import DomainError
from dangvu.testing import BaseTestCase, make_member, make_unit
from members import migration
from orgs.models import Kind, OrgUnit
from orgs.rules import ALLOWED_PARENTS, placement_problem
from orgs.services import merge_units, move_unit, split_unit

DAY = date(2026, 1, 1)


class PlacementTests(BaseTestCase):
    def school(self):
        school = make_unit(self.commune_a, "Đảng bộ Trường THPT An Hòa", Kind.GRASSROOTS_COMMITTEE)
        make_member(make_unit(school, "Chi bộ Giáo viên"), "Lê Thị Giảng")
        return school

    def test_a_grassroots_committee_merged_into_a_cell_is_refused_and_changes_nothing(self):
        school = self.school()
        with self.assertRaisesMessage(DomainError, "“Chi bộ Giáo viên” (chi bộ trực thuộc) không thể trực thuộc "
                                                   "“Chi bộ thôn An Phú” (chi bộ trực thuộc)"):
            merge_units(school, self.cell_a1, on=DAY, by=self.admin)
        self.assertFalse(OrgUnit.objects.filter(parent=self.cell_a1).exists())
        self.assertIsNone(OrgUnit.objects.get(pk=school.pk).valid_to)

    def test_a_grassroots_committee_merged_into_a_commune_hands_it_its_cells(self):
        school = self.school()
        merge_units(school, self.commune_b, on=DAY, by=self.admin)
        self.assertEqual(OrgUnit.objects.get(name="Chi bộ Giáo viên").parent, self.commune_b)

    def test_a_cell_takes_a_party_group_and_nothing_else(self):
        make_unit(self.cell_a1, "Tổ đảng số 1", Kind.GROUP)
        with self.assertRaisesMessage(DomainError, "chi bộ trực thuộc chỉ trực thuộc"):
            make_unit(self.cell_a1, "Chi bộ con")
        with self.assertRaisesMessage(DomainError, "Quy định 294-QĐ/TW"):
            make_unit(self.cell_a1, "Đảng bộ bộ phận", Kind.SUB_COMMITTEE)

    def test_moving_a_cell_under_a_cell_is_refused_and_under_a_grassroots_committee_accepted(self):
        with self.assertRaises(DomainError) as caught:
            move_unit(self.cell_a2, self.cell_a1, on=DAY, by=self.admin)
        self.assertEqual(caught.exception.field, "new_parent")
        school = self.school()
        move_unit(self.cell_a2, school, on=DAY, by=self.admin)
        self.assertEqual(OrgUnit.objects.get(pk=self.cell_a2.pk).parent, school)

    def test_a_split_may_not_hand_cells_to_a_new_cell(self):
        school = self.school()
        teachers = OrgUnit.objects.get(name="Chi bộ Giáo viên")
        with self.assertRaisesMessage(DomainError, "không thể trực thuộc “Chi bộ mới”"):
            split_unit(school, [{"name": "Chi bộ mới", "kind": Kind.CELL, "children": [teachers.pk]}],
                       on=DAY, by=self.admin)
        [new] = split_unit(school, [{"name": "Đảng bộ mới", "kind": Kind.GRASSROOTS_COMMITTEE,
                                     "children": [teachers.pk]}], on=DAY, by=self.admin)
        self.assertEqual(OrgUnit.objects.get(pk=teachers.pk).parent, new)

    def test_a_cell_is_never_a_root(self):
        self.assertIsNotNone(placement_problem(Kind.CELL, None))
        self.assertIsNone(placement_problem(Kind.PROVINCE, None))

    @override_settings(RULES_OVERRIDES={"orgs.ALLOWED_PARENTS": {"chi_bo": ["chi_bo"]}})
    def test_an_administrator_may_change_the_map(self):
        self.assertIsNone(placement_problem(Kind.CELL, Kind.CELL))
        self.assertIsNotNone(placement_problem(Kind.CELL, Kind.COMMUNE))

    def test_every_kind_has_its_parents_written_down(self):
        self.assertEqual(set(ALLOWED_PARENTS), set(Kind))


UNIT_HEADER = ["Mã tổ chức", "Mã cấp trên", "Tên", "Tên ngắn", "Loại", "Ký hiệu", "Là TCCSĐ", "Ngày thành lập",
               "Ngày kết thúc"]


class MigrationPlacementTests(TestCase):
    def run_with(self, units: list[list[str]]) -> migration.Report:
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        files = {migration.UNITS_FILE: [UNIT_HEADER, *units],
                 migration.MEMBERS_FILE: [["Mã đảng viên", "Họ và tên", "Giới tính", "Ngày sinh", "Mã chi bộ",
                                           "Trạng thái", "Ngày vào Đảng"]],
                 migration.EVENTS_FILE: [["Mã đảng viên", "Sự kiện", "Ngày", "Mã tổ chức", "Trạng thái sau",
                                          "Số quyết định", "Ghi chú"]]}
        for name, rows in files.items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            (folder / name).write_text(text.getvalue(), encoding="utf-8")
        return migration.run(folder, progress=lambda _line: None)

    TREE = [
        ["38", "", "Đảng bộ tỉnh Thử Nghiệm", "", "Đảng bộ tỉnh/thành phố", "TU", "", "01/01/1990", ""],
        ["38.001", "38", "Đảng bộ xã An Hòa", "", "Đảng bộ xã/phường/đặc khu", "ĐU", "", "01/07/2025", ""],
        ["38.001.001", "38.001", "Chi bộ thôn An Phú", "", "Chi bộ trực thuộc", "CB", "", "01/07/2025", ""],
    ]

    def test_a_cell_under_a_cell_is_named_by_line_and_nothing_is_written(self):
        report = self.run_with([*self.TREE, ["38.001.001.01", "38.001.001", "Chi bộ con", "", "Chi bộ trực thuộc",
                                             "CB", "", "01/07/2025", ""]])
        [error] = report.errors
        self.assertEqual((error["file"], error["line"], error["column"]), (migration.UNITS_FILE, 5, "Loại"))
        self.assertIn("không thể trực thuộc “Chi bộ thôn An Phú”", error["message"])
        self.assertFalse(OrgUnit.objects.exists())

    def test_a_party_group_under_a_cell_loads(self):
        report = self.run_with([*self.TREE, ["38.001.001.01", "38.001.001", "Tổ đảng 1", "", "Tổ đảng", "", "",
                                             "01/07/2025", ""]])
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(OrgUnit.objects.get(code="38.001.001.01").parent.code, "38.001.001")
