"""The pages: a unit's targets, a plan's table with drill-down, a target with its parts; forms keep what was
typed on an error; a unit or target of commune A is 404 for dung."""

from dangvu.testing import VisibilityMixin  # noqa: I001
from targets import services
from targets.models import Target, TargetValue
from targets.rules import Mode
from targets.tests.world import TargetsTestCase


class PageTests(VisibilityMixin, TargetsTestCase):
    def setUp(self):
        self.whole = self.target(plans={2024: 100}, measure="đảng viên")
        self.a, self.b = services.cascade(self.whole, mode=Mode.ALLOCATE,
                                          parts=[(self.commune_a, {2024: 60}), (self.commune_b, {2024: 40})], by=self.an)
        services.enter_value(self.a, value=60, year=2024, by=self.an)
        services.enter_value(self.b, value=20, year=2024, by=self.an)

    def test_the_plan_shows_its_table_with_progress_and_the_rollup(self):
        self.client.force_login(self.an)
        page = self.client.get(f"/chi-tieu/van-ban/{self.plan.pk}/?nam=2024").content.decode()
        self.assertIn("Kết nạp đảng viên", page)
        self.assertIn("80 từ 2/2 đơn vị", page)
        self.assertIn("Chưa đạt", page)
        self.assertIn('class="meter"', page)
        self.assertIn("1/1 chỉ tiêu chưa đạt", page)

    def test_a_commune_reads_the_provinces_plan_as_the_parts_given_to_it(self):
        self.client.force_login(self.binh)
        page = self.client.get(f"/chi-tieu/van-ban/{self.plan.pk}/?nam=2024").content.decode()
        table = page.split('id="bang"')[1]
        self.assertIn("Đảng bộ xã An Hòa", table)
        self.assertIn(f"/chi-tieu/{self.a.pk}/", table)
        self.assertNotIn(f"/chi-tieu/{self.whole.pk}/", table)
        self.assertNotIn("Bình Sơn", table)

    def test_the_target_page_drills_down_to_the_communes(self):
        self.client.force_login(self.an)
        page = self.client.get(f"/chi-tieu/{self.whole.pk}/?nam=2024").content.decode()
        table = page.split('id="bang-cap-duoi"')[1].split("</table>")[0]
        self.assertIn("Đảng bộ xã An Hòa", table)
        self.assertIn(f"/chi-tieu/{self.a.pk}/", table)
        self.assertIn("Đạt", table)

    def test_the_tree_unit_page_and_the_menu_lead_to_the_targets(self):
        self.client.force_login(self.binh)
        page = self.client.get(f"/to-chuc/{self.commune_a.pk}/").content.decode()
        self.assertIn(f"/chi-tieu/to-chuc/{self.commune_a.pk}/", page)
        self.assertIn('<a href="/chi-tieu/">Chỉ tiêu</a>', page)
        self.assertRedirects(self.client.get("/chi-tieu/"), f"/chi-tieu/to-chuc/{self.commune_a.pk}/")

    def test_dung_gets_404_for_commune_a(self):
        for url in (f"/chi-tieu/to-chuc/{self.commune_a.pk}/", f"/chi-tieu/{self.a.pk}/",
                    f"/chi-tieu/van-ban/{self.plan_a.pk}/", f"/chi-tieu/to-chuc/{self.commune_a.pk}/xuat-excel/"):
            self.assert_page_hidden_from_dung(url)

    def test_dungs_own_page_names_nothing_of_a(self):
        self.client.force_login(self.dung)
        page = self.client.get(f"/chi-tieu/to-chuc/{self.commune_b.pk}/?nam=2024")
        self.assertEqual(page.status_code, 200)
        self.assert_no_trace_of_a(page.content)

    def test_a_wrong_value_keeps_what_was_typed_and_writes_nothing(self):
        self.client.force_login(self.binh)
        r = self.client.post(f"/chi-tieu/{self.a.pk}/ket-qua/", {
            "ket-qua-year": "2024", "ket-qua-value": "sáu mươi", "ket-qua-evidence": "Báo cáo quý"})
        self.assertEqual(r.status_code, 400)
        page = r.content.decode()
        self.assertIn("không phải là số", page)
        self.assertIn('value="sáu mươi"', page)
        self.assertIn("Báo cáo quý", page)
        self.assertEqual(TargetValue.objects.get(target=self.a).value, 60)

    def test_a_cascade_over_the_whole_is_refused_on_the_page_with_the_shares_kept(self):
        self.client.force_login(self.binh)
        r = self.client.post(f"/chi-tieu/{self.a.pk}/giao/", {
            "giao-mode": "phan_bo", f"giao-u{self.cell_a1.pk}_2024": "40", f"giao-u{self.cell_a2.pk}_2024": "25"})
        self.assertEqual(r.status_code, 400)
        page = r.content.decode()
        self.assertIn("vượt chỉ tiêu chung 60", page)
        self.assertIn('value="25"', page)
        self.assertFalse(Target.objects.filter(parent=self.a).exists())
        r = self.client.post(f"/chi-tieu/{self.a.pk}/giao/", {
            "giao-mode": "phan_bo", f"giao-u{self.cell_a1.pk}_2024": "35", f"giao-u{self.cell_a2.pk}_2024": "25"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Target.objects.filter(parent=self.a).count(), 2)

    def test_adding_a_target_on_the_page(self):
        self.client.force_login(self.binh)
        data = {"chi-tieu-document": self.plan_a.pk, "chi-tieu-group": self.whole.group_id,
                "chi-tieu-name": "Tỷ lệ đảng viên so với dân số", "chi-tieu-kind": "ty_le_dan_so",
                "chi-tieu-direction": "it_nhat", "chi-tieu-from_year": "2025", "chi-tieu-to_year": "2025",
                "chi-tieu-plans": "140", "chi-tieu-source": "nhap"}
        r = self.client.post(f"/chi-tieu/to-chuc/{self.commune_a.pk}/them/", data)
        self.assertEqual(r.status_code, 400)
        self.assertIn("không quá 100%", r.content.decode())
        self.assertIn("Tỷ lệ đảng viên so với dân số", r.content.decode())
        data["chi-tieu-plans"] = "4,2"
        r = self.client.post(f"/chi-tieu/to-chuc/{self.commune_a.pk}/them/", data)
        self.assertEqual(r.status_code, 302)
        t = Target.objects.get(name="Tỷ lệ đảng viên so với dân số")
        self.assertEqual((t.unit, str(t.plans.get().value)), (self.commune_a, "4.20"))

    def test_the_excel_export_of_a_unit(self):
        self.client.force_login(self.binh)
        r = self.client.get(f"/chi-tieu/to-chuc/{self.commune_a.pk}/xuat-excel/?nam=2024")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.content.startswith(b"PK"))

    def test_a_cell_secretary_sees_no_forms_and_may_not_post(self):
        [cell] = services.cascade(self.a, mode=Mode.THRESHOLD, parts=[(self.cell_a1, None)], by=self.an)
        self.client.force_login(self.chi)
        page = self.client.get(f"/chi-tieu/{cell.pk}/?nam=2024").content.decode()
        self.assertNotIn("Nhập kết quả</h2>", page)
        r = self.client.post(f"/chi-tieu/{cell.pk}/ket-qua/", {"ket-qua-year": "2024", "ket-qua-value": "5"})
        self.assertEqual(r.status_code, 403)


