"""The statistical tables, cell by cell, against the test world counted by hand; the page and the downloads."""

import io
from datetime import date

from openpyxl import load_workbook

from dangvu.testing import BaseTestCase, VisibilityMixin, make_member
from figures import tables
from figures.xlsx import FIRST_ROW, workbook_bytes
from members.choices import EventKind, Gender, LeaveReason, Status
from members.services import record_event

YEAR = (date(2026, 1, 1), date(2026, 11, 30))


def values(table) -> dict[str, list]:
    return {row.label: row.values for row in table.rows}


class TablesTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Commune A in 2026: Én admitted 02/03 (woman, Tày, Buddhist, 26 then), Cường moved to B on 03/08,
        # Ánh died 10/10. Bình stays probationary (recognized 01/07/2026 is the officials' anniversary only).
        cls.en = make_member(cls.cell_a2, "Hà Thị Én", gender=Gender.FEMALE, ethnicity="Tày", religion="Phật giáo",
                             birth_date=date(2000, 1, 1), status=Status.PROBATIONARY, admitted_on=date(2026, 3, 2),
                             general_education="12/12")
        record_event(cls.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=cls.cell_b1, by=cls.an)
        record_event(cls.member_a1, EventKind.DECEASED, on=date(2026, 10, 10), by=cls.an,
                     reason=LeaveReason.NONE, decision_number="01-QĐ/ĐU")

    def test_changes_of_commune_a(self):
        v = values(tables.membership_changes(self.commune_a, self.an, *YEAR))
        self.assertEqual(v["Đảng viên đầu kỳ (đến ngày 31/12/2025)"], [3])
        self.assertEqual(v["Tăng trong kỳ"], [1])
        self.assertEqual(v["Kết nạp mới"], [1])
        self.assertEqual(v["Giảm trong kỳ"], [2])
        self.assertEqual(v["Chuyển sinh hoạt chính thức đi"], [1])
        self.assertEqual(v["Từ trần"], [1])
        self.assertEqual(v["Đảng viên cuối kỳ (đến ngày 30/11/2026)"], [2])  # 3 + 1 − 2

    def test_newly_admitted_of_commune_a(self):
        v = values(tables.newly_admitted(self.commune_a, self.an, *YEAR))
        self.assertEqual(v["Tổng số đảng viên kết nạp (cả kết nạp lại)"], [1, 100.0])
        self.assertEqual(v["Nữ"], [1, 100.0])
        self.assertEqual(v["Người dân tộc thiểu số"], [1, 100.0])
        self.assertEqual(v["Phật giáo"], [1, 100.0])
        self.assertEqual(v["Từ 18–30 tuổi"], [1, 100.0])
        self.assertEqual(v["Từ 31–40 tuổi"], [0, 0.0])
        self.assertEqual(values(tables.newly_admitted(self.commune_b, self.an, *YEAR))["Nữ"], [0, None])

    def test_quality_of_commune_a_at_the_end(self):
        v = values(tables.quality(self.commune_a, self.an, *YEAR))
        # Left: Bình (probationary woman, 1980) and Én (probationary woman, Tày, 2000).
        self.assertEqual(v["Tổng số đảng viên"], [2, 100.0])
        self.assertEqual(v["Đảng viên chính thức"], [0, 0.0])
        self.assertEqual(v["Đảng viên dự bị"], [2, 100.0])
        self.assertEqual(v["Người dân tộc thiểu số"], [1, 50.0])
        self.assertEqual(v["Từ 18–30 tuổi"], [1, 50.0])
        self.assertEqual(v["Từ 41–50 tuổi"], [1, 50.0])
        self.assertEqual(v["Dưới 10 năm"], [2, 100.0])

    def test_classification_without_reviews_is_zero(self):
        t = tables.classification(self.commune_a, self.an, *YEAR)
        self.assertEqual(t.rows[0].values, [0, None, 0, None])
        self.assertEqual(len(t.rows), 5)

    def test_workbook_holds_the_same_cells(self):
        wb = load_workbook(io.BytesIO(workbook_bytes(self.commune_a, self.an, *YEAR)))
        self.assertEqual(len(wb.sheetnames), 4)
        ws = wb[wb.sheetnames[0]]
        self.assertEqual(ws.cell(FIRST_ROW, 2).value, "Đảng viên đầu kỳ (đến ngày 31/12/2025)")
        self.assertEqual(ws.cell(FIRST_ROW, 3).value, 3)
        labels = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(FIRST_ROW, ws.max_row + 1)}
        self.assertEqual(labels["Từ trần"], 1)
        q = wb[wb.sheetnames[2]]
        row = next(r for r in range(FIRST_ROW, q.max_row + 1) if q.cell(r, 2).value == "Người dân tộc thiểu số")
        self.assertEqual((q.cell(row, 3).value, q.cell(row, 4).value), (1, 50.0))
        self.assertIn("ĐẢNG BỘ XÃ AN HÒA", ws.cell(1, 1).value)


class PagesTest(VisibilityMixin, BaseTestCase):
    def test_page_shows_the_tables_and_offers_the_workbook(self):
        self.client.force_login(self.binh)
        r = self.client.get("/thong-ke/", {"don_vi": self.commune_a.pk, "tu_ngay": "01/01/2026",
                                           "den_ngay": "30/11/2026"})
        self.assertEqual(r.status_code, 200)
        text = r.content.decode()
        for title in ("BIẾN ĐỘNG ĐẢNG VIÊN", "ĐẢNG VIÊN MỚI KẾT NẠP", "CHẤT LƯỢNG ĐẢNG VIÊN", "KẾT QUẢ XẾP LOẠI"):
            self.assertIn(title, text)
        self.assertIn("/thong-ke/bieu.xlsx?", text)
        x = self.client.get("/thong-ke/bieu.xlsx", {"don_vi": self.commune_a.pk, "tu_ngay": "01/01/2026",
                                                   "den_ngay": "30/11/2026"})
        self.assertEqual(x.status_code, 200)
        self.assertEqual(len(load_workbook(io.BytesIO(x.content)).sheetnames), 4)

    def test_a_period_ending_before_it_starts_is_explained(self):
        self.client.force_login(self.binh)
        r = self.client.get("/thong-ke/", {"don_vi": self.commune_a.pk, "tu_ngay": "01/05/2026",
                                           "den_ngay": "01/04/2026"})
        self.assertContains(r, "sau ngày cuối kỳ")

    def test_dung_cannot_see_commune_a(self):
        self.client.force_login(self.dung)
        r = self.client.get("/thong-ke/", {"don_vi": self.commune_a.pk})
        self.assertNotContains(r, "Đảng bộ xã An Hòa, từ", status_code=200)

    def test_api_workbook_and_reach(self):
        r = self.api(self.an, "get", f"/api/v1/statistics/tables.xlsx?unit={self.commune_a.pk}"
                                     "&from=2026-01-01&to=2026-11-30")
        self.assertEqual(r.status_code, 200, r.content[:300])
        self.assertEqual(len(load_workbook(io.BytesIO(r.content)).sheetnames), 4)
        self.assert_api_hidden_from_dung(f"/api/v1/statistics/tables.xlsx?unit={self.commune_a.pk}")
        bad = self.api(self.an, "get", f"/api/v1/statistics/tables.xlsx?unit={self.commune_a.pk}"
                                       "&from=2026-05-01&to=2026-04-01")
        self.assertEqual(bad.status_code, 422)
