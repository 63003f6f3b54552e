"""Annual programmes: one per body and year, items planned by month, carried out by a case of the same body, type
and year; completion in the statistics."""

from datetime import date

from core.errors import DomainError
from oversight import programmes, services
from oversight.rules import CaseType
from oversight.stats import statistics
from oversight.tests.world import OversightTestCase


class ProgrammeTest(OversightTestCase):
    def test_plan_carry_out_and_count(self):
        p = programmes.create_programme(self.ubkt_a, year=2026, adopted_on=date(2026, 1, 10), by=self.kiemtra_a)
        with self.assertRaises(DomainError):
            programmes.create_programme(self.ubkt_a, year=2026, adopted_on=date(2026, 1, 11), by=self.kiemtra_a)
        with self.assertRaises(DomainError):
            programmes.create_programme(self.du_a, year=2026, adopted_on=date(2024, 12, 31), by=self.kiemtra_a)
        item = programmes.add_programme_item(p, case_type=CaseType.THEMATIC, content="Chi bộ An Phú", planned_month=3,
                                           by=self.kiemtra_a)
        programmes.add_programme_item(p, case_type=CaseType.FINANCE, content="Đảng phí", planned_month=4,
                                    by=self.kiemtra_a)
        other_type = services.open_case(self.ubkt_a, case_type=CaseType.SIGNS, content="x",
                                        opened_on=date(2026, 3, 2), subjects=[self.cell_a1], by=None)
        with self.assertRaises(DomainError) as ctx:
            programmes.link_case(item, other_type, by=self.kiemtra_a)
        self.assertIn("giám sát chuyên đề", ctx.exception.message)
        case = services.open_case(self.ubkt_a, case_type=CaseType.THEMATIC, content="x", opened_on=date(2026, 3, 2),
                                  subjects=[self.cell_a1], by=None)
        programmes.link_case(item, case, by=self.kiemtra_a)
        q1 = statistics(self.kiemtra_a, self.commune_a, date(2026, 1, 1), date(2026, 3, 31))
        self.assertEqual(q1["programme"], {"planned": 1, "done": 0})
        services.conclude_case(case, concluded_on=date(2026, 3, 20), violation=False, conclusion="Tốt", by=None)
        self.assertEqual(statistics(self.kiemtra_a, self.commune_a, date(2026, 1, 1), date(2026, 3, 31))["programme"],
                         {"planned": 1, "done": 1})
        self.assertEqual(statistics(self.kiemtra_a, self.commune_a, date(2026, 1, 1), date(2026, 4, 1))["programme"],
                         {"planned": 2, "done": 1})

    def test_pages_and_api(self):
        p = programmes.create_programme(self.ubkt_a, year=2026, adopted_on=date(2026, 1, 10), by=None)
        self.client.force_login(self.kiemtra_a)
        response = self.client.post(p.get_absolute_url(), {"do": "item", "item-case_type": CaseType.FINANCE,
                                                           "item-content": "Thu nộp đảng phí", "item-planned_month": 5})
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get("/kiem-tra/chuong-trinh/"), "Ủy ban Kiểm tra Đảng ủy xã An Hòa")
        self.assertEqual(self.api(self.kiemtra_a, "get", "/api/v1/oversight/programmes").json()["items"][0]["items"][0]
                         ["content"], "Thu nộp đảng phí")
        self.assertEqual(self.api(self.xa_a, "get", "/api/v1/oversight/programmes").json()["count"], 0)
        self.client.force_login(self.xa_a)
        self.assertEqual(self.client.get(p.get_absolute_url()).status_code, 404)
