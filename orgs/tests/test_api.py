from datetime import date, timedelta
from unittest import mock

from django.utils import timezone

from access.models import ApiToken
from dangvu.api import NOT_FOUND
from dangvu.testing import BaseTestCase, VisibilityMixin, make_unit
from members.stats import rollup
from orgs.models import Kind
from orgs.services import close_unit, merge_units, move_unit, rename_unit

MERGE_DAY = date(2026, 1, 1)
DAY_BEFORE = MERGE_DAY - timedelta(days=1)
ORGS = "/api/v1/orgs"


def totals(items: dict[int, dict]) -> dict[int, int]:
    return {pk: item["members"]["total"] for pk, item in items.items()}


class ApiTestCase(VisibilityMixin, BaseTestCase):
    def get(self, user, url: str, status: int = 200) -> dict:
        response = self.api(user, "get", url)
        self.assertEqual(response.status_code, status, response.content.decode())
        return response.json()

    def ids(self, user, url: str) -> list[int]:
        return [item["id"] for item in self.get(user, url)["items"]]

    def by_id(self, user, url: str) -> dict[int, dict]:
        return {item["id"]: item for item in self.get(user, url)["items"]}


class OrgListTests(ApiTestCase):
    def test_an_sees_both_communes_with_members_rolled_up(self):
        items = self.by_id(self.an, ORGS)
        self.assertEqual(len(items), 6)
        self.assertEqual(items[self.province.pk]["members"], {"total": 4, "official": 3, "probationary": 1})
        self.assertEqual(items[self.commune_a.pk]["members"], {"total": 3, "official": 2, "probationary": 1})
        self.assertEqual(items[self.commune_b.pk]["members"], {"total": 1, "official": 1, "probationary": 0})

    def test_items_carry_the_unit_fields(self):
        item = self.by_id(self.an, ORGS)[self.commune_a.pk]
        self.assertEqual(item["name"], "Đảng bộ xã An Hòa")
        self.assertEqual(item["short_name"], "Xã An Hòa")
        self.assertEqual((item["kind"], item["kind_label"]), (Kind.COMMUNE, "Đảng bộ xã/phường/đặc khu"))
        self.assertEqual((item["parent_id"], item["depth"]), (self.province.pk, 1))
        self.assertEqual((item["valid_from"], item["valid_to"]), ("1990-01-01", None))
        self.assertIs(item["is_grassroots"], False)

    def test_a_parent_outside_reach_is_given_no_id(self):
        self.assertIsNone(self.by_id(self.binh, ORGS)[self.commune_a.pk]["parent_id"])
        self.assertEqual(self.by_id(self.binh, ORGS)[self.cell_a1.pk]["parent_id"], self.commune_a.pk)
        self.assertIsNone(self.get(self.binh, f"{ORGS}/{self.commune_a.pk}")["parent_id"])

    def test_units_come_in_tree_order(self):
        ids = self.ids(self.an, ORGS)
        self.assertEqual(ids[0], self.province.pk)
        self.assertLess(ids.index(self.commune_a.pk), ids.index(self.cell_a1.pk))

    def test_binh_sees_only_commune_a(self):
        commune_a = [self.commune_a.pk, self.cell_a1.pk, self.cell_a2.pk]
        self.assertCountEqual(self.ids(self.binh, ORGS), commune_a)

    def test_chi_sees_only_her_cell(self):
        self.assertEqual(self.ids(self.chi, ORGS), [self.cell_a1.pk])

    def test_dung_lists_only_commune_b_not_even_the_province(self):
        response = self.api(self.dung, "get", ORGS)
        ids = [i["id"] for i in response.json()["items"]]
        self.assertEqual(response.json()["count"], 2)
        self.assertCountEqual(ids, [self.commune_b.pk, self.cell_b1.pk])
        self.assert_no_trace_of_a(response.content)
        self.assertNotIn("Thử Nghiệm", response.content.decode())

    def test_dung_counts_only_commune_b_members(self):
        items = self.by_id(self.dung, ORGS)
        self.assertEqual(items[self.commune_b.pk]["members"], {"total": 1, "official": 1, "probationary": 0})

    def test_dung_gets_404_when_listing_the_children_of_a_unit_he_cannot_see(self):
        for unit in (self.commune_a, self.cell_a1, self.province):
            self.assert_api_hidden_from_dung(f"{ORGS}?parent={unit.pk}")

    def test_dung_finds_nothing_of_commune_a_by_searching(self):
        for q in ("an hoa", "an phu", "an lac"):
            response = self.api(self.dung, "get", f"{ORGS}?q={q}")
            self.assertEqual(response.json(), {"count": 0, "next": None, "previous": None, "items": []})

    def test_parent_lists_the_direct_children_only(self):
        communes = self.ids(self.an, f"{ORGS}?parent={self.province.pk}")
        cells = self.ids(self.an, f"{ORGS}?parent={self.commune_a.pk}")
        self.assertEqual(communes, [self.commune_a.pk, self.commune_b.pk])
        self.assertCountEqual(cells, [self.cell_a1.pk, self.cell_a2.pk])

    def test_kind_filter(self):
        communes = self.ids(self.an, f"{ORGS}?kind={Kind.COMMUNE}")
        self.assertEqual(communes, [self.commune_a.pk, self.commune_b.pk])

    def test_search_ignores_diacritics_and_case(self):
        for q in ("an hoa", "AN HÒA", "An Hòa", "xa an hoa", "xã  an   hòa"):
            self.assertEqual(self.ids(self.an, f"{ORGS}?q={q}"), [self.commune_a.pk], q)
        self.assertEqual(self.ids(self.an, f"{ORGS}?q=binh tay"), [self.cell_b1.pk])
        self.assertEqual(self.ids(self.an, f"{ORGS}?q=dang bo tinh"), [self.province.pk])

    def test_search_treats_regex_characters_as_text(self):
        for q in (".*", "an (hoa", "[a]", "a|b"):
            self.assertEqual(self.ids(self.an, f"{ORGS}?q={q}"), [], q)

    def test_closed_units_are_left_out_unless_asked(self):
        empty = make_unit(self.commune_a, "Chi bộ thôn An Bình")
        close_unit(empty, on=MERGE_DAY, by=self.admin)
        self.assertNotIn(empty.pk, self.ids(self.an, ORGS))
        closed = self.by_id(self.an, f"{ORGS}?include_closed=true")[empty.pk]
        self.assertEqual(closed["valid_to"], DAY_BEFORE.isoformat())

    def test_pagination(self):
        first = self.get(self.an, f"{ORGS}?page_size=4")
        last = self.get(self.an, f"{ORGS}?page_size=4&page=2")
        beyond = self.get(self.an, f"{ORGS}?page_size=4&page=3")
        self.assertEqual(set(first), {"count", "next", "previous", "items"})
        self.assertEqual((first["count"], len(first["items"])), (6, 4))
        self.assertEqual((last["count"], len(last["items"])), (6, 2))
        self.assertEqual((first["next"], first["previous"]), (f"http://testserver{ORGS}?page_size=4&page=2", None))
        self.assertEqual((last["next"], last["previous"]), (None, f"http://testserver{ORGS}?page_size=4&page=1"))
        # Past the end: no rows, and "previous" leads back to the last page that has some.
        self.assertEqual(beyond, {"count": 6, "next": None, "items": [],
                                  "previous": f"http://testserver{ORGS}?page_size=4&page=2"})
        self.assertFalse({i["id"] for i in first["items"]} & {i["id"] for i in last["items"]})

    def test_page_size_above_200_is_refused_in_vietnamese(self):
        body = self.get(self.an, f"{ORGS}?page_size=201", status=422)
        self.assertEqual(body["errors"], [{"field": "page_size", "message": "Không được lớn hơn 200."}])

    def test_a_wrong_kind_or_date_is_refused_in_vietnamese(self):
        body = self.get(self.an, f"{ORGS}?kind=huyen_uy&on=01/07/2025", status=422)
        messages = {e["field"]: e["message"] for e in body["errors"]}
        self.assertIn("hãy chọn một trong", messages["kind"])
        self.assertIn("YYYY-MM-DD", messages["on"])

    def test_members_are_rolled_up_once_per_page(self):
        with mock.patch("orgs.api.rollup", wraps=rollup) as spy:
            self.get(self.an, ORGS)
        self.assertEqual(spy.call_count, 1)


