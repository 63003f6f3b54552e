"""The API: lists scoped to the caller's subtree (404 outside), writes need the manage_bodies right (403)."""

from access.rules import Role
from bodies import congresses, services
from bodies.models import Congress, Post
from bodies.rules import Title
from bodies.tests.world import DAY, BodiesTestCase
from dangvu.testing import VisibilityMixin, make_user


class BodiesApiTest(VisibilityMixin, BodiesTestCase):
    def test_bodies_of_an_organization_with_their_current_posts(self):
        services.add_post(self.du_a, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        response = self.api(self.binh, "get", f"/api/v1/orgs/{self.commune_a.pk}/bodies")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 2)
        committee = next(b for b in body["items"] if b["kind"] == "cap_uy")
        self.assertEqual((committee["name"], committee["symbol"], committee["valid_from"], committee["valid_to"]),
                         ("Đảng ủy xã An Hòa", "ĐU", "2025-07-01", None))
        self.assertEqual(committee["posts"], [{**committee["posts"][0], "member_id": self.member_a1.pk,
                                               "title": "bi_thu", "from": "2025-09-01"}])
        self.assert_api_hidden_from_dung(f"/api/v1/orgs/{self.commune_a.pk}/bodies")
        self.assert_api_hidden_from_dung(f"/api/v1/orgs/{self.commune_a.pk}/terms")

    def test_terms_and_congresses_by_unit_and_term(self):
        congresses.save_congress(self.commune_a, term_label="2025–2030", held_from=DAY, held_to=DAY, by=self.an)
        congresses.save_congress(self.commune_b, term_label="2025–2030", planned_on=DAY, by=self.an)
        terms = self.api(self.binh, "get", f"/api/v1/orgs/{self.commune_a.pk}/terms").json()
        self.assertEqual([(t["label"], t["starts_on"]) for t in terms["items"]], [("2025–2030", "2025-09-02")])
        listed = self.api(self.an, "get", f"/api/v1/congresses?unit={self.province.pk}&term=2025-2030").json()
        self.assertEqual({c["unit_id"] for c in listed["items"]}, {self.commune_a.pk, self.commune_b.pk})
        mine = self.api(self.dung, "get", "/api/v1/congresses?term=2025-2030").json()
        self.assertEqual([c["unit_id"] for c in mine["items"]], [self.commune_b.pk])
        self.assert_api_hidden_from_dung(f"/api/v1/congresses?unit={self.commune_a.pk}")
        progress = self.api(self.an, "get", f"/api/v1/congresses/progress?unit={self.province.pk}&term=2025-2030"
                                            "&kind=xa").json()
        self.assertEqual([u["unit_id"] for u in progress["not_held"]], [self.commune_b.pk])
        self.assertEqual([u["unit_id"] for u in progress["held"]], [self.commune_a.pk])

    def test_creating_a_post(self):
        data = {"body": self.chi_uy_a1.pk, "member": self.member_a1.pk, "title": "bi_thu", "from": "2025-09-01",
                "decision": "Bầu tại đại hội chi bộ"}
        url = f"/api/v1/orgs/{self.cell_a1.pk}/posts"
        self.assertEqual(self.api(self.dung, "post", url, data=data).status_code, 404)
        viewer = make_user("xem_a", self.commune_a, Role.VIEWER)
        self.assertEqual(self.api(viewer, "post", url, data=data).status_code, 403)
        self.assertFalse(Post.objects.exists())
        response = self.api(self.binh, "post", url, data=data)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["member_id"], self.member_a1.pk)
        again = self.api(self.binh, "post", url, data={**data, "member": self.member_a1_prob.pk})
        self.assertEqual(again.status_code, 400)
        self.assertIn("một bí thư", again.json()["detail"])
        other = self.api(self.binh, "post", url, data={**data, "body": self.du_a.pk})
        self.assertEqual(other.status_code, 400)
        self.assertIn("không phải của “Chi bộ thôn An Phú”", other.json()["detail"])
        self.assertEqual(Post.objects.count(), 1)

    def test_creating_a_congress_and_a_bad_one(self):
        url = f"/api/v1/orgs/{self.commune_a.pk}/congresses"
        ok = self.api(self.binh, "post", url, data={"term": "2025-2030", "held_from": "2025-08-20",
                                                    "held_to": "2025-08-21", "delegates_summoned": 90,
                                                    "delegates_present": 88, "delegates_up": [self.member_a1.pk]})
        self.assertEqual(ok.status_code, 201, ok.content)
        self.assertEqual(ok.json()["delegates_up"], [self.member_a1.pk])
        bad = self.api(self.binh, "post", url, data={"term": "2030-2035", "held_from": "2025-08-01",
                                                     "held_to": "2025-08-02"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("22/08/2025", bad.json()["detail"])
        self.assertEqual(Congress.objects.count(), 1)

    def test_creating_a_body_and_a_term_and_elected_posts_are_the_congress_results(self):
        made = self.api(self.binh, "post", f"/api/v1/orgs/{self.commune_a.pk}/bodies",
                                data={"kind": "ban_thuong_vu", "name": "Ban Thường vụ Đảng ủy xã An Hòa", "size": 3,
                              "valid_from": "2025-07-01"})
        self.assertEqual(made.status_code, 201, made.content)
        self.assertEqual(made.json()["symbol"], "BTVĐU")  # from the kind and the commune's own symbol
        wrong = self.api(self.binh, "post", f"/api/v1/orgs/{self.cell_a1.pk}/bodies",
                         data={"kind": "ubkt", "name": "UBKT chi bộ", "valid_from": "2025-07-01"})
        self.assertEqual(wrong.status_code, 400)
        self.assertIn("không có cơ quan loại “Ủy ban Kiểm tra”", wrong.json()["detail"])
        term = self.api(self.binh, "post", f"/api/v1/orgs/{self.commune_a.pk}/terms",
                        data={"label": "2025-2027", "starts_on": "2025-07-01"})
        self.assertEqual((term.status_code, term.json()["label"]), (201, "2025–2027"))
        c = congresses.save_congress(self.commune_a, term_label="2027–2032", held_from=DAY, held_to=DAY, by=self.binh)
        post = services.add_post(self.du_a, self.member_a1, title=Title.SECRETARY,
                                 from_on=DAY.replace(day=2), by=self.binh)
        self.assertEqual(post.congress, c)
