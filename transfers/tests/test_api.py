"""The API: list and detail scoped by both units (404 outside both), the steps with 403 on the wrong side,
refusals as 400 with the rule's message."""

from access.rules import Role
from dangvu.testing import VisibilityMixin, make_user
from transfers.tests.world import ACCEPTED, REASON, STARTED, TransferTestCase


class ApiTests(VisibilityMixin, TransferTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.secretary_a2 = make_user("thu", cls.cell_a2, Role.CELL_SECRETARY)

    def post_start(self, user, **kw):
        body = {"member": self.member_a1.pk, "kind": "chinh_thuc", "purpose": "cu_tru", "to_unit": self.cell_b1.pk,
                "reason_on": REASON.isoformat(), "started_on": STARTED.isoformat()}
        body.update(kw)
        return self.api(user, "post", "/api/v1/transfers", data=body)

    def test_binh_starts_dung_accepts_and_both_see_it(self):
        response = self.post_start(self.binh)
        self.assertEqual(response.status_code, 201, response.content)
        tid = response.json()["id"]
        self.assertEqual(response.json()["present_due"], "2026-11-16")
        for user in (self.binh, self.dung, self.an):
            self.assertEqual(self.api(user, "get", f"/api/v1/transfers/{tid}").status_code, 200, user)
            listed = self.api(user, "get", "/api/v1/transfers").json()
            self.assertEqual(listed["count"], 1)
            self.assertEqual(set(listed) >= {"count", "next", "previous", "items"}, True)
        self.assertEqual(self.api(self.secretary_a2, "get", f"/api/v1/transfers/{tid}").status_code, 404)
        self.assertEqual(self.api(self.secretary_a2, "get", "/api/v1/transfers").json()["count"], 0)
        self.assertEqual(self.api(self.dung, "get", "/api/v1/transfers?direction=den").json()["count"], 1)
        self.assertEqual(self.api(self.dung, "get", "/api/v1/transfers?direction=di").json()["count"], 0)
        self.assertEqual(self.api(self.binh, "get", "/api/v1/transfers?direction=di").json()["count"], 1)

        self.assertEqual(self.api(self.dung, "post", f"/api/v1/transfers/{tid}/cancel",
                                  data={"on": ACCEPTED.isoformat(), "reason": "x"}).status_code, 403)
        self.assertEqual(self.api(self.binh, "post", f"/api/v1/transfers/{tid}/accept",
                                  data={"on": ACCEPTED.isoformat()}).status_code, 403)
        response = self.api(self.dung, "post", f"/api/v1/transfers/{tid}/present", data={"on": "2026-10-10"})
        self.assertEqual(response.json()["status"], "da_nop_giay")
        response = self.api(self.dung, "post", f"/api/v1/transfers/{tid}/accept", data={"on": ACCEPTED.isoformat()})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "da_tiep_nhan")
        self.assertEqual(self.api(self.dung, "get", f"/api/v1/members/{self.member_a1.pk}").json()["unit"]["id"],
                         self.cell_b1.pk)

    def test_a_transfer_to_the_same_cell_is_400_with_the_rule(self):
        response = self.post_start(self.binh, to_unit=self.cell_a1.pk)
        self.assertEqual(response.status_code, 400)
        self.assertIn("chính tổ chức đang sinh hoạt", response.json()["detail"])

    def test_a_member_outside_the_callers_reach_is_404(self):
        self.assertEqual(self.post_start(self.dung).status_code, 404)

    def test_a_cell_secretary_of_a2_cannot_see_a_transfer_of_a1_nor_its_step_urls(self):
        tid = self.post_start(self.binh).json()["id"]
        self.assertEqual(self.api(self.secretary_a2, "post", f"/api/v1/transfers/{tid}/accept",
                                  data={"on": ACCEPTED.isoformat()}).status_code, 404)

    def test_an_unknown_transfer_is_404(self):
        self.assertEqual(self.api(self.an, "get", "/api/v1/transfers/999999").status_code, 404)

    def test_refuse_cancel_and_return_through_the_api(self):
        tid = self.post_start(self.binh).json()["id"]
        response = self.api(self.dung, "post", f"/api/v1/transfers/{tid}/refuse", data={"on": "2026-10-20", "reason": ""})
        self.assertEqual(response.status_code, 400)  # a refusal needs its reason
        response = self.api(self.dung, "post", f"/api/v1/transfers/{tid}/refuse",
                            data={"on": "2026-10-20", "reason": "Sai nơi đến"})
        self.assertEqual(response.json()["status"], "tu_choi")
        tid = self.post_start(self.binh, kind="tam_thoi", purpose="hoc_tap", temp_from="2026-10-20",
                              temp_until="2027-10-20").json()["id"]
        self.assertEqual(self.api(self.dung, "post", f"/api/v1/transfers/{tid}/accept",
                                  data={"on": "2026-10-20"}).status_code, 200)
        response = self.api(self.binh, "post", f"/api/v1/transfers/{tid}/return", data={"on": "2026-11-20"})
        self.assertEqual(response.json()["status"], "da_tro_ve")
        listed = self.api(self.an, "get", "/api/v1/transfers?page_size=1").json()
        self.assertEqual((listed["count"], len(listed["items"])), (2, 1))
        self.assertIsNotNone(listed["next"])
        self.assertEqual(self.api(self.an, "get", "/api/v1/transfers?open=true").json()["count"], 0)
