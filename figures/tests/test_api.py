"""GET /api/v1/statistics/members and /api/v1/statistics: totals agree with the tree's API, reach, bad input."""

from datetime import date, timedelta

from django.utils import timezone

from dangvu.testing import BaseTestCase, VisibilityMixin
from members.choices import EventKind
from members.services import record_event


class MembersApiTest(VisibilityMixin, BaseTestCase):
    def get(self, user, unit, on=None):
        url = f"/api/v1/statistics/members?unit={unit.pk}" + (f"&on={on.isoformat()}" if on else "")
        return self.api(user, "get", url)

    def test_today_total_equals_the_tree_api(self):
        r = self.get(self.an, self.province)
        self.assertEqual(r.status_code, 200, r.content)
        body = r.json()
        self.assertEqual((body["total"], body["official"], body["probationary"], body["female"]), (4, 3, 1, 2))
        tree = self.api(self.an, "get", f"/api/v1/orgs/{self.province.pk}").json()
        self.assertEqual(body["total"], tree["members"]["total"])

    def test_a_past_day_agrees_with_the_tree_api_of_that_day(self):
        record_event(self.member_a2, EventKind.MOVED, on=date(2026, 8, 3), unit=self.cell_b1, by=self.an)
        for on in (date(2026, 8, 2), date(2026, 8, 3), date(2025, 6, 30)):
            for unit in (self.commune_a, self.commune_b, self.province):
                mine = self.get(self.an, unit, on).json()
                tree = self.api(self.an, "get", f"/api/v1/orgs/{unit.pk}?on={on.isoformat()}").json()
                self.assertEqual(mine["total"], tree["members"]["total"], (unit.name, on))
        self.assertEqual(self.get(self.an, self.commune_a, date(2026, 8, 2)).json()["total"], 3)
        self.assertEqual(self.get(self.an, self.commune_a, date(2026, 8, 3)).json()["total"], 2)
        self.assertEqual(self.get(self.an, self.province, date(2025, 6, 30)).json()["total"], 0)

    def test_outside_the_subtree_is_404_and_a_future_day_422(self):
        self.assert_api_hidden_from_dung(f"/api/v1/statistics/members?unit={self.commune_a.pk}")
        tomorrow = timezone.localdate() + timedelta(days=1)
        r = self.get(self.an, self.province, tomorrow)
        self.assertEqual(r.status_code, 422)
        self.assertIn("chưa đến", r.content.decode())


class PeriodApiTest(VisibilityMixin, BaseTestCase):
    def test_codes_with_labels(self):
        r = self.api(self.an, "get", f"/api/v1/statistics?unit={self.commune_a.pk}&from=2026-01-01&to=2026-07-01"
                                      "&codes=dv_tong,bd_recognized")
        self.assertEqual(r.status_code, 200, r.content)
        body = r.json()
        self.assertEqual(body["values"], {"dv_tong": 3, "bd_recognized": 2})
        self.assertEqual(body["labels"]["dv_tong"], "Tổng số đảng viên")

    def test_bad_input(self):
        base = f"/api/v1/statistics?unit={self.commune_a.pk}"
        self.assertEqual(self.api(self.an, "get", base + "&from=2026-05-01&to=2026-04-01").status_code, 422)
        self.assertEqual(self.api(self.an, "get", base + "&from=2026-01-01&to=2026-04-01&codes=xyz").status_code, 422)
        self.assert_api_hidden_from_dung(base + "&from=2026-01-01&to=2026-04-01")
