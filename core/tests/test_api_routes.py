"""Every GET route the OpenAPI schema documents answers 200 to a user who may see what it names.

The routes come from the schema itself, so a route added later is tested without touching this
file; a path parameter is filled with an object of commune A that binh sees (a path parameter
this test does not know fails the test, asking to be added to `ids`)."""

import re
from datetime import date

from dangvu.testing import BaseTestCase
from members.models import ImportJob
from oversight import testing as oversight

# Routes whose query parameters are required, with values to send.
QUERIES = {"/api/v1/workdays/add": "?start=2026-01-05&days=60", "/api/v1/documents/parse": "?symbol=25-KH/ĐU"}


class OpenApiRoutesTests(BaseTestCase):
    def ids(self) -> dict[str, int]:
        job = ImportJob.objects.create(user=self.binh, unit=self.commune_a, org_path=self.commune_a.path,
                                       original_name="danh-sach.xlsx", state=ImportJob.State.DONE)
        from documents.services import issue

        doc = issue(unit=self.cell_a1, doc_type="NQ", on=self.member_a1.admitted_on, title="Thử", by=None)
        from datetime import date

        from admission.services import register
        from transfers.services import start

        transfer = start(self.member_a2, kind="chinh_thuc", purpose="cu_tru", to_unit=self.cell_b1,
                         reason_on=date(2026, 10, 1), started_on=date(2026, 10, 5), by=None)
        candidate = register(self.cell_a1, by=None, full_name="Võ Thị Hạnh", gender="nu",
                             birth_date=self.member_a1.birth_date, registered_on=self.member_a1.admitted_on)
        from targets.models import TargetGroup
        from targets.services import create_target

        target = create_target(document=doc, unit=self.cell_a1, group=TargetGroup.objects.first(), name="Thử",
                               kind="so_luong", direction="it_nhat", plans={2026: 1}, by=None)
        from assessment.services import create_round

        round_ = create_round(self.commune_a, year=2025, subject="members", by=None)
        return {"unit_id": self.commune_a.pk, "member_id": self.member_a1.pk, "job_id": job.pk, "doc_id": doc.pk,
                "transfer_id": transfer.pk, "candidate_id": candidate.pk,
                "target_id": target.pk, "round_id": round_.pk, "report_id": self._report().pk}

    def _report(self):
        from reports import services as reports

        reports.ensure_templates()
        template = reports.ReportTemplate.objects.get(code="quy")
        return reports.create_report(unit=self.commune_a, template=template, start=date(2025, 10, 1),
                                     end=date(2025, 12, 31), by=self.binh)

    def test_every_documented_get_route_answers_200(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        paths = [path for path, operations in schema["paths"].items() if "get" in operations]
        self.assertIn("/api/v1/members/import/template.xlsx", paths)
        ids = self.ids()
        # Inspection, discipline and petitions answer only the inspection role (404 to binh: issue 17 item 6).
        inspector, more = oversight.sample_records(self)
        ids.update(more)
        queries = {**QUERIES, "/api/v1/oversight/statistics": f"?unit={self.commune_a.pk}&from=2026-01-01&to=2026-03-31"}
        for path in paths:
            names = re.findall(r"{(\w+)}", path)
            self.assertLessEqual(set(names), set(ids), f"{path}: no id for its parameters in this test")
            url = re.sub(r"{(\w+)}", lambda m: str(ids[m[1]]), path) + queries.get(path, "")
            user = inspector if path.startswith(oversight.PATHS) else self.binh
            response = self.api(user, "get", url)
            self.assertEqual(response.status_code, 200, f"GET {url}: {response.content[:300]!r}")

    def test_the_import_template_is_the_workbook_not_a_job(self):
        response = self.api(self.binh, "get", "/api/v1/members/import/template.xlsx")
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertTrue(response.content.startswith(b"PK"))  # a zip: the xlsx
        self.assertIn("mau-nhap-dang-vien.xlsx", response["Content-Disposition"])