class OrgDetailTests(ApiTestCase):
    def test_an_sees_a_commune_with_counts_breakdown_ancestors_and_children(self):
        body = self.get(self.an, f"{ORGS}/{self.commune_a.pk}")
        self.assertEqual(body["name"], "Đảng bộ xã An Hòa")
        self.assertEqual(body["members"], {"total": 3, "official": 2, "probationary": 1})
        self.assertEqual((body["breakdown"]["male"], body["breakdown"]["female"]), (2, 1))
        self.assertEqual(sum(body["breakdown"]["age_bands"].values()), 3)
        self.assertEqual(body["ancestors"], [{"id": self.province.pk, "name": self.province.name}])
        self.assertCountEqual(body["children"], [self.cell_a1.pk, self.cell_a2.pk])

    def test_a_node_summary_is_a_few_statements_whatever_the_size_of_the_node(self):
        # The token, the grants, the unit, its ancestors and children in one, the tally clock and
        # the tally row: W6 asks this of every node, at any size. A new token's first use is also
        # written down (then not again for a few minutes).
        token_header = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(self.an)}"}
        for n, unit in ((7, self.province), (6, self.commune_a), (6, self.cell_a1)):
            with self.assertNumQueries(n):
                response = self.client.get(f"{ORGS}/{unit.pk}", **token_header)
            self.assertEqual(response.status_code, 200)

    def test_ancestors_leave_out_what_the_user_cannot_see(self):
        self.assertEqual(self.get(self.binh, f"{ORGS}/{self.cell_a1.pk}")["ancestors"],
                         [{"id": self.commune_a.pk, "name": self.commune_a.name}])
        body = self.get(self.dung, f"{ORGS}/{self.commune_b.pk}")
        self.assertEqual(body["ancestors"], [])
        self.assertEqual(body["children"], [self.cell_b1.pk])
        self.assertNotIn("Thử Nghiệm", str(body))

    def test_dung_gets_404_for_every_unit_of_commune_a_and_for_the_province(self):
        for unit in (self.province, self.commune_a, self.cell_a1, self.cell_a2):
            self.assert_api_hidden_from_dung(f"{ORGS}/{unit.pk}")
            self.assert_api_hidden_from_dung(f"{ORGS}/{unit.pk}?on={DAY_BEFORE}")

    def test_binh_gets_404_for_commune_b(self):
        response = self.api(self.binh, "get", f"{ORGS}/{self.commune_b.pk}")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": NOT_FOUND})

    def test_an_unknown_id_is_404(self):
        self.get(self.an, f"{ORGS}/999999", status=404)

    def test_a_malformed_id_is_422_in_vietnamese(self):
        body = self.get(self.an, f"{ORGS}/abc", status=422)
        self.assertEqual(body["detail"], "Dữ liệu gửi lên không hợp lệ.")
        self.assertEqual(body["errors"], [{"field": "unit_id", "message": "Phải là số nguyên, ví dụ 12."}])


