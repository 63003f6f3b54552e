"""The app reads its own files: each demo commune's export, as its officer downloads it from the list
page, imports back with no error and no change, whatever the demo holds (former members too)."""

import io
import shutil
import tempfile
from datetime import date

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from audit.models import AuditEntry
from dangvu.testing import REFORM, BaseTestCase, make_member
from members.demo import load_demo
from members.exporter import export_docx, export_xlsx_bytes
from members.filters import ALL
from members.importer import validate
from members.importwrite import apply
from members.models import EventKind, LeaveReason, Member, Status
from members.services import record_event, update_member
from members.tests.test_import import xlsx
from orgs.models import OrgUnit


class DemoRoundTripTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        users = get_user_model().objects
        cls.officers = {code: users.get(username=name) for code, name in (("AH", "xa_a"), ("BS", "xa_b"))}

    def setUp(self):
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=media)
        override.enable()
        self.addCleanup(override.disable)

    def export(self, officer, commune: OrgUnit, status: str) -> bytes:
        self.client.force_login(officer)
        response = self.client.get(reverse("members-export-xlsx"), {"unit": commune.pk, "status": status})
        self.assertEqual(response.status_code, 200)
        return response.content

    def assert_reimports_unchanged(self, content: bytes, officer, commune: OrgUnit, expected_rows: int, what: str):
        result = validate(content, officer, commune)
        self.assertEqual(result.errors, [], what)
        self.assertEqual((len(result.creates), len(result.updates), result.unchanged), (0, 0, expected_rows), what)

    def test_each_demo_commune_exports_and_reimports_with_nothing_changed(self):
        for code, officer in self.officers.items():
            commune = OrgUnit.objects.get(code=code)
            members = Member.objects.visible_to(officer).filter(org_path__startswith=commune.path)
            for status, rows in (("", members.active()), (ALL, members)):
                what = f"{code}, status={status or 'đang sinh hoạt'}"
                self.assertTrue(rows.exists(), what)
                self.assert_reimports_unchanged(self.export(officer, commune, status), officer, commune,
                                                rows.count(), what)
            # Without the CCCD column (an export made for someone who may not see it), rows are
            # matched by name, birth date and cell.
            self.assert_reimports_unchanged(export_xlsx_bytes(members, include_sensitive=False), officer, commune,
                                            members.count(), f"{code} without CCCD")

    def test_writing_the_reimport_of_commune_a_changes_no_member(self):
        officer, commune = self.officers["AH"], OrgUnit.objects.get(code="AH")
        content = self.export(officer, commune, ALL)
        members = Member.objects.filter(org_path__startswith=commune.path)
        before = list(members.order_by("pk").values_list("pk", "updated_at"))
        result = validate(content, officer, commune)
        self.assertTrue(result.ok, result.errors)
        apply(result, user=officer, unit=commune)
        self.assertEqual(list(members.order_by("pk").values_list("pk", "updated_at")), before)
        self.assertFalse(AuditEntry.objects.filter(action="members.member.updated").exists())


