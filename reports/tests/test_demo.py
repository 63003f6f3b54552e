from dangvu.testing import BaseTestCase
from members.demo import DEMO_CODE
from orgs.models import OrgUnit
from reports import demo, requests
from reports.models import Report, ReportRequest


class DemoTests(BaseTestCase):
    def test_idempotent_quarterly_report_and_request_with_b_missing(self):
        OrgUnit.objects.filter(pk=self.province.pk).update(code=DEMO_CODE)
        demo.load()
        demo.load()
        self.assertEqual(Report.objects.filter(unit=self.commune_a, template__code="quy").count(), 1)
        request = ReportRequest.objects.get()
        self.assertEqual(requests.missing(request), [self.commune_b])
