"""What keeps the member list cheap on a province of 140,000 members (W6 of PERFORMANCE.md) without
changing what anyone sees: the count from the tallies, the unit box's options, the selects drawn in
Python, and SQLite's walk of the name index."""

import re
from unittest import mock

from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.testing import BaseTestCase, VisibilityMixin, make_member
from members.filters import MemberFilterForm, QuickSelect, cheaper_to_walk
from members.views.lists import MemberPaginator


def form_for(user, **params) -> MemberFilterForm:
    data = QueryDict(mutable=True)
    data.update({k: str(v) for k, v in params.items()})
    return MemberFilterForm(data, user=user)


def member_counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"] and "members_member" in q["sql"]]


def tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


class ListCountTests(VisibilityMixin, BaseTestCase):
    def test_an_unfiltered_list_takes_its_length_from_the_tallies(self):
        self.client.force_login(self.binh)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("members-list"))
        self.assertEqual(response.context["page"].paginator.count, 3)
        self.assertContains(response, "<strong>3</strong> đảng viên")
        self.assertEqual(member_counts(ctx.captured_queries), [])

    def test_a_unit_alone_does_not_narrow_its_subtree(self):
        for user, unit, n in ((self.binh, self.cell_a1, 2), (self.an, self.commune_b, 1), (self.an, self.province, 4)):
            form = form_for(user, unit=unit.pk)
            self.assertEqual(form.counted_total(), n)
            self.assertEqual(form.counted_total(), form.apply().count())

    def test_a_narrowing_filter_counts_the_rows(self):
        for params in ({"gender": "nu"}, {"q": "nguyen"}, {"status": "tat_ca"}, {"status": "du_bi"},
                       {"age_min": 30}, {"position": "Bí thư"}):
            self.assertIsNone(form_for(self.binh, **params).counted_total(), params)
        self.client.force_login(self.binh)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(reverse("members-list") + "?gender=nu")
        self.assertEqual(response.context["page"].paginator.count, 1)
        self.assertEqual(len(member_counts(ctx.captured_queries)), 1)

    def test_the_tallies_follow_a_member_who_leaves(self):
        make_member(self.cell_a2, "Võ Văn Em")
        self.assertEqual(form_for(self.binh).counted_total(), 4)
        self.assertEqual(form_for(self.dung).counted_total(), 1)

    def test_dung_counts_nothing_of_commune_a(self):
        self.assertEqual(form_for(self.dung).counted_total(), 1)
        self.assertEqual(form_for(self.dung, unit=self.cell_a1.pk).counted_total(), 1)  # refused: all of B


class UnitOptionsTests(VisibilityMixin, BaseTestCase):
    def options(self, form) -> list[int | str]:
        return [value for value, _label in form.fields["unit"].widget.choices]

    def test_binh_is_offered_his_commune_and_its_cells_in_tree_order(self):
        form = form_for(self.binh)
        self.assertEqual(self.options(form), ["", self.commune_a.pk, self.cell_a1.pk, self.cell_a2.pk])
        labels = dict(form.fields["unit"].widget.choices).values()
        self.assertIn("\u00a0" * 8 + "Chi bộ thôn An Phú", labels)  # indented by no-break spaces
        self.assertFalse([label for label in labels if "·" in label or "—" in label])

    @mock.patch("members.filters.UNIT_OPTIONS", 4)
    def test_only_whole_levels_that_fit_are_offered(self):
        form = form_for(self.an)
        self.assertEqual(set(self.options(form)) - {""}, {self.province.pk, self.commune_a.pk, self.commune_b.pk})

    @mock.patch("members.filters.UNIT_OPTIONS", 4)
    def test_a_deeper_unit_is_still_accepted_and_shown_when_chosen(self):
        form = form_for(self.an, unit=self.cell_b1.pk)
        self.assertTrue(form.is_valid())
        self.assertIn(self.cell_b1.pk, self.options(form))
        self.assertIn(f'<option value="{self.cell_b1.pk}" selected>', str(form["unit"]))

    def test_dung_is_offered_nothing_of_commune_a(self):
        self.client.force_login(self.dung)
        response = self.client.get(reverse("members-list"))
        self.assert_no_trace_of_a(response.content)
        self.assertEqual(set(self.options(response.context["form"])) - {""}, {self.commune_b.pk, self.cell_b1.pk})


