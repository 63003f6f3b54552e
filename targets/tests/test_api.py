"""The targets API: the list with status, value and plan; create, cascade and enter a value; 404 outside the
caller's subtree, 403 without the right."""

from targets import services
from targets.models import Target
from targets.rules import Mode
from targets.tests.world import TargetsTestCase


class ApiTests(TargetsTestCase):
    def setUp(self):
        self.whole = self.target(plans={2024: 100})
        self.a, self.b = services.cascade(self.whole, mode=Mode.ALLOCATE,
                                          parts=[(self.commune_a, {2024: 60}), (self.commune_b, {2024: 40})], by=self.an)
        services.enter_value(self.a, value=61, year=2024, by=self.an)

    def test_the_list_gives_group_name_status_value_and_plan(self):
        r = self.api(self.binh, "get", f"/api/v1/targets?unit={self.commune_a.pk}&year=2024")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["count"], 1)
        item = body["items"][0]
        self.assertEqual((item["group"], item["name"], item["status"], float(item["value"]), float(item["planned"])),
                         ("Xây dựng Đảng và hệ thống chính trị", "Kết nạp đảng viên", "vuot", 61, 60))
        self.assertEqual(body["summary"], "0/1 chỉ tiêu chưa đạt")

    def test_the_province_sees_the_rollup_once_both_communes_reported(self):
        services.enter_value(self.b, value=30, year=2024, by=self.an)
        item = self.api(self.an, "get", f"/api/v1/targets?unit={self.province.pk}&year=2024").json()["items"][0]
        self.assertEqual((item["status"], float(item["value"]), item["parts"], item["parts_reported"]),
                         ("chua_dat", 91, 2, 2))

    def test_dung_gets_404_for_commune_a_and_its_targets(self):
        self.assertEqual(self.api(self.dung, "get", f"/api/v1/targets?unit={self.commune_a.pk}").status_code, 404)
        self.assertEqual(self.api(self.dung, "get", f"/api/v1/targets/{self.a.pk}").status_code, 404)
        self.assertEqual(self.api(self.binh, "get", f"/api/v1/targets/{self.whole.pk}").status_code, 404)
        r = self.api(self.dung, "post", f"/api/v1/targets/{self.a.pk}/values", data={"value": 1, "year": 2024})
        self.assertEqual(r.status_code, 404)

    def test_a_cell_secretary_reads_but_may_not_write(self):
        mine = services.cascade(self.a, mode=Mode.ALLOCATE, parts=[(self.cell_a1, {2024: 10})], by=self.an)[0]
        self.assertEqual(self.api(self.chi, "get", f"/api/v1/targets/{mine.pk}?year=2024").status_code, 200)
        r = self.api(self.chi, "post", f"/api/v1/targets/{mine.pk}/values", data={"value": 1, "year": 2024})
        self.assertEqual(r.status_code, 403)

    def test_create_cascade_and_enter_values(self):
        r = self.api(self.binh, "post", "/api/v1/targets", data={
            "unit": self.commune_a.pk, "document": self.plan_a.pk, "group": "xay_dung_dang",
            "name": "Chi bộ hoàn thành tốt nhiệm vụ", "kind": "ty_le", "plans": {"2025": 90, "2026": "92,5"}})
        self.assertEqual(r.status_code, 201, r.json())
        tid = r.json()["id"]
        self.assertEqual([float(p["value"]) for p in r.json()["plans"]], [90, 92.5])
        r = self.api(self.binh, "post", f"/api/v1/targets/{tid}/cascade",
                     data={"mode": "cung_nguong", "parts": [{"unit": self.cell_a1.pk}, {"unit": self.cell_a2.pk}]})
        self.assertEqual(r.status_code, 201, r.json())
        self.assertEqual(len(r.json()), 2)
        r = self.api(self.binh, "post", f"/api/v1/targets/{tid}/values", data={"value": "140", "year": 2025})
        self.assertEqual(r.status_code, 400)
        self.assertIn("100%", r.json()["detail"])
        r = self.api(self.binh, "post", f"/api/v1/targets/{tid}/values",
                     data={"value": "89", "year": 2025, "evidence": "Báo cáo 10-BC/ĐU"})
        self.assertEqual(r.status_code, 201)
        self.assertEqual(r.json()["status"], "chua_dat")

    def test_a_cascade_whose_parts_exceed_the_whole_answers_400_and_writes_nothing(self):
        [cell] = services.cascade(self.a, mode=Mode.ALLOCATE, parts=[(self.cell_a1, {2024: 50})], by=self.an)
        r = self.api(self.binh, "post", f"/api/v1/targets/{self.a.pk}/cascade",
                     data={"mode": "phan_bo", "parts": [{"unit": self.cell_a2.pk, "plans": {"2024": 11}}]})
        self.assertEqual(r.status_code, 400)
        self.assertIn("vượt chỉ tiêu chung", r.json()["detail"])
        self.assertEqual(Target.objects.filter(parent=self.a).count(), 1)

    def test_text_for_a_count_answers_400(self):
        r = self.api(self.binh, "post", f"/api/v1/targets/{self.a.pk}/values", data={"value": "nhiều", "year": 2024})
        self.assertEqual(r.status_code, 400)

    def test_population(self):
        r = self.api(self.binh, "post", "/api/v1/population",
                     data={"unit": self.commune_a.pk, "on": "2026-01-01", "value": 12000, "source": "Công an xã"})
        self.assertEqual(r.status_code, 201)
        r = self.api(self.dung, "post", "/api/v1/population",
                     data={"unit": self.commune_a.pk, "on": "2026-01-01", "value": 12000, "source": "Công an xã"})
        self.assertEqual(r.status_code, 404)