class AsOfTests(ApiTestCase):
    """`?on=` answers with the tree as it was that day, before and after a restructuring."""

    def test_counts_before_and_after_a_merge(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        url = f"{ORGS}?parent={self.commune_a.pk}"
        then = self.by_id(self.an, f"{url}&on={DAY_BEFORE}")
        after = self.by_id(self.an, f"{url}&on={MERGE_DAY}")
        now = self.by_id(self.an, url)
        self.assertEqual(totals(then), {self.cell_a1.pk: 2, self.cell_a2.pk: 1})
        self.assertEqual(totals(after), {self.cell_a1.pk: 3})
        self.assertEqual(totals(now), {self.cell_a1.pk: 3})

    def test_detail_as_of_the_day_before_a_merge(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        closed = self.get(self.an, f"{ORGS}/{self.cell_a2.pk}?on={DAY_BEFORE}")
        self.assertEqual(closed["members"]["total"], 1)
        self.assertIsNone(closed["breakdown"])
        self.get(self.an, f"{ORGS}/{self.cell_a2.pk}?on={MERGE_DAY}", status=404)
        commune = f"{ORGS}/{self.commune_a.pk}"
        self.assertCountEqual(self.get(self.an, f"{commune}?on={DAY_BEFORE}")["children"],
                              [self.cell_a1.pk, self.cell_a2.pk])
        self.assertEqual(self.get(self.an, commune)["children"], [self.cell_a1.pk])

    def test_names_and_parents_are_those_of_the_day(self):
        rename_unit(self.cell_a1, name="Chi bộ thôn Phú Mỹ", on=MERGE_DAY, by=self.admin)
        move_unit(self.cell_a1, self.commune_b, on=MERGE_DAY, by=self.admin)
        then = self.by_id(self.an, f"{ORGS}?on={DAY_BEFORE}")[self.cell_a1.pk]
        now = self.by_id(self.an, ORGS)[self.cell_a1.pk]
        self.assertEqual((then["name"], then["parent_id"]), ("Chi bộ thôn An Phú", self.commune_a.pk))
        self.assertEqual((now["name"], now["parent_id"]), ("Chi bộ thôn Phú Mỹ", self.commune_b.pk))
        self.assertEqual(self.ids(self.an, f"{ORGS}?q=an phu&on={DAY_BEFORE}"), [self.cell_a1.pk])

    def test_a_cell_moved_into_commune_b_brings_its_own_past_to_dung_and_nothing_else_of_a(self):
        move_unit(self.cell_a1, self.commune_b, on=MERGE_DAY, by=self.admin)
        self.assertIn(self.cell_a1.pk, self.ids(self.dung, ORGS))  # his now
        response = self.api(self.dung, "get", f"{ORGS}?on={DAY_BEFORE}")
        items = {i["id"]: i for i in response.json()["items"]}
        self.assertCountEqual(items, [self.commune_b.pk, self.cell_b1.pk, self.cell_a1.pk])
        self.assertEqual(items[self.cell_a1.pk]["members"]["total"], 2)  # its members of that day
        self.assertNotIn("An Hòa", response.content.decode())
        cell = self.get(self.dung, f"{ORGS}/{self.cell_a1.pk}?on={DAY_BEFORE}")
        self.assertEqual(cell["ancestors"], [])  # commune A was its parent then, and is not his
        self.assert_api_hidden_from_dung(f"{ORGS}/{self.commune_a.pk}?on={DAY_BEFORE}")
        # ... and the cell is no longer A's past: binh does not see it on that day.
        self.assertNotIn(self.cell_a1.pk, self.ids(self.binh, f"{ORGS}?on={DAY_BEFORE}"))
        self.get(self.binh, f"{ORGS}/{self.cell_a1.pk}?on={DAY_BEFORE}", status=404)

    def test_a_day_still_to_come_is_refused_in_vietnamese(self):
        tomorrow = timezone.localdate() + timedelta(days=1)
        for url in (f"{ORGS}?on={tomorrow}", f"{ORGS}/{self.commune_a.pk}?on={tomorrow}"):
            body = self.get(self.an, url, status=422)
            self.assertIn("chưa đến", body["detail"])

    def test_a_unit_not_yet_founded_is_not_listed(self):
        late = make_unit(self.province, "Đảng bộ xã Mới Lập", Kind.COMMUNE, on=date(2025, 7, 1))
        self.assertNotIn(late.pk, self.ids(self.an, f"{ORGS}?on=2020-01-01"))
        self.assertIn(late.pk, self.ids(self.an, f"{ORGS}?on=2025-07-01"))
        children = self.get(self.an, f"{ORGS}/{self.province.pk}?on=2020-01-01")["children"]
        self.assertNotIn(late.pk, children)
        self.assertEqual(self.ids(self.an, f"{ORGS}?on=1989-12-31"), [])
