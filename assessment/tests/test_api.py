"""The classification API: summary shape and sums, rounds list scoped (404 outside the subtree), the steps."""

from assessment import services
from assessment.rules import Level, Subject
from assessment.tests.world import DECIDED_ON, YEAR, AssessmentTestCase
from dangvu.testing import VisibilityMixin, make_member


class ApiTests(VisibilityMixin, AssessmentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        people = [make_member(cls.cell_a1, f"Người {i}") for i in range(3)]
        services.record_results(cls.round_a, [{"member": people[0], "level": Level.GOOD, "score": 80},
                                              {"member": people[1], "level": Level.GOOD, "score": 75},
                                              {"member": people[2], "level": Level.DONE, "score": 60}],
                                body=cls.du_a, decided_on=DECIDED_ON, by=None)

    def test_summary_adds_up(self):
        r = self.api(self.binh, "get", f"/api/v1/classification/summary?unit={self.commune_a.pk}&year={YEAR}"
                                       "&subject=members")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["total"], 3)
        self.assertEqual([lv["level"] for lv in body["levels"]], list(Level.values))
        self.assertEqual(sum(lv["count"] for lv in body["levels"]), 3)
        self.assertAlmostEqual(sum(lv["percent"] for lv in body["levels"]), 100.0, places=6)
        self.assertEqual(body["levels"][1], {"level": "tot", "label": "Hoàn thành tốt nhiệm vụ", "count": 2,
                                             "percent": 66.67})

    def test_outside_the_subtree_is_404(self):
        self.assert_api_hidden_from_dung(f"/api/v1/classification/summary?unit={self.commune_a.pk}&year={YEAR}")
        self.assert_api_hidden_from_dung(f"/api/v1/classification/rounds/{self.round_a.pk}")
        self.assert_api_hidden_from_dung(f"/api/v1/classification/rounds?unit={self.commune_a.pk}")
        rows = self.api(self.dung, "get", "/api/v1/classification/rounds").json()
        self.assertEqual(rows["count"], 0)
        self.assertEqual(self.api(self.binh, "get", "/api/v1/classification/rounds").json()["count"], 1)

    def test_steps_over_the_api_and_the_quota_message(self):
        m = make_member(self.cell_a2, "Qua API")
        r = self.api(self.binh, "post", f"/api/v1/classification/rounds/{self.round_a.pk}/ratings",
                     data={"member": m.pk, "score": 95, "level": "xuat_sac", "on": "2025-12-01"})
        self.assertEqual(r.status_code, 201, r.content)
        rid = r.json()["id"]
        r = self.api(self.binh, "post", f"/api/v1/classification/ratings/{rid}/decision",
                     data={"level": "xuat_sac", "body": self.du_a.pk, "on": "2025-12-20"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("chưa có đề xuất", r.json()["detail"])
        r = self.api(self.binh, "post", f"/api/v1/classification/ratings/{rid}/proposal",
                     data={"level": "xuat_sac", "on": "2025-12-10"})
        self.assertEqual(r.status_code, 200, r.content)
        r = self.api(self.binh, "post", f"/api/v1/classification/ratings/{rid}/decision",
                     data={"level": "xuat_sac", "body": self.du_a.pk, "on": "2025-12-20"})
        self.assertEqual(r.status_code, 400)  # 2 good: 20% of 2 = 0.4 -> 0 excellent
        self.assertIn("QĐ 366-QĐ/TW Điều 11", r.json()["detail"])
        r = self.api(self.binh, "post", f"/api/v1/classification/ratings/{rid}/decision",
                     data={"level": "tot", "body": self.du_a.pk, "on": "2025-12-20", "reason": "Theo tỷ lệ"})
        self.assertEqual(r.json()["result"], "tot")

    def test_bad_score_and_no_right(self):
        r = self.api(self.binh, "post", f"/api/v1/classification/rounds/{self.round_a.pk}/ratings",
                     data={"member": self.member_a1.pk, "score": 120, "level": "tot"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("thang 100 điểm", r.json()["detail"])
        viewer_403 = self.api(self.chi, "post", "/api/v1/classification/rounds",
                              data={"unit": self.commune_a.pk, "year": 2024, "subject": "members"})
        self.assertEqual(viewer_403.status_code, 404)  # the cell's secretary does not see the commune
        r = self.api(self.binh, "post", "/api/v1/classification/rounds",
                     data={"unit": self.commune_a.pk, "year": 2024, "subject": Subject.ORGANIZATIONS})
        self.assertEqual(r.status_code, 201, r.content)