class FormerMembersRoundTripTests(BaseTestCase):
    """Members whose record is more than an admission and a recognition: left, re-admitted,
    re-admitted and recognized again, transferred out, deceased."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        first = {"admitted_on": date(2010, 3, 2)}
        cls.readmitted = make_member(cls.cell_a2, "Đỗ Văn Lại", **first)  # official from 02/3/2011
        record_event(cls.readmitted, EventKind.STRUCK_OFF, on=date(2019, 6, 1), by=None)
        record_event(cls.readmitted, EventKind.READMITTED, on=date(2024, 9, 2), by=None)
        cls.recognized_again = make_member(cls.cell_a2, "Đỗ Thị Về", gender="nu", **first)
        # Resigned for family hardship: the one resignation after which re-admission is allowed (rules §1).
        for kind, on, reason in ((EventKind.RESIGNED, date(2018, 1, 5), LeaveReason.FAMILY_HARDSHIP),
                                 (EventKind.READMITTED, date(2022, 2, 3), ""), (EventKind.RECOGNIZED, date(2023, 2, 3), "")):
            record_event(cls.recognized_again, kind, on=on, by=None, reason=reason)
        cls.gone = make_member(cls.cell_a2, "Phan Văn Đi", **first)
        record_event(cls.gone, EventKind.TRANSFERRED_OUT, on=date(2024, 1, 1), by=None)
        cls.deceased = make_member(cls.cell_a2, "Võ Văn Mất", status=Status.PROBATIONARY, admitted_on=date(2025, 8, 1))
        record_event(cls.deceased, EventKind.DECEASED, on=date(2026, 1, 1), by=None)

    def exported(self) -> tuple[bytes, dict[str, dict]]:
        content = export_xlsx_bytes(Member.objects.visible_to(self.binh), include_sensitive=True)
        rows = list(load_workbook(io.BytesIO(content)).active.values)
        return content, {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}

    def test_a_readmitted_member_on_probation_is_exported_without_the_old_recognition_date(self):
        _, rows = self.exported()
        row = rows["Đỗ Văn Lại"]
        self.assertEqual((row["Trạng thái"], row["Ngày vào Đảng"].date(), row["Ngày chính thức"]),
                         ("Dự bị", date(2010, 3, 2), None))
        self.assertEqual(Member.objects.get(pk=self.readmitted.pk).recognized_on, date(2011, 3, 2))  # still on record
        row = rows["Đỗ Thị Về"]
        self.assertEqual((row["Trạng thái"], row["Ngày chính thức"].date()), ("Chính thức", date(2023, 2, 3)))
        # The Word list too: admitted 02/3/2010, no recognition date, "Dự bị" in the remarks (after the card number and post).
        doc = Document(io.BytesIO(export_docx(Member.objects.filter(pk=self.readmitted.pk), self.cell_a2,
                                              on=date(2026, 12, 1))))
        cells = [c.text for c in doc.tables[1].rows[1].cells]
        self.assertEqual((cells[1], cells[4], cells[5], cells[8]), ("Đỗ Văn Lại", "02/03/2010", "", "Dự bị"))

    def test_every_status_exports_and_reimports_with_nothing_changed(self):
        content, rows = self.exported()
        self.assertEqual(len(rows), Member.objects.visible_to(self.binh).count())
        result = validate(content, self.binh, self.commune_a)
        self.assertEqual(result.errors, [])
        self.assertEqual((len(result.creates), len(result.updates), result.unchanged), (0, 0, len(rows)))

    def test_a_recognized_again_member_can_still_be_edited(self):
        # The profile's recognition date is the latest one; the first recognition event keeps its date.
        member = Member.objects.select_related("unit").get(pk=self.recognized_again.pk)
        update_member(member, {"phone": "0912345678"}, by=self.binh)
        self.assertEqual(sorted(member.events.filter(kind=EventKind.RECOGNIZED).values_list("on", flat=True)),
                         [date(2011, 3, 2), date(2023, 2, 3)])


class LegacyCccdTests(BaseTestCase):
    """A CCCD typed in before this system with a digit missing: its export imports back, and the
    file can leave it as it is but never write such a value."""

    SHORT = "05108001234"

    def setUp(self):
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=self.SHORT)

    def rows(self, *lines) -> bytes:
        return xlsx(lines)

    def line(self, name="Nguyễn Văn Ánh", citizen_id=SHORT, birth=date(1980, 5, 17)) -> list:
        return [name, "Nam", birth, citizen_id, self.cell_a1.code or f"#{self.cell_a1.pk}", "Chính thức",
                REFORM]

    def test_the_short_cccd_the_record_holds_is_left_as_it_is(self):
        result = validate(self.rows(self.line()), self.binh, self.commune_a)
        self.assertEqual((result.errors, result.unchanged), ([], 1))

    def test_a_short_cccd_the_record_does_not_hold_is_refused_at_its_cell(self):
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=None)
        for line in (self.line(), self.line("Hoàng Văn Mới")):  # an existing member, a new one
            result = validate(self.rows(line), self.binh, self.commune_a)
            self.assertEqual([(e["cell"], e["message"]) for e in result.errors],
                             [("D2", "Số CCCD phải có đúng 12 chữ số (đang có 11).")], line[0])

    def test_a_short_cccd_on_a_row_with_another_fault_is_reported_too(self):
        result = validate(self.rows(self.line(birth="31/02/1980")), self.binh, self.commune_a)
        self.assertEqual(sorted(e["cell"] for e in result.errors), ["C2", "D2"])
