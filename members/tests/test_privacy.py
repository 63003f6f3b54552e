"""One rule for sensitive personal data (members.privacy): the page, the API and the Excel export
agree on which fields are whole or masked; whole views and exports are in the audit log; lists
mask; every such answer says `Cache-Control: no-store`."""

import io
import re
from datetime import date
from itertools import zip_longest

from django.urls import reverse
from openpyxl import load_workbook

from access.models import Grant
from access.rules import ROLE_ACTIONS, Role, roles_allowing
from audit.models import AuditEntry
from dangvu.testing import BaseTestCase, make_user
from members import privacy
from members.models import Member, Relative
from members.tests.test_import import ImportTestCase, row, xlsx

CCCD_A1 = "001080012345"
CCCD_A2 = "001080067890"
MEMBERS = "/api/v1/members"


def plain(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def sheet_rows(content: bytes) -> dict[str, dict[str, object]]:
    """The exported list as {full name: {header: value}}."""
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    return {r[rows[0].index("Họ và tên")]: dict(zip_longest(rows[0], r)) for r in rows[1:]}


class PrivacyTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Member.objects.filter(pk=cls.member_a1.pk).update(citizen_id=CCCD_A1, religion="Phật giáo")
        Member.objects.filter(pk=cls.member_a2.pk).update(citizen_id=CCCD_A2, religion="Công giáo")
        Relative.objects.create(member=cls.member_a1, relation="Vợ", full_name="Lê Thị Hoa", birth_year=1982)

    def page(self, user, name="members-detail", member=None, query=""):
        self.client.force_login(user)
        args = [(member or self.member_a1).pk] if name in ("members-detail", "members-edit") else []
        return self.client.get(reverse(name, args=args) + query)

    def entries(self, action):
        return list(AuditEntry.objects.filter(action=action).order_by("id"))


class OneRuleTests(PrivacyTestCase):
    def test_the_map_and_the_sensitive_action_name_the_same_roles(self):
        # Seeing whole (members.privacy) and entering (access.rules "sensitive") must not drift apart.
        self.assertEqual({r for r, fields in privacy.WHOLE.items() if fields}, set(roles_allowing("sensitive")))
        self.assertEqual(set(privacy.WHOLE), set(ROLE_ACTIONS))

    def test_binh_page_api_and_export_agree_and_each_whole_view_is_audited(self):
        # binh is commune A's organization officer (the demo's xa_a).
        text = plain(self.page(self.binh))
        self.assertIn(f"Số CCCD {CCCD_A1}", text)
        self.assertIn("Tôn giáo Phật giáo", text)
        self.assertIn("Lê Thị Hoa", text)
        detail = self.api(self.binh, "get", f"{MEMBERS}/{self.member_a1.pk}").json()
        self.assertEqual((detail["citizen_id"], detail["religion"]), (CCCD_A1, "Phật giáo"))
        self.assertEqual(detail["relatives"][0]["full_name"], "Lê Thị Hoa")
        rows = sheet_rows(self.page(self.binh, "members-export-xlsx").content)
        self.assertEqual((rows["Nguyễn Văn Ánh"]["Số CCCD"], rows["Nguyễn Văn Ánh"]["Tôn giáo"]), (CCCD_A1, "Phật giáo"))
        api_rows = sheet_rows(self.api(self.binh, "get", f"{MEMBERS}/export.xlsx").content)
        self.assertEqual(api_rows, rows)

        viewed = self.entries(privacy.VIEWED)
        self.assertEqual([(e.actor, e.object_id, e.after["via"]) for e in viewed],
                         [(self.binh, str(self.member_a1.pk), "trang hồ sơ"), (self.binh, str(self.member_a1.pk), "API")])
        self.assertEqual(viewed[0].after["fields"], ["Số CCCD", "Tôn giáo", "Quan hệ gia đình"])
        exported = self.entries(privacy.EXPORTED)
        self.assertEqual(len(exported), 2)
        a_members = {self.member_a1.pk, self.member_a1_prob.pk, self.member_a2.pk}
        self.assertEqual(set(exported[0].after["member_ids"]), a_members)
        self.assertEqual(exported[0].after["count"], 3)
        self.assertEqual(exported[0].unit_path, self.commune_a.path)  # the common ancestor of the members
        seen_by = AuditEntry.objects.filter(action__startswith="members.sensitive")
        self.assertEqual(seen_by.visible_to(self.an, "audit").count(), 4)  # the province sees them
        self.assertEqual(seen_by.visible_to(self.dung, "audit").count(), 0)

    def test_the_cell_secretary_sees_the_same_mask_everywhere_and_nothing_is_audited(self):
        mask = f"••••••••{CCCD_A1[-4:]}"
        text = plain(self.page(self.chi))
        self.assertIn(f"Số CCCD {mask}", text)
        self.assertIn("Tôn giáo (ẩn)", text)
        self.assertNotIn("Lê Thị Hoa", text)
        self.assertIn(mask, plain(self.page(self.chi, "members-list")))
        detail = self.api(self.chi, "get", f"{MEMBERS}/{self.member_a1.pk}").json()
        self.assertEqual((detail["citizen_id"], detail["religion"], detail["relatives"]), (mask, None, None))
        rows = sheet_rows(self.page(self.chi, "members-export-xlsx").content)
        self.assertNotIn("Số CCCD", rows["Nguyễn Văn Ánh"])
        self.assertNotIn("Tôn giáo", rows["Nguyễn Văn Ánh"])
        self.assertFalse(AuditEntry.objects.filter(action__startswith="members.sensitive").exists())

    def test_lists_mask_even_for_binh_and_write_no_audit_entry(self):
        text = plain(self.page(self.binh, "members-list"))
        self.assertIn(f"••••••••{CCCD_A1[-4:]}", text)
        self.assertNotIn(CCCD_A1, text)
        items = self.api(self.binh, "get", MEMBERS).json()["items"]
        by_name = {i["full_name"]: i["citizen_id"] for i in items}
        self.assertEqual(by_name["Nguyễn Văn Ánh"], f"••••••••{CCCD_A1[-4:]}")
        self.assertFalse(AuditEntry.objects.filter(action__startswith="members.sensitive").exists())

    def test_with_two_grants_the_fields_are_whole_only_under_the_grant_that_allows_it(self):
        # Secretary over commune A, organization officer only of cell A1.
        mixed = make_user("hai_quyen", self.commune_a, Role.CELL_SECRETARY)
        Grant.objects.create(user=mixed, unit=self.cell_a1, role=Role.ORGANIZATION)
        self.assertIn(CCCD_A1, plain(self.page(mixed)))
        self.assertNotIn(CCCD_A2, plain(self.page(mixed, member=self.member_a2)))
        self.assertIsNone(self.api(mixed, "get", f"{MEMBERS}/{self.member_a2.pk}").json()["religion"])
        rows = sheet_rows(self.page(mixed, "members-export-xlsx").content)
        self.assertEqual(rows["Nguyễn Văn Ánh"]["Số CCCD"], CCCD_A1)
        self.assertIsNone(rows["Lê Văn Cường"]["Số CCCD"])  # empty: re-imported, it leaves the record as it is
        self.assertIsNone(rows["Lê Văn Cường"]["Tôn giáo"])
        [export] = self.entries(privacy.EXPORTED)
        self.assertEqual(set(export.after["member_ids"]), {self.member_a1.pk, self.member_a1_prob.pk})
        self.assertEqual(export.unit_path, self.cell_a1.path)

    def test_views_do_not_crowd_the_changes_out_of_the_members_page(self):
        self.page(self.binh)
        entries = self.page(self.binh).context["audit_entries"]
        self.assertNotIn(privacy.VIEWED, [e.action for e in entries])
        self.assertEqual(len(self.entries(privacy.VIEWED)), 2)

    def test_the_edit_form_holding_the_values_is_a_whole_view(self):
        self.assertContains(self.page(self.binh, "members-edit"), CCCD_A1)
        [entry] = self.entries(privacy.VIEWED)
        self.assertEqual((entry.actor, entry.object_id), (self.binh, str(self.member_a1.pk)))


class NoStoreTests(PrivacyTestCase):
    def assert_no_store(self, response):
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertIn("no-store", response.get("Cache-Control", ""))

    def test_pages_exports_and_api_answers_carrying_member_data_are_not_stored(self):
        for name in ("members-detail", "members-edit", "members-list", "members-export-xlsx", "members-quality",
                     "audit-list"):
            with self.subTest(name):
                self.assert_no_store(self.page(self.binh, name))
        for url in (MEMBERS, f"{MEMBERS}/{self.member_a1.pk}", f"{MEMBERS}/export.xlsx",
                    f"{MEMBERS}/{self.member_a1.pk}/history"):
            with self.subTest(url):
                self.assert_no_store(self.api(self.binh, "get", url))


class ImportFileTests(ImportTestCase):
    """The import's page and error file follow the same rule for the values they quote."""

    def test_the_cell_secretary_reads_a_bad_cccd_masked_on_the_page_and_in_the_error_file(self):
        bad = "001080012"  # 9 digits: refused, and quoted in the error list
        job = self.run_job(xlsx([row(citizen_id=bad, birth=date(1980, 5, 17))]), user=self.chi, unit=self.cell_a1)
        self.assertEqual(job.errors[0]["value"], bad)  # stored as written, for the one who may read it whole
        self.client.force_login(self.chi)
        page = self.client.get(reverse("members-import-job", args=[job.pk]))
        self.assertContains(page, "••••••••0012")
        self.assertNotContains(page, bad)
        self.assertIn("no-store", page["Cache-Control"])
        report = self.client.get(reverse("members-import-errors", args=[job.pk]))
        errors = load_workbook(io.BytesIO(report.content), read_only=True)["Lỗi"]
        self.assertEqual([r[3] for r in errors.iter_rows(min_row=2, values_only=True)], ["••••••••0012"])
        status = self.api(self.chi, "get", f"/api/v1/members/import/{job.pk}")
        self.assertEqual(status.json()["errors"][0]["value"], "••••••••0012")

    def test_binh_reads_it_whole(self):
        bad = "001080012"
        job = self.run_job(xlsx([row(citizen_id=bad, birth=date(1980, 5, 17))]))
        self.client.force_login(self.binh)
        self.assertContains(self.client.get(reverse("members-import-job", args=[job.pk])), bad)
