from django.utils import timezone

from dangvu.testing import BaseTestCase, VisibilityMixin, make_member
from members import services
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
            self.assertEqual(response.json(), {"count": 0, "next": None, "previous": None, "items": []}, q)

    def test_status_filter(self):
        probationary = self.ids(self.an, f"{MEMBERS}?status={Status.PROBATIONARY}")
        self.assertEqual(probationary, [self.member_a1_prob.pk])
        self.assertEqual(len(self.ids(self.an, f"{MEMBERS}?status={Status.OFFICIAL}")), 3)

    def test_an_unknown_status_is_refused_in_vietnamese(self):
        body = self.get(self.an, f"{MEMBERS}?status=official", status=422)
        self.assertEqual(body["errors"][0]["field"], "status")
        self.assertIn("lựa chọn hợp lệ", body["errors"][0]["message"])

    def test_pagination(self):
        for i in range(3):
            make_member(self.cell_b1, f"Võ Văn Thêm {i}")
        first = self.get(self.an, f"{MEMBERS}?page_size=5")
        second = self.get(self.an, f"{MEMBERS}?page_size=5&page=2")
        self.assertEqual(set(first), {"count", "next", "previous", "items"})
        self.assertEqual((first["count"], len(first["items"]), len(second["items"])), (7, 5, 2))
        self.assertEqual((first["next"], first["previous"]),
                         (f"http://testserver{MEMBERS}?page_size=5&page=2", None))
        self.assertEqual((second["next"], second["previous"]),
                         (None, f"http://testserver{MEMBERS}?page_size=5&page=1"))
        self.get(self.an, f"{MEMBERS}?page=0", status=422)

    def test_following_next_walks_every_page_once(self):
        for i in range(5):
            make_member(self.cell_a2, f"Nguyễn Văn Tư {i}")
        url, seen, pages = f"{MEMBERS}?q=nguyen&page_size=2", [], []
        while url:
            body = self.get(self.an, url)
            seen += [item["id"] for item in body["items"]]
            pages.append(body)
            url = body["next"]
        self.assertEqual(len(seen), pages[0]["count"])
        self.assertEqual(len(set(seen)), 6)  # Nguyễn Văn Ánh and the five, none twice
        self.assertEqual(len(pages), 3)
        self.assertTrue(all(page["next"] for page in pages[:-1]))
        self.assertIn("q=nguyen", pages[1]["previous"])


class MemberDetailTests(MemberApiTestCase):
    def test_binh_sees_a_member_of_commune_a(self):
        body = self.get(self.binh, f"{MEMBERS}/{self.member_a1_prob.pk}")
        expected = {
            "id": self.member_a1_prob.pk,
            "full_name": "Trần Thị Bình",
            "gender": "nu",
            "birth_date": "1980-05-17",
            "ethnicity": "Kinh",
            "status": "du_bi",
            "status_label": "Dự bị",
            "unit": {"id": self.cell_a1.pk, "name": "Chi bộ thôn An Phú"},
            "admitted_on": self.member_a1_prob.admitted_on.isoformat(),
        }
        self.assertEqual({k: body[k] for k in expected}, expected)
        self.assertEqual(body["relatives"], [])
        self.assertEqual(body["party_age"]["years"], 1)

    def test_dung_gets_404_for_every_member_of_commune_a(self):
        for member in (self.member_a1, self.member_a1_prob, self.member_a2):
            self.assert_api_hidden_from_dung(f"{MEMBERS}/{member.pk}")

    def test_chi_gets_404_for_a_member_of_the_other_cell(self):
        self.get(self.chi, f"{MEMBERS}/{self.member_a2.pk}", status=404)

    def test_an_unknown_id_is_404_and_a_malformed_one_422(self):
        self.get(self.an, f"{MEMBERS}/999999", status=404)
        body = self.get(self.an, f"{MEMBERS}/abc", status=422)
        self.assertEqual(body["errors"], [{"field": "member_id", "message": "Phải là số nguyên, ví dụ 12."}])