class FormPageTests(TargetsTestCase):
    def test_an_import_with_a_bad_row_lists_it_and_writes_nothing_then_a_good_one_writes_all(self):
        from targets.tests.world import workbook

        self.client.force_login(self.binh)
        rows = [("Phát triển kinh tế", "Thu ngân sách", "Số lượng", "Ít nhất", "tỷ đồng", 2025, 120, 125, ""),
                ("Văn hóa – xã hội", "Tỷ lệ hộ nghèo", "Tỷ lệ (%)", "Không quá", "%", 2025, 3, "140", "")]
        url = f"/chi-tieu/to-chuc/{self.commune_a.pk}/nhap-excel/"
        r = self.client.post(url, {"nhap-document": self.plan_a.pk, "nhap-file": workbook(rows)})
        self.assertEqual(r.status_code, 400)
        report = r.content.decode().split('id="loi-nhap"')[1].split("</table>")[0]
        self.assertIn("<td>3</td>", report)
        self.assertIn("không quá 100%", report)
        self.assertFalse(Target.objects.filter(unit=self.commune_a).exists())
        rows[1] = rows[1][:7] + ("3,2", "")
        r = self.client.post(url, {"nhap-document": self.plan_a.pk, "nhap-file": workbook(rows)})
        self.assertEqual(r.status_code, 302)
        page = self.client.get(f"/chi-tieu/to-chuc/{self.commune_a.pk}/?nam=2025").content.decode()
        self.assertIn("1/2 chỉ tiêu chưa đạt", page)

    def test_population_on_the_page_and_the_computed_share(self):
        self.client.force_login(self.binh)
        url = f"/chi-tieu/to-chuc/{self.commune_a.pk}/dan-so/"
        r = self.client.post(url, {"dan-so-on": "01/01/2026", "dan-so-value": "80", "dan-so-source": ""})
        self.assertEqual(r.status_code, 400)
        self.assertIn('value="80"', r.content.decode())
        r = self.client.post(url, {"dan-so-on": "01/01/2026", "dan-so-value": "80", "dan-so-source": "Công an xã"})
        self.assertEqual(r.status_code, 302)
        t = self.target(unit=self.commune_a, document=self.plan_a, plans={2026: 4}, kind="ty_le_dan_so",
                        source="tinh", computed_key="dang_vien_dan_so", name="Đảng viên so với dân số")
        r = self.client.post(f"/chi-tieu/{t.pk}/tinh/?nam=2026")
        self.assertEqual(r.status_code, 302)
        stored = TargetValue.objects.get(target=t)
        self.assertTrue(stored.computed)
        self.assertEqual(float(stored.value), 3.75)  # 3 members of 80 people