class QuickSelectTests(BaseTestCase):
    def test_it_draws_what_djangos_select_draws(self):
        choices = [("", "Tất cả"), ("nam", "Nam"), ("nu", "Nữ"), (7, "<Chi bộ & “An”>")]
        for value in ("", "nu", 7, None, "khong-co"):
            ours = QuickSelect(attrs={"class": "x"}, choices=choices).render("g", value, {"id": "id_g"})
            django = forms.Select(attrs={"class": "x"}, choices=choices).render("g", value, {"id": "id_g"})
            self.assertEqual(tight(ours), tight(django), value)

    def test_option_groups_fall_back_to_django(self):
        choices = [("Miền Bắc", [("hn", "Hà Nội")]), ("hcm", "TP. Hồ Chí Minh")]
        ours = QuickSelect(choices=choices).render("t", "hn")
        self.assertEqual(tight(ours), tight(forms.Select(choices=choices).render("t", "hn")))


class NameWalkTests(BaseTestCase):
    """SQLite alone sorts a whole province to show 30 rows; walking the name index gives the same rows."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for name in ("Võ Thị Hà", "Âu Văn Đức", "Đặng Thị Chi", "Bùi Văn Bình", "Lý Văn An"):
            make_member(cls.cell_a2, name)

    def test_the_walk_reads_the_same_rows_in_the_same_order(self):
        for user, params in ((self.binh, {}), (self.binh, {"unit": self.cell_a2.pk}), (self.an, {"gender": "nam"}),
                             (self.an, {"q": "van"})):
            form = form_for(user, **params)
            self.assertEqual(list(form.apply(walk_names=True)), list(form.apply()), params)

    def test_a_page_found_by_walking_is_the_page_found_by_sorting(self):
        form = form_for(self.an)
        sorted_page = list(MemberPaginator(form, 3).page(2))
        with mock.patch.object(MemberFilterForm, "walks_names", return_value=True):
            walked_page = list(MemberPaginator(form_for(self.an), 3).page(2))
        self.assertEqual(walked_page, sorted_page)
        self.assertEqual(len(walked_page), 3)

    def test_sqlite_walks_the_name_index_instead_of_sorting_and_postgresql_is_left_to_its_planner(self):
        if connection.vendor != "sqlite":  # PostgreSQL weighs walking against sorting from its statistics
            self.assertFalse(form_for(self.binh).walks_names(10**6, 30))
            return
        sql, params = form_for(self.binh).apply(walk_names=True).query.sql_with_params()
        with connection.cursor() as c:
            c.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in c.fetchall())
        # The index that holds each entry's place, so the row is read only for a match (W6: a
        # province's third page read 4,500 member rows for 30 with the name alone).
        self.assertIn("member_sort_key_path", plan)
        self.assertNotIn("TEMP B-TREE", plan)

    def test_only_a_big_share_of_the_table_is_walked(self):
        self.assertTrue(cheaper_to_walk(140_000, 30, 6_600_000))  # a province of the nation
        self.assertFalse(cheaper_to_walk(1_400, 30, 6_600_000))  # a commune
        self.assertFalse(cheaper_to_walk(40_000, 3_000, 6_600_000))  # page 100 of a small province

    def test_only_the_name_order_on_sqlite_is_walked(self):
        form = form_for(self.binh, sort="chi_bo")
        self.assertFalse(form.walks_names(10**6, 30))
        self.assertEqual(form_for(self.binh).walks_names(10**6, 30), connection.vendor == "sqlite")
