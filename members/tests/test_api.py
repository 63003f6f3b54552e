from dangvu.testing import BaseTestCase, VisibilityMixin, make_member
from members.models import Status

MEMBERS = "/api/v1/members"


class MemberApiTestCase(VisibilityMixin, BaseTestCase):
    def get(self, user, url: str, status: int = 200) -> dict:
        response = self.api(user, "get", url)
        self.assertEqual(response.status_code, status, response.content.decode())
        return response.json()

    def ids(self, user, url: str) -> list[int]:
        return [item["id"] for item in self.get(user, url)["items"]]


class MemberListTests(MemberApiTestCase):
    def test_an_sees_the_members_of_both_communes(self):
        self.assertCountEqual(
            self.ids(self.an, MEMBERS),
            [self.member_a1.pk, self.member_a1_prob.pk, self.member_a2.pk, self.member_b1.pk],
        )

    def test_binh_sees_only_commune_a_and_chi_only_her_cell(self):
        commune_a = [self.member_a1.pk, self.member_a1_prob.pk, self.member_a2.pk]
        self.assertCountEqual(self.ids(self.binh, MEMBERS), commune_a)
        self.assertCountEqual(self.ids(self.chi, MEMBERS), [self.member_a1.pk, self.member_a1_prob.pk])

    def test_dung_sees_only_commune_b(self):
        response = self.api(self.dung, "get", MEMBERS)
        self.assertEqual(response.json()["count"], 1)
        self.assertEqual([i["id"] for i in response.json()["items"]], [self.member_b1.pk])
        self.assert_no_trace_of_a(response.content)

    def test_unit_filter_takes_the_whole_subtree(self):
        self.assertCountEqual(self.ids(self.an, f"{MEMBERS}?unit={self.commune_a.pk}"),
                              [self.member_a1.pk, self.member_a1_prob.pk, self.member_a2.pk])
        self.assertEqual(self.ids(self.an, f"{MEMBERS}?unit={self.cell_a2.pk}"), [self.member_a2.pk])

    def test_dung_gets_404_when_filtering_by_a_unit_he_cannot_see(self):
        for unit in (self.province, self.commune_a, self.cell_a1, self.cell_a2):
            self.assert_api_hidden_from_dung(f"{MEMBERS}?unit={unit.pk}")
        self.get(self.an, f"{MEMBERS}?unit=999999", status=404)

    def test_search_ignores_diacritics(self):
        for q in ("nguyen van anh", "NGUYỄN VĂN ÁNH", "van anh"):
            self.assertEqual(self.ids(self.an, f"{MEMBERS}?q={q}"), [self.member_a1.pk], q)

    def test_dung_finds_nobody_of_commune_a_by_name(self):
        for q in ("nguyen", "tran thi binh", "cuong"):
            response = self.api(self.dung, "get", f"{MEMBERS}?q={q}")
            self.assertEqual(response.json(), {"count": 0, "items": []}, q)

    def test_status_filter(self):
        probationary = self.ids(self.an, f"{MEMBERS}?status={Status.PROBATIONARY}")
        self.assertEqual(probationary, [self.member_a1_prob.pk])
        self.assertEqual(len(self.ids(self.an, f"{MEMBERS}?status={Status.OFFICIAL}")), 3)

    def test_an_unknown_status_is_refused_in_vietnamese(self):
        body = self.get(self.an, f"{MEMBERS}?status=official", status=422)
        self.assertEqual(body["errors"][0]["field"], "status")
        self.assertTrue(body["errors"][0]["message"].startswith("Giá trị không hợp lệ; hãy chọn một trong: 'du_bi'"))

    def test_pagination(self):
        for i in range(3):
            make_member(self.cell_b1, f"Võ Văn Thêm {i}")
        first = self.get(self.an, f"{MEMBERS}?page_size=5")
        second = self.get(self.an, f"{MEMBERS}?page_size=5&page=2")
        self.assertEqual(set(first), {"count", "items"})
        self.assertEqual((first["count"], len(first["items"]), len(second["items"])), (7, 5, 2))
        self.get(self.an, f"{MEMBERS}?page=0", status=422)


class MemberDetailTests(MemberApiTestCase):
    def test_binh_sees_a_member_of_commune_a(self):
        body = self.get(self.binh, f"{MEMBERS}/{self.member_a1_prob.pk}")
        self.assertEqual(body, {
            "id": self.member_a1_prob.pk,
            "full_name": "Trần Thị Bình",
            "gender": "nu",
            "birth_date": "1980-05-17",
            "ethnicity": "Kinh",
            "status": "du_bi",
            "unit": {"id": self.cell_a1.pk, "name": "Chi bộ thôn An Phú"},
            "admitted_on": self.member_a1_prob.admitted_on.isoformat(),
        })

    def test_dung_gets_404_for_every_member_of_commune_a(self):
        for member in (self.member_a1, self.member_a1_prob, self.member_a2):
            self.assert_api_hidden_from_dung(f"{MEMBERS}/{member.pk}")

    def test_chi_gets_404_for_a_member_of_the_other_cell(self):
        self.get(self.chi, f"{MEMBERS}/{self.member_a2.pk}", status=404)

    def test_an_unknown_id_is_404_and_a_malformed_one_422(self):
        self.get(self.an, f"{MEMBERS}/999999", status=404)
        body = self.get(self.an, f"{MEMBERS}/abc", status=422)
        self.assertEqual(body["errors"], [{"field": "member_id", "message": "Phải là số nguyên, ví dụ 12."}])
