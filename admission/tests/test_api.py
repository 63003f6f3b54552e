"""The API: the same list envelope and scoping as /members, 404 outside the subtree, 403 without the right,
each step with its refusal."""

from datetime import date

from admission.models import Candidate, Stage
from admission.tests.world import KNOWN, PAPERS, VOTE, AdmissionTestCase
from dangvu.testing import VisibilityMixin


class ApiTests(VisibilityMixin, AdmissionTestCase):
    def setUp(self):
        self.c = self.make_candidate()

    def test_the_list_has_the_members_envelope_and_only_the_subtree(self):
        other = self.make_candidate(unit=self.cell_a2, full_name="Đặng Văn Khác", helpers=[])
        body = self.api(self.binh, "get", "/api/v1/candidates?page_size=1").json()
        self.assertEqual(set(body), {"count", "next", "previous", "items"})
        self.assertEqual(body["count"], 2)
        self.assertIsNotNone(body["next"])
        item = body["items"][0]
        self.assertEqual((item["stage"], item["unit"]["id"]), (Stage.REGISTERED, self.cell_a1.pk))
        self.assertEqual(self.api(self.chi, "get", "/api/v1/candidates").json()["count"], 1)  # her cell only
        self.assertEqual(self.api(self.dung, "get", "/api/v1/candidates").json()["count"], 0)
        body = self.api(self.binh, "get", f"/api/v1/candidates?unit={self.cell_a2.pk}").json()
        self.assertEqual([i["id"] for i in body["items"]], [other.pk])

    def test_dung_gets_404_for_a_candidate_of_commune_a_and_for_its_unit_filter(self):
        self.assert_api_hidden_from_dung(f"/api/v1/candidates/{self.c.pk}")
        self.assert_api_hidden_from_dung(f"/api/v1/candidates?unit={self.commune_a.pk}")
        response = self.api(self.dung, "post", f"/api/v1/candidates/{self.c.pk}/steps/chi_bo",
                            data={"on": VOTE.isoformat(), "votes_for": 5})
        self.assertEqual(response.status_code, 404)

    def test_the_detail_has_the_steps_and_what_may_follow(self):
        body = self.api(self.binh, "get", f"/api/v1/candidates/{self.c.pk}").json()
        self.assertEqual(body["next_steps"], ["chi_bo", "dung"])
        self.assertEqual(body["introducer_1_id"], self.elders[0].pk)

    def test_a_viewer_gets_403_on_a_step(self):
        response = self.api(self.viewer, "post", f"/api/v1/candidates/{self.c.pk}/steps/chi_bo",
                            data={"on": VOTE.isoformat(), "votes_for": 5})
        self.assertEqual(response.status_code, 403)

    def test_steps_through_the_api_and_a_refusal_changes_nothing(self):
        url = f"/api/v1/candidates/{self.c.pk}/steps"
        bad = self.api(self.binh, "post", f"{url}/chi_bo", data={"on": VOTE.isoformat(), "votes_for": 6})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("lớn hơn số đảng viên chính thức", bad.json()["detail"])
        ok = self.api(self.binh, "post", f"{url}/chi_bo", data={"on": VOTE.isoformat(), "votes_for": 4})
        self.assertEqual(ok.status_code, 201, ok.content)
        self.assertEqual(ok.json()["stage"], Stage.CELL_PROPOSED)
        self.assertEqual(ok.json()["steps"][0]["eligible"], 5)
        early = self.api(self.binh, "post", f"{url}/nhan_ho_so", data={"on": "2026-01-05"})
        self.assertEqual(early.status_code, 400)
        self.assertIn("nghị quyết đảng ủy cơ sở", early.json()["detail"])

    def test_create_a_candidate(self):
        data = {"unit_id": self.cell_a1.pk, "registered_on": "2025-03-01", "full_name": "Lý Văn Mới", "gender": "nam",
                "birth_date": "2000-02-02", "general_education": "12/12", "helpers": [self.elders[2].pk],
                "introducer_1_id": self.elders[0].pk, "introducer_1_since": KNOWN.isoformat(),
                "introducer_2_id": self.elders[1].pk, "introducer_2_since": KNOWN.isoformat(),
                "certificate_on": "2024-06-01", "application_on": PAPERS.isoformat()}
        response = self.api(self.chi, "post", "/api/v1/candidates", data=data)
        self.assertEqual(response.status_code, 201, response.content)
        c = Candidate.objects.get(full_name="Lý Văn Mới")
        self.assertEqual(list(c.helpers.all()), [self.elders[2]])
        self.assertEqual(self.api(self.dung, "post", "/api/v1/candidates", data=data).status_code, 404)
        data["unit_id"] = self.cell_b1.pk
        self.assertEqual(self.api(self.chi, "post", "/api/v1/candidates", data=data).status_code, 404)
        data["birth_date"] = "2999-01-01"
        data["unit_id"] = self.cell_a1.pk
        self.assertEqual(self.api(self.chi, "post", "/api/v1/candidates", data=data).status_code, 400)
        self.assertEqual(Candidate.objects.filter(full_name="Lý Văn Mới").count(), 1)

    def test_an_unknown_stage_filter_is_422(self):
        self.assertEqual(self.api(self.binh, "get", "/api/v1/candidates?stage=khong_co").status_code, 422)
        body = self.api(self.binh, "get", "/api/v1/candidates?stage=dang_mo&overdue=true").json()
        self.assertEqual(body["count"], 0)

    def test_the_date_filter_by_iso_on_the_api(self):
        self.assertEqual(date.fromisoformat(self.api(self.binh, "get", f"/api/v1/candidates/{self.c.pk}").json()
                                            ["registered_on"]), self.c.registered_on)