class MemberRecordApiTests(MemberApiTestCase):
    """The member-records issue: Vietnamese order, full record, edits, history, masking."""

    def test_acceptance_xa_a_finds_only_commune_a_nguyens(self):
        make_member(self.cell_b1, "Nguyễn Thị Hoa")
        body = self.get(self.binh, f"{MEMBERS}?q=nguyen")
        self.assertEqual([i["full_name"] for i in body["items"]], ["Nguyễn Văn Ánh"])
        hidden = self.get(self.an, f"{MEMBERS}?q=nguyen%20thi%20hoa")["items"][0]["id"]
        self.get(self.binh, f"{MEMBERS}/{hidden}", status=404)

    def test_the_list_is_in_vietnamese_given_name_order(self):
        for name in ("Lê Văn Đức", "Trần Thị Hà", "Phạm Văn Chi", "Vũ Thị An"):
            make_member(self.cell_b1, name)
        names = [i["full_name"].split()[-1] for i in self.get(self.an, MEMBERS)["items"]]
        self.assertEqual(names, ["An", "Ánh", "Bình", "Chi", "Cường", "Dung", "Đức", "Hà"])

    def test_patch_changes_only_the_given_fields_and_is_audited(self):
        url = f"{MEMBERS}/{self.member_a1.pk}"
        response = self.api(self.binh, "patch", url, data={"phone": "0912345678"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["phone"], "0912345678")
        self.assertEqual(response.json()["full_name"], "Nguyễn Văn Ánh")
        from audit.models import AuditEntry

        self.assertTrue(AuditEntry.objects.filter(action="members.member.updated", object_id=str(self.member_a1.pk)).exists())

    def test_a_bad_citizen_id_is_refused_with_the_reason(self):
        response = self.api(self.binh, "patch", f"{MEMBERS}/{self.member_a1.pk}", data={"citizen_id": "0010800123"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["field"], "citizen_id")
        self.assertIn("12 chữ số", response.json()["detail"])

    def test_every_broken_rule_is_listed_with_its_field(self):
        response = self.api(self.binh, "patch", f"{MEMBERS}/{self.member_a1.pk}",
                            data={"citizen_id": "0010800123", "birth_date": "2999-01-01"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual([e["field"] for e in response.json()["errors"]], ["birth_date", "citizen_id"])
        self.assertEqual(response.json()["field"], "birth_date")

    def test_dung_cannot_patch_a_member_of_commune_a(self):
        response = self.api(self.dung, "patch", f"{MEMBERS}/{self.member_a1.pk}", data={"phone": "1"})
        self.assertEqual(response.status_code, 404)

    def test_create_writes_the_admission_events(self):
        data = {"unit_id": self.cell_a2.pk, "full_name": "Hồ Thị Mai", "gender": "nu", "birth_date": "1995-02-03",
                "admitted_on": "2026-03-02", "status": "du_bi", "citizen_id": "051195001234"}
        response = self.api(self.binh, "post", MEMBERS, data=data)
        self.assertEqual(response.status_code, 201, response.content)
        history = self.get(self.binh, f"{MEMBERS}/{response.json()['id']}/history")
        self.assertEqual([e["kind"] for e in history["events"]], ["ket_nap"])

    def test_binh_cannot_create_a_member_in_commune_b(self):
        data = {"unit_id": self.cell_b1.pk, "full_name": "Hồ Thị Mai", "gender": "nu", "birth_date": "1995-02-03",
                "admitted_on": "2026-03-02"}
        self.assertEqual(self.api(self.binh, "post", MEMBERS, data=data).status_code, 404)

    def test_history_lists_events_and_party_age(self):
        body = self.get(self.binh, f"{MEMBERS}/{self.member_a1.pk}/history")
        self.assertEqual([e["kind"] for e in body["events"]], ["ket_nap", "cong_nhan"])
        self.assertEqual(body["party_age"]["years"], 1)
        self.assert_api_hidden_from_dung(f"{MEMBERS}/{self.member_a1.pk}/history")

    def test_history_names_a_unit_out_of_reach_without_its_id(self):
        member = make_member(self.cell_b1, "Phan Văn Chuyển")
        services.record_event(member, "chuyen_noi_bo", on=timezone.localdate(), unit=self.cell_a1, by=None)
        units = [e["unit"] for e in self.get(self.binh, f"{MEMBERS}/{member.pk}/history")["events"]]
        self.assertEqual(units[0], {"id": None, "name": "Chi bộ thôn Bình Tây"})  # named, not to be opened
        self.assertEqual(units[-1], {"id": self.cell_a1.pk, "name": "Chi bộ thôn An Phú"})

    def test_citizen_id_is_masked_for_a_viewer_and_shown_to_the_officer(self):
        from access.models import Grant
        from access.rules import Role
        from dangvu.testing import make_user
        from members.models import Member

        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id="001080012345", religion="Phật giáo")
        viewer = make_user("xem_a", self.commune_a, Role.VIEWER)
        self.assertTrue(Grant.objects.filter(user=viewer).exists())
        masked = self.get(viewer, f"{MEMBERS}/{self.member_a1.pk}")
        self.assertEqual((masked["citizen_id"], masked["religion"], masked["relatives"]), ("••••••••2345", None, None))
        shown = self.get(self.binh, f"{MEMBERS}/{self.member_a1.pk}")
        self.assertEqual((shown["citizen_id"], shown["religion"]), ("001080012345", "Phật giáo"))
