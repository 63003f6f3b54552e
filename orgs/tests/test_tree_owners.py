"""The tree kept by its owners (issue 14 item 5): officers set up, change and import units of their subtree."""

import io
from datetime import date

from django.urls import reverse
from openpyxl import Workbook

from access.rules import Role
from audit.models import AuditEntry
from core.errors import DomainError
from dangvu.testing import FOUNDED, REFORM, BaseTestCase, VisibilityMixin, make_unit, make_user
from orgs import importer
from orgs.models import Kind, OrgUnit, OrgUnitVersion
from orgs.services import close_unit, create_unit, rename_unit

ORGS = "/api/v1/orgs"
CELL_DAY = date(2025, 9, 1)
NEW_CELL = "Chi bộ thôn An Mỹ"


def cell_body(parent, valid_from="2025-09-01", **kw) -> dict:
    return {"parent": parent.pk, "name": NEW_CELL, "kind": "chi_bo", "valid_from": valid_from,
            "decision": {"number": "125-QĐ/ĐU", "date": "2025-08-25", "body": "BTVĐU xã An Hòa"}, **kw}


class WithOldDistrict(BaseTestCase):
    """The province's district of before 01/7/2025, closed since (the tree of a past term hangs under it)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district = make_unit(cls.province, "Huyện ủy Cũ", Kind.DISTRICT, on=FOUNDED)
        close_unit(cls.district, on=REFORM, by=None)


class CreateServiceTests(WithOldDistrict):
    def test_binh_sets_up_a_cell_of_commune_a_with_its_decision(self):
        cell = create_unit(self.commune_a, kind=Kind.CELL, name=NEW_CELL, on=CELL_DAY, by=self.binh,
                           decision_number="125-QĐ/ĐU", decision_date=date(2025, 8, 25), decision_body="BTVĐU")
        self.assertEqual((cell.parent, cell.valid_from, cell.decision_body), (self.commune_a, CELL_DAY, "BTVĐU"))
        entry = AuditEntry.objects.get(action="orgs.unit.created", object_id=str(cell.pk))
        self.assertEqual(entry.after["decision_number"], "125-QĐ/ĐU")

    def test_a_cell_before_the_commune_began_is_refused_with_the_communes_start_date(self):
        with self.assertRaises(DomainError) as caught:
            create_unit(self.commune_a, kind=Kind.CELL, name=NEW_CELL, on=date(1989, 6, 1), by=self.binh)
        self.assertIn("01/01/1990", caught.exception.message)  # the world's communes: dangvu.testing.FOUNDED
        self.assertIn("Đảng bộ xã An Hòa", caught.exception.message)
        self.assertFalse(OrgUnit.objects.filter(name=NEW_CELL).exists())

    def test_binh_keeps_the_cells_of_commune_a_but_not_the_commune_itself(self):
        # The province decides its communes; a commune's officer reshapes only what is below the commune.
        for change in (lambda: rename_unit(self.commune_a, name="Đảng bộ xã An Hòa Mới", on=CELL_DAY, by=self.binh),
                       lambda: close_unit(self.commune_a, on=CELL_DAY, by=self.binh)):
            with self.assertRaises(DomainError) as caught:
                change()
            self.assertIn("do cấp trên của nó quyết định", caught.exception.message)
        rename_unit(self.cell_a1, name="Chi bộ thôn An Phú Đông", on=CELL_DAY, by=self.binh)
        rename_unit(self.commune_a, name="Đảng bộ xã An Hòa Mới", on=CELL_DAY, by=self.an)
        self.assertEqual(OrgUnit.objects.get(pk=self.commune_a.pk).name, "Đảng bộ xã An Hòa Mới")

    def test_a_kind_that_cannot_sit_under_the_parent_is_refused(self):
        with self.assertRaises(DomainError) as caught:
            create_unit(self.commune_a, kind=Kind.PROVINCE, name="Tỉnh lạ", on=CELL_DAY, by=self.binh)
        self.assertIn("không thể trực thuộc", caught.exception.message)

    def test_an_open_unit_under_a_closed_parent_is_refused(self):
        with self.assertRaises(DomainError) as caught:
            create_unit(self.district, kind=Kind.COMMUNE, name="Đảng bộ xã Cũ", on=date(2016, 1, 1), by=self.an)
        self.assertIn("đã kết thúc hoạt động từ 01/07/2025", caught.exception.message)

    def test_a_unit_of_a_past_term_outliving_its_parent_is_refused(self):
        with self.assertRaises(DomainError):
            create_unit(self.district, kind=Kind.COMMUNE, name="Đảng bộ xã Cũ", on=date(2016, 1, 1),
                        valid_to=date(2025, 12, 31), by=self.an)

    def test_an_builds_the_tree_of_a_past_term_under_the_closed_district(self):
        old = create_unit(self.district, kind=Kind.COMMUNE, name="Đảng bộ xã Cũ", on=date(2015, 1, 1),
                          valid_to=date(2020, 6, 30), by=self.an)
        self.assertFalse(old.is_open)
        on_2018 = OrgUnitVersion.objects.on(date(2018, 1, 1)).filter(unit=old).get()
        self.assertEqual(on_2018.parent, self.district)
        self.assertFalse(OrgUnitVersion.objects.on(date(2021, 1, 1)).filter(unit=old).exists())

    def test_a_start_still_to_come_is_refused(self):
        with self.assertRaises(DomainError):
            create_unit(self.commune_a, kind=Kind.CELL, name=NEW_CELL, on=date(2999, 1, 1), by=self.binh)

    def test_dung_may_not_set_up_a_unit_in_commune_a(self):
        with self.assertRaises(DomainError):
            create_unit(self.commune_a, kind=Kind.CELL, name=NEW_CELL, on=CELL_DAY, by=self.dung)
        self.assertFalse(OrgUnit.objects.filter(name=NEW_CELL).exists())


class CreateApiTests(VisibilityMixin, BaseTestCase):
    def test_binh_creates_the_cell_and_gets_201_with_the_unit(self):
        response = self.api(self.binh, "post", ORGS, data=cell_body(self.commune_a))
        self.assertEqual(response.status_code, 201, response.content.decode())
        body = response.json()
        self.assertEqual((body["name"], body["parent_id"], body["valid_from"]), (NEW_CELL, self.commune_a.pk, "2025-09-01"))
        cell = OrgUnit.objects.get(pk=body["id"])
        self.assertEqual((cell.decision_number, cell.decision_date, cell.decision_body),
                         ("125-QĐ/ĐU", date(2025, 8, 25), "BTVĐU xã An Hòa"))

    def test_the_tree_of_31_august_does_not_show_the_cell_and_that_of_1_september_does(self):
        unit_id = self.api(self.binh, "post", ORGS, data=cell_body(self.commune_a)).json()["id"]
        before = self.api(self.binh, "get", f"{ORGS}?on=2025-08-31").json()["items"]
        after = self.api(self.binh, "get", f"{ORGS}?on=2025-09-01").json()["items"]
        self.assertNotIn(unit_id, [u["id"] for u in before])
        self.assertIn(unit_id, [u["id"] for u in after])

    def test_dung_gets_404_under_commune_a_and_nothing_is_written(self):
        response = self.api(self.dung, "post", ORGS, data=cell_body(self.commune_a))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(OrgUnit.objects.filter(name=NEW_CELL).exists())

    def test_a_viewer_without_the_right_gets_403_and_nothing_is_written(self):
        viewer = make_user("xem", self.commune_a, Role.VIEWER)
        self.assertEqual(self.api(viewer, "post", ORGS, data=cell_body(self.commune_a)).status_code, 403)
        self.assertEqual(self.api(self.chi, "post", ORGS, data=cell_body(self.cell_a1, kind="to_dang")).status_code, 403)
        self.assertFalse(OrgUnit.objects.filter(name=NEW_CELL).exists())

    def test_a_cell_before_the_commune_began_is_refused_with_its_start_date(self):
        response = self.api(self.binh, "post", ORGS, data=cell_body(self.commune_a, valid_from="1989-12-31"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("01/01/1990", response.json()["detail"])
        self.assertFalse(OrgUnit.objects.filter(name=NEW_CELL).exists())

    def test_binh_renames_moves_and_closes_a_cell(self):
        cell = self.api(self.binh, "post", ORGS, data=cell_body(self.commune_a)).json()["id"]
        renamed = self.api(self.binh, "post", f"{ORGS}/{cell}/rename", data={"name": "Chi bộ thôn An Mỹ Đông", "on": "2025-10-01"})
        self.assertEqual(renamed.json()["name"], "Chi bộ thôn An Mỹ Đông")
        moved = self.api(self.an, "post", f"{ORGS}/{cell}/move", data={"parent": self.commune_b.pk, "on": "2025-11-01"})
        self.assertEqual(moved.status_code, 200, moved.content.decode())
        self.assertEqual(OrgUnit.objects.get(pk=cell).parent, self.commune_b)
        self.assertEqual(self.api(self.binh, "post", f"{ORGS}/{cell}/close", data={"on": "2025-12-01"}).status_code, 404)
        closed = self.api(self.dung, "post", f"{ORGS}/{cell}/close", data={"on": "2025-12-01"})
        self.assertEqual(closed.json()["valid_to"], "2025-11-30")
        actions = set(AuditEntry.objects.filter(object_id=str(cell)).values_list("action", flat=True))
        self.assertEqual(actions, {"orgs.unit.created", "orgs.unit.renamed", "orgs.unit.moved", "orgs.unit.closed"})


class CreatePageTests(VisibilityMixin, BaseTestCase):
    def form(self, **kw) -> dict:
        return {"name": NEW_CELL, "kind": "chi_bo", "on": "01/09/2025", "decision_number": "125-QĐ/ĐU",
                "decision_date": "25/08/2025", "decision_body": "BTVĐU", **kw}

    def test_the_unit_page_leads_binh_to_managing_the_tree(self):
        self.client.force_login(self.binh)
        response = self.client.get(reverse("orgs-detail", args=[self.commune_a.pk]))
        self.assertContains(response, "Quản lý cây tổ chức")
        self.assertContains(response, reverse("orgs-create", args=[self.commune_a.pk]))

    def test_binh_previews_then_creates_the_cell(self):
        self.client.force_login(self.binh)
        url = reverse("orgs-create", args=[self.commune_a.pk])
        preview = self.client.post(url, {**self.form(), "buoc": "xem-truoc"})
        self.assertContains(preview, "Xác nhận")
        self.assertFalse(OrgUnit.objects.filter(name=NEW_CELL).exists())
        response = self.client.post(url, {**self.form(), "buoc": "xac-nhan"})
        cell = OrgUnit.objects.get(name=NEW_CELL)
        self.assertRedirects(response, reverse("orgs-detail", args=[cell.pk]))
        self.assertEqual((cell.valid_from, cell.parent, cell.decision_body), (CELL_DAY, self.commune_a, "BTVĐU"))

    def test_a_date_before_the_commune_keeps_what_was_typed_and_names_the_start(self):
        self.client.force_login(self.binh)
        response = self.client.post(reverse("orgs-create", args=[self.commune_a.pk]),
                                    {**self.form(on="15/08/1989"), "buoc": "xac-nhan"})
        self.assertContains(response, "01/01/1990")
        self.assertContains(response, f'value="{NEW_CELL}"')
        self.assertContains(response, 'value="125-QĐ/ĐU"')
        self.assertFalse(OrgUnit.objects.filter(name=NEW_CELL).exists())

    def test_the_kinds_offered_are_those_that_fit_under_the_unit(self):
        self.client.force_login(self.binh)
        kinds = dict(self.client.get(reverse("orgs-create", args=[self.cell_a1.pk])).context["form"].fields["kind"].choices)
        self.assertEqual(set(kinds) - {""}, {Kind.GROUP})

    def test_dung_gets_404_for_the_form_under_commune_a(self):
        self.assert_page_hidden_from_dung(reverse("orgs-create", args=[self.commune_a.pk]))


def sheet(*rows) -> io.BytesIO:
    book = Workbook()
    book.active.append([header for header, _ in importer.COLUMNS.values()])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


class ImportTests(WithOldDistrict):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        OrgUnit.objects.filter(pk=cls.district.pk).update(code="H-CU")
        OrgUnit.objects.filter(pk=cls.commune_a.pk).update(code="X-AH")

    def test_an_imports_the_tree_of_a_past_term(self):
        result = importer.import_tree(sheet(
            ("X-CU", "Đảng bộ xã Cũ", "Đảng bộ xã/phường/đặc khu", "H-CU", "01/01/2015", "30/06/2020"),
            ("CB-CU", "Chi bộ thôn Cũ", "chi_bo", "X-CU", "01/01/2015", "31/12/2019"),
        ), by=self.an)
        self.assertEqual(result.problems, [])
        old_cell = OrgUnit.objects.get(code="CB-CU")
        self.assertEqual((old_cell.parent.code, old_cell.valid_to), ("X-CU", date(2019, 12, 31)))

    def test_a_cycle_is_refused_and_nothing_is_written(self):
        result = importer.import_tree(sheet(
            ("C1", "Chi bộ Một", "chi_bo", "C2", "01/09/2025", None),
            ("C2", "Đảng bộ bộ phận Hai", "dang_bo_bo_phan", "C1", "01/09/2025", None),
        ), by=self.binh)
        self.assertTrue(any("thành vòng" in p.message for p in result.problems))
        self.assertFalse(OrgUnit.objects.filter(code__in=["C1", "C2"]).exists())

    def test_an_unknown_parent_code_is_refused_row_by_row(self):
        result = importer.import_tree(sheet(
            ("C1", "Chi bộ Một", "chi_bo", "X-AH", "01/09/2025", None),
            ("C2", "Chi bộ Hai", "chi_bo", "KHONG-CO", "01/09/2025", None),
        ), by=self.binh)
        self.assertEqual([(p.row, p.value) for p in result.problems], [(3, "KHONG-CO")])
        self.assertFalse(OrgUnit.objects.filter(code="C1").exists())

    def test_a_parent_outside_reach_is_unknown(self):
        result = importer.import_tree(sheet(("C1", "Chi bộ Một", "chi_bo", "X-AH", "01/09/2025", None)), by=self.dung)
        self.assertIn("Không có tổ chức mã “X-AH”", result.problems[0].message)

    def test_one_row_the_services_refuse_rolls_back_every_row(self):
        result = importer.import_tree(sheet(
            ("C1", "Chi bộ Một", "chi_bo", "X-AH", "01/09/2025", None),
            ("C2", "Chi bộ Hai", "chi_bo", "X-AH", "01/06/1989", None),
        ), by=self.binh)
        self.assertEqual([p.row for p in result.problems], [3])
        self.assertIn("01/01/1990", result.problems[0].message)
        self.assertFalse(OrgUnit.objects.filter(code__in=["C1", "C2"]).exists())
        self.assertFalse(AuditEntry.objects.filter(action="orgs.unit.created", unit_name="Chi bộ Một").exists())

    def test_a_zip_bomb_is_refused_before_it_is_parsed(self):
        from members.tests.hostile import zip_bomb  # the member import's hostile corpus

        before = OrgUnit.objects.count()
        result = importer.import_tree(io.BytesIO(zip_bomb(200_000)), by=self.binh)
        self.assertIn("quá giới hạn", result.problems[0].message)
        self.assertEqual(OrgUnit.objects.count(), before)

    def test_the_row_cap_refuses_a_longer_file(self):
        rows = [(f"C{i}", f"Chi bộ {i}", "chi_bo", "X-AH", "01/09/2025", None) for i in range(importer.MAX_ROWS + 1)]
        result = importer.import_tree(sheet(*rows), by=self.binh)
        self.assertIn("hãy chia", result.problems[0].message)
        self.assertFalse(OrgUnit.objects.filter(code="C1").exists())

    def test_the_page_shows_the_report_and_imports_a_good_file(self):
        self.client.force_login(self.binh)
        bad = sheet(("C1", "Chi bộ Một", "chi_lạ", "X-AH", "01/09/2025", None))
        bad.name = "cay.xlsx"
        response = self.client.post(reverse("orgs-import"), {"tep": bad})
        self.assertContains(response, "Loại tổ chức không có")
        good = sheet(("C1", "Chi bộ Một", "Chi bộ trực thuộc", "X-AH", "01/09/2025", None))
        good.name = "cay.xlsx"
        response = self.client.post(reverse("orgs-import"), {"tep": good})
        self.assertRedirects(response, reverse("orgs-detail", args=[self.commune_a.pk]))
        self.assertTrue(OrgUnit.objects.filter(code="C1", parent=self.commune_a).exists())

    def test_the_template_downloads_for_an_officer_and_not_for_a_secretary(self):
        self.client.force_login(self.binh)
        self.assertEqual(self.client.get(reverse("orgs-import-template")).status_code, 200)
        self.client.force_login(self.chi)
        self.assertEqual(self.client.get(reverse("orgs-import")).status_code, 403)
