"""The register: documents entered with their numbers, links without cycles, lineage down the tree, the
dissemination coverage, the pages and the API, each scoped to the user's subtree."""

from datetime import date, timedelta

from django.utils import timezone

from core import worklist
from core.errors import DomainError
from dangvu.testing import BaseTestCase, VisibilityMixin, make_unit
from documents import lineage, services
from documents.models import Document
from orgs.models import Kind


class World(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kl = services.register(unit=None, issuer="TW", doc_type="KL", number=21, issued_on=date(2021, 10, 25),
                                   title="Kết luận về xây dựng, chỉnh đốn Đảng", by=None)
        cls.plan = services.register(unit=cls.province, issuer="TU", doc_type="KH", number=82,
                                     issued_on=date(2022, 1, 20), title="Kế hoạch thực hiện Kết luận 21",
                                     implements=cls.kl, by=None)
        cls.plan_a = services.issue(unit=cls.commune_a, doc_type="KH", on=date(2025, 9, 15), by=None,
                                    title="Kế hoạch thực hiện 82-KH/TU", implements=cls.plan)


class RegisterTests(World, VisibilityMixin):
    def test_the_same_number_twice_in_a_period_is_refused(self):
        with self.assertRaisesMessage(DomainError, "Số 82-KH/TU đã được ghi"):
            services.register(unit=self.province, issuer="TU", doc_type="KH", number=82, issued_on=date(2022, 5, 1),
                              title="Khác", by=self.an)
        # another year without a recorded term is another sequence
        services.register(unit=self.province, issuer="TU", doc_type="KH", number=82, issued_on=date(2023, 5, 1),
                          title="Khác", by=self.an)

    def test_a_document_cannot_implement_itself_through_a_chain(self):
        with self.assertRaisesMessage(DomainError, "không thể thực hiện chính nó"):
            services.update(self.kl, {"implements": self.plan_a}, by=self.an)
        self.kl.refresh_from_db()
        self.assertIsNone(self.kl.implements)

    def test_dates_and_rights(self):
        tomorrow = timezone.localdate() + timedelta(days=1)
        with self.assertRaisesMessage(DomainError, "không được sau ngày hôm nay"):
            services.register(unit=self.commune_a, issuer="ĐU", doc_type="NQ", number=5, issued_on=tomorrow,
                              title="X", by=self.binh)
        with self.assertRaisesMessage(DomainError, "Hạn sơ kết"):
            services.register(unit=self.commune_a, issuer="ĐU", doc_type="NQ", number=5, issued_on=date(2026, 1, 5),
                              review_due=date(2026, 1, 5), title="X", by=self.binh)
        with self.assertRaisesMessage(DomainError, "không có quyền"):
            services.register(unit=self.commune_a, issuer="ĐU", doc_type="NQ", number=5, issued_on=date(2026, 1, 5),
                              title="X", by=self.dung)
        self.assertEqual(Document.objects.count(), 3)


class LineageTests(World):
    def test_the_chain_down_the_tree_and_who_has_not_acted(self):
        tree = lineage.lineage(self.kl, self.an)
        self.assertEqual([c.document.symbol for c in tree.children], ["82-KH/TU"])
        province_node = tree.children[0]
        self.assertEqual([c.document.symbol for c in province_node.children], ["01-KH/ĐU"])
        self.assertEqual([u.name for u in province_node.missing], ["Đảng bộ xã Bình Sơn"])  # B has no plan

    def test_a_commune_officer_sees_the_plans_above_and_only_its_own_branch(self):
        tree = lineage.lineage(self.kl, self.dung)
        province_node = tree.children[0]  # the province's plan, which B must implement, is read from below
        self.assertEqual(province_node.document.pk, self.plan.pk)
        self.assertEqual(province_node.children, [])  # A's plan is not dung's to see
        self.assertEqual([u.name for u in province_node.missing], ["Đảng bộ xã Bình Sơn"])
        self.assertEqual(tree.missing, [])  # listed once, under the province's plan

    def test_only_the_top_levels_change_a_central_documents_status(self):
        with self.assertRaisesMessage(DomainError, "chỉ cán bộ cấp tỉnh trở lên"):
            services.update(self.kl, {"status": Document.Status.EXPIRED}, by=self.binh)
        services.update(self.kl, {"status": Document.Status.EXPIRED}, by=self.an)

    def test_coverage_counts_cells_and_members(self):
        services.disseminate(self.plan_a, unit=self.cell_a1, held_on=date(2025, 10, 1), attended=9, total=10,
                             by=self.chi)
        c = lineage.coverage(lineage.documents_of(lineage.lineage(self.kl, self.binh)), self.commune_a, self.binh)
        self.assertEqual((c.cells, c.covered, c.cells_percent), (2, 1, 50.0))
        self.assertEqual((c.attended, c.total, c.members_percent), (9, 10, 90.0))
        self.assertEqual([u.name for u in c.without], ["Chi bộ thôn An Lạc"])

    def test_dissemination_rules(self):
        with self.assertRaisesMessage(DomainError, "lớn hơn tổng số"):
            services.disseminate(self.plan_a, unit=self.cell_a1, held_on=date(2025, 10, 1), attended=11, total=10,
                                 by=self.chi)
        with self.assertRaisesMessage(DomainError, "trước ngày ban hành"):
            services.disseminate(self.plan_a, unit=self.cell_a1, held_on=date(2025, 9, 14), attended=1, total=10,
                                 by=self.chi)


class WorklistTests(World):
    def test_a_review_due_is_on_the_issuers_work_list_until_held(self):
        today = timezone.localdate()
        services.update(self.plan_a, {"review_due": today - timedelta(days=1)}, by=self.binh)
        items = [i for i in worklist.collect(self.binh, today) if i.kind == "documents.review"]
        self.assertEqual(len(items), 1)
        self.assertTrue(items[0].overdue)
        self.assertFalse([i for i in worklist.collect(self.dung, today) if i.kind == "documents.review"])
        services.update(self.plan, {"review_due": today}, by=self.an)  # the province's: not binh's to hold
        self.assertEqual(len([i for i in worklist.collect(self.binh, today) if i.kind == "documents.review"]), 1)
        services.update(self.plan_a, {"reviewed_on": today}, by=self.binh)
        self.assertFalse([i for i in worklist.collect(self.binh, today) if i.kind == "documents.review"])


class PageTests(World, VisibilityMixin):
    def test_search_by_symbol_or_title_without_diacritics(self):
        self.client.force_login(self.binh)
        for q in ("25 - KH/ĐU", "Số 01-KH/ĐU", "ke hoach thuc hien 82"):
            response = self.client.get("/van-ban/", {"q": q})
            if q.startswith("25"):
                self.assertNotContains(response, "01-KH/ĐU")
            else:
                self.assertContains(response, "01-KH/ĐU")

    def test_the_page_is_hidden_outside_the_subtree(self):
        self.assert_page_hidden_from_dung(f"/van-ban/{self.plan_a.pk}/")
        self.assert_api_hidden_from_dung(f"/api/v1/documents/{self.plan_a.pk}")
        self.client.force_login(self.dung)
        self.assert_no_trace_of_a(self.client.get("/van-ban/").content)

    def test_issue_a_number_from_the_form_and_keep_typed_input_on_error(self):
        self.client.force_login(self.binh)
        data = {"unit": self.commune_a.pk, "symbol": "", "doc_type": "NQ", "issued_on": "05/01/2026",
                "title": "Nghị quyết lãnh đạo phát triển đảng viên", "status": "ban_hanh", "implements": "25-KH"}
        response = self.client.post("/van-ban/ghi/", data)
        self.assertContains(response, "thiếu ký hiệu cơ quan ban hành", status_code=400)
        self.assertContains(response, "Nghị quyết lãnh đạo phát triển đảng viên", status_code=400)
        data["implements"] = "01-KH/ĐU"
        response = self.client.post("/van-ban/ghi/", data)
        document = Document.objects.get(title=data["title"])
        self.assertRedirects(response, f"/van-ban/{document.pk}/")
        self.assertEqual((document.symbol, document.implements), ("01-NQ/ĐU", self.plan_a))
        page = self.client.get(f"/van-ban/{self.kl.pk}/")
        self.assertContains(page, "01-NQ/ĐU")  # in the lineage under the commune's plan


class ApiTests(World):
    def test_parse(self):
        for text in ("Số 25-KH/ĐU", "25-KH/ĐU", "25 - KH/ĐU"):
            body = self.api(self.binh, "get", f"/api/v1/documents/parse?symbol={text}").json()
            self.assertEqual(body, {"number": 25, "type": "KH", "issuer": "ĐU", "symbol": "25-KH/ĐU"})
        response = self.api(self.binh, "get", "/api/v1/documents/parse?symbol=25-KH")
        self.assertEqual(response.status_code, 400)
        self.assertIn("thiếu ký hiệu cơ quan ban hành", response.json()["detail"])
        self.assertEqual(self.api(self.binh, "get", "/api/v1/documents/parse?symbol=25KH/ĐU").status_code, 400)

    def test_lineage_and_search(self):
        body = self.api(self.an, "get", f"/api/v1/documents/{self.kl.pk}/lineage").json()
        self.assertEqual(body["children"][0]["document"]["symbol"], "82-KH/TU")
        self.assertEqual([u["name"] for u in body["children"][0]["missing"]], ["Đảng bộ xã Bình Sơn"])
        found = self.api(self.binh, "get", "/api/v1/documents?q=ve xay dung").json()
        self.assertEqual([d["symbol"] for d in found["items"]], ["21-KL/TW"])

    def test_create_and_disseminate(self):
        response = self.api(self.binh, "post", "/api/v1/documents", data={
            "unit": self.commune_a.pk, "type": "NQ", "issued_on": "2026-01-05", "title": "Thử"})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["symbol"], "01-NQ/ĐU")
        response = self.api(self.dung, "post", "/api/v1/documents", data={
            "unit": self.commune_a.pk, "type": "NQ", "issued_on": "2026-01-05", "title": "Thử"})
        self.assertEqual(response.status_code, 404)
        response = self.api(self.binh, "post", f"/api/v1/documents/{self.plan_a.pk}/disseminations", data={
            "unit": self.cell_a2.pk, "held_on": "2025-10-02", "attended": 5, "total": 4})
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("lớn hơn tổng số", response.json()["detail"])


class MovedUnitTests(World):
    def test_a_cell_under_a_grassroots_committee_is_not_asked_for_a_plan(self):
        school = make_unit(self.commune_a, "Đảng bộ Trường THPT", Kind.GRASSROOTS_COMMITTEE)
        make_unit(school, "Chi bộ Giáo viên")
        node = lineage.lineage(self.kl, self.binh).children[0].children[0]
        self.assertEqual(node.document.pk, self.plan_a.pk)
        self.assertEqual([u.name for u in node.missing], ["Đảng bộ Trường THPT"])
