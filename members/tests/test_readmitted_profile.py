"""A re-admitted member has two recognitions: the profile's date is the latest one, and editing the
profile (on the page or by import) leaves the first, from before the member left, as it was."""

import io
from datetime import date

from openpyxl import load_workbook

from dangvu.testing import BaseTestCase, make_member
from members.exporter import export_xlsx_bytes
from members.importer import validate
from members.importwrite import apply
from members.models import EventKind, Member
from members.services import record_event, update_member

FIRST, SECOND = date(2006, 5, 19), date(2015, 9, 1)


class ReadmittedProfileTests(BaseTestCase):
    def setUp(self):
        self.m = make_member(self.cell_a1, "Đỗ Văn Hải", admitted_on=date(2005, 5, 19), recognized_on=FIRST)
        record_event(self.m, EventKind.STRUCK_OFF, on=date(2010, 3, 1), by=None)
        record_event(self.m, EventKind.READMITTED, on=date(2014, 9, 1), by=None)
        record_event(self.m, EventKind.RECOGNIZED, on=SECOND, by=None)
        self.m.refresh_from_db()

    def recognitions(self) -> list[date]:
        return list(self.m.events.filter(kind=EventKind.RECOGNIZED).order_by("on").values_list("on", flat=True))

    def test_editing_another_field_keeps_both_recognitions(self):
        self.assertEqual(self.m.recognized_on, SECOND)
        update_member(self.m, {"phone": "0912345678"}, by=self.binh)
        self.assertEqual(self.recognitions(), [FIRST, SECOND])

    def test_a_new_recognition_date_moves_only_the_latest(self):
        update_member(self.m, {"recognized_on": date(2015, 9, 10)}, by=self.binh)
        self.assertEqual(self.recognitions(), [FIRST, date(2015, 9, 10)])

    def test_an_import_that_moves_the_recognition_date_keeps_the_first(self):
        wb = load_workbook(io.BytesIO(export_xlsx_bytes(Member.objects.filter(pk=self.m.pk), include_sensitive=True)))
        ws = wb["Đảng viên"]
        column = [c.value for c in ws[1]].index("Ngày chính thức") + 1
        ws.cell(row=2, column=column, value=date(2015, 9, 10))
        out = io.BytesIO()
        wb.save(out)
        result = validate(out.getvalue(), self.binh, self.commune_a)
        self.assertEqual((result.errors, len(result.updates)), ([], 1))
        apply(result, user=self.binh, unit=self.commune_a)
        self.assertEqual(self.recognitions(), [FIRST, date(2015, 9, 10)])
