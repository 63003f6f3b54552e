"""The API: 404 outside the subtree or without the inspection right, lists and counts leave those out,
writes go through the services' rules, the statistics reproduce seed 000's quarter table."""

from datetime import date

from oversight import petitions, services
from oversight.models import DisciplineDecision, Petition, PetitionKind
from oversight.rules import CaseType, Form
from oversight.tests.world import DAY, OversightTestCase


class AccessTest(OversightTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.decision = services.decide(deciding_unit=cls.cell_a1, deciding_body=None, form=Form.REPRIMAND,
                                       member=cls.old_a1, votes_for=5, votes_total=9, violation_on=date(2025, 11, 3),
                                       decision_number="01-QĐ/CB", decided_on=DAY, reason="Vi phạm Luật Thủy sản",
                                       by=None)
        cls.case = services.open_case(cls.ubkt_a, case_type=CaseType.SIGNS, content="Dấu hiệu vi phạm",
                                      opened_on=DAY, subjects=[cls.old_a1], by=None)
        cls.petition = petitions.receive_petition(cls.ubkt_a, kind=PetitionKind.DENUNCIATION, received_on=DAY,
                                                 content="Tố cáo", member=cls.old_a1, sender="Công dân X", by=None)

    def test_xa_a_gets_404_where_kiemtra_a_opens_the_record(self):
        for url in (f"/api/v1/discipline/{self.decision.pk}", f"/api/v1/inspections/{self.case.pk}",
                    f"/api/v1/petitions/{self.petition.pk}"):
            self.assertEqual(self.api(self.kiemtra_a, "get", url).status_code, 200, url)
            self.assertEqual(self.api(self.xa_a, "get", url).status_code, 404, url)
            self.assertEqual(self.api(self.kiemtra_b, "get", url).status_code, 404, url)
            self.assertEqual(self.api(self.binh, "get", url).status_code, 404, url)
        body = self.api(self.kiemtra_a, "get", f"/api/v1/discipline/{self.decision.pk}").json()
        self.assertEqual((body["form"], body["subject_name"], body["deciding_level"]),
                         ("khien_trach", "Hoàng Văn Em", "chi_bo"))

    def test_lists_and_counts_leave_out_what_the_caller_may_not_see(self):
        for url in ("/api/v1/discipline", "/api/v1/inspections", "/api/v1/petitions"):
            self.assertEqual(self.api(self.kiemtra_a, "get", url).json()["count"], 1, url)
            self.assertEqual(self.api(self.kiemtra_tinh, "get", url).json()["count"], 1, url)
            for user in (self.xa_a, self.kiemtra_b):
                body = self.api(user, "get", url).json()
                self.assertEqual((body["count"], body["items"]), (0, []), url)

    def test_statistics_of_a_unit_outside_reach_is_404(self):
        url = f"/api/v1/oversight/statistics?unit={self.commune_a.pk}&from=2026-01-01&to=2026-03-31"
        self.assertEqual(self.api(self.kiemtra_a, "get", url).status_code, 200)
        self.assertEqual(self.api(self.kiemtra_b, "get", url).status_code, 404)
        self.assertEqual(self.api(self.xa_a, "get", url).status_code, 404)


class WriteTest(OversightTestCase):
    def payload(self, **kw):
        data = {"form": "khien_trach", "member": self.old_a1.pk, "deciding_unit": self.cell_a1.pk,
                "votes_for": 5, "votes_total": 9, "violation_on": "2025-11-03", "reason": "Vi phạm",
                "decision_number": "01-QĐ/CB", "decided_on": "2026-03-02"}
        data.update(kw)
        return data

    def test_the_cell_decides_a_reprimand_and_is_refused_an_expulsion(self):
        bad = self.api(self.kiemtra_a, "post", "/api/v1/discipline",
                       data=self.payload(form="khai_tru", proposal_for=9, proposal_total=9))
        self.assertEqual(bad.status_code, 400)
        self.assertIn("Điều 36", bad.content.decode())
        self.assertEqual(DisciplineDecision.objects.count(), 0)
        ok = self.api(self.kiemtra_a, "post", "/api/v1/discipline", data=self.payload())
        self.assertEqual(ok.status_code, 201, ok.content)

    def test_an_organization_officer_may_not_write(self):
        response = self.api(self.xa_a, "post", "/api/v1/discipline", data=self.payload())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(DisciplineDecision.objects.count(), 0)

    def test_a_petition_without_a_subject_or_with_an_unknown_unit_is_refused(self):
        base = {"kind": "to_cao", "body": self.ubkt_a.pk, "received_on": "2026-03-02", "content": "x",
                "sender": "Công dân X"}
        self.assertIn("phải có đối tượng",
                      self.api(self.kiemtra_a, "post", "/api/v1/petitions", data=base).content.decode())
        unknown = self.api(self.kiemtra_a, "post", "/api/v1/petitions", data={**base, "unit": 999999})
        self.assertIn("Không tìm thấy tổ chức", unknown.content.decode())
        other = self.api(self.kiemtra_a, "post", "/api/v1/petitions", data={**base, "unit": self.cell_b1.pk})
        self.assertIn("Không tìm thấy tổ chức", other.content.decode())
        self.assertEqual(Petition.objects.count(), 0)
        ok = self.api(self.kiemtra_a, "post", "/api/v1/petitions", data={**base, "unit": self.cell_a1.pk})
        self.assertEqual(ok.status_code, 201, ok.content)
        self.assertEqual(ok.json()["due_on"], "2026-05-31")

    def test_an_anonymous_denunciation_is_kept_for_reference_with_no_deadline(self):
        response = self.api(self.kiemtra_a, "post", "/api/v1/petitions",
                            data={"kind": "to_cao", "body": self.ubkt_a.pk, "received_on": "2026-03-02",
                                  "content": "x", "member": self.old_a1.pk, "anonymous": True})
        self.assertEqual((response.json()["handling"], response.json()["due_on"]), ("tham_khao", None))


class QuarterTableTest(OversightTestCase):
    """Seed 000, first quarter of 2021: 3 members inspected, 1 under thematic supervision, in-depth review of 3
    organizations and 5 members, 2 members inspected on signs of violation, 8 members disciplined."""

    def test_the_quarter_table_comes_from_the_records(self):
        on = date(2021, 2, 1)
        members = [self.old_a1, self.old_a2, self.secretary_a1, self.committee_a, self.member_a1, self.member_a2,
                   self.member_a1_prob]

        def case(kind, subjects, body=None):
            return services.open_case(body or self.du_a, case_type=kind, content="Nội dung", opened_on=on,
                                      subjects=subjects, by=None)

        case(CaseType.COMPLIANCE, members[:3])
        case(CaseType.THEMATIC, members[3:4])
        case(CaseType.REVIEW, [self.cell_a1, self.cell_a2, self.commune_a] + members[:5])
        signs = case(CaseType.SIGNS, members[5:7], body=self.ubkt_a)
        services.conclude_case(signs, concluded_on=date(2021, 3, 1), violation=True, conclusion="Có vi phạm", by=None)
        case(CaseType.COMPLIANCE, [self.member_b1], body=self.du_b)  # commune B: not in A's table
        case(CaseType.COMPLIANCE, members[:1])
        services.open_case(self.du_a, case_type=CaseType.COMPLIANCE, content="Quý II", opened_on=date(2021, 4, 1),
                           subjects=members[:2], by=None)
        extra = [self.make(f"Đảng viên {i}") for i in range(8)]
        total = services.cell_vote_bounds(self.cell_a1, date(2021, 3, 1))[1]
        for i, m in enumerate(extra):
            services.decide(deciding_unit=self.cell_a1, deciding_body=None, form=Form.REPRIMAND, member=m,
                            votes_for=total // 2 + 1, votes_total=total, violation_on=date(2020, 12, 1),
                            decision_number=f"{i}-QĐ/CB",
                            decided_on=date(2021, 3, 1 + i), reason="Vi phạm", by=None)
        url = f"/api/v1/oversight/statistics?unit={self.commune_a.pk}&from=2021-01-01&to=2021-03-31"
        body = self.api(self.kiemtra_a, "get", url).json()
        table = {r["type"]: (r["organizations"], r["members"]) for r in body["by_type"]}
        self.assertEqual(table["kt_chap_hanh"], (0, 4))  # the three, and one more case about one of them
        self.assertEqual(table["gs_chuyen_de"], (0, 1))
        self.assertEqual(table["kiem_diem_sau"], (3, 5))
        self.assertEqual(table["kt_dau_hieu"], (0, 2))
        self.assertEqual(body["disciplined"], {"organizations": 0, "members": 8})
        self.assertEqual(body["supervised"], {"organizations": 0, "members": 1})
        self.assertEqual(body["inspected"], {"organizations": 0, "members": 6})
        levels = {r["level"]: r["members"] for r in body["discipline_by_level"]}
        self.assertEqual(levels["chi_bo"], 8)
        self.assertEqual(body["violations_found"], [{"type": "kt_dau_hieu", "label": CaseType.SIGNS.label,
                                                     "organizations": 0, "members": 2}])
        bodies = {r["body_kind"]: r["members"] for r in body["by_body"]}
        self.assertEqual(bodies, {"cap_uy": 10, "ubkt": 2})

    def make(self, name):
        from dangvu.testing import make_member

        return make_member(self.cell_a1, name, admitted_on=date(2010, 1, 1))


class TermTableTest(OversightTestCase):
    """Seed 003, the 2015–2020 term: inspections of 324 organizations and 618 members (of which 204 inspections of
    organizations' own inspection work, and 1 organization and 14 members on signs of violation), supervision of
    233 and 301 (of which thematic 194 and 230). Each inspection of a subject counts once (an organization inspected
    twice in the term counts twice, as the reports count them)."""

    def enter(self, kind, organizations: int, members: int, body=None):
        units = [self.province, self.commune_a, self.commune_b, self.cell_a1, self.cell_a2, self.cell_b1]
        people = [self.old_a1, self.old_a2, self.secretary_a1, self.committee_a, self.member_a1, self.member_a2,
                  self.member_b1]
        day = date(2017, 5, 2)
        for start in range(0, organizations, len(units)):
            services.open_case(body or self.ubkt_tu, case_type=kind, content="x", opened_on=day,
                               subjects=units[: min(len(units), organizations - start)], by=None)
        for start in range(0, members, len(people)):
            services.open_case(body or self.ubkt_tu, case_type=kind, content="x", opened_on=day,
                               subjects=people[: min(len(people), members - start)], by=None)

    def test_the_term_table_comes_from_the_records(self):
        self.enter(CaseType.COMPLIANCE, 324 - 204 - 1, 618 - 14, body=self.tu)
        self.enter(CaseType.INSPECTION_WORK, 204, 0)
        self.enter(CaseType.SIGNS, 1, 14)
        self.enter(CaseType.REGULAR, 233 - 194, 301 - 230, body=self.tu)
        self.enter(CaseType.THEMATIC, 194, 230, body=self.tu)
        services.open_case(self.tu, case_type=CaseType.COMPLIANCE, content="nhiệm kỳ sau", opened_on=date(2020, 10, 20),
                           subjects=[self.cell_a1], by=None)
        url = f"/api/v1/oversight/statistics?unit={self.province.pk}&from=2015-10-01&to=2020-10-15"
        body = self.api(self.kiemtra_tinh, "get", url).json()
        table = {r["type"]: (r["organizations"], r["members"]) for r in body["by_type"]}
        self.assertEqual(body["inspected"], {"organizations": 324, "members": 618})
        self.assertEqual(body["supervised"], {"organizations": 233, "members": 301})
        self.assertEqual(table["gs_chuyen_de"], (194, 230))
        self.assertEqual(table["kt_nhiem_vu_ktgs"], (204, 0))
        self.assertEqual(table["kt_dau_hieu"], (1, 14))
        self.client.force_login(self.kiemtra_tinh)
        page = self.client.get(f"/kiem-tra/thong-ke/?unit={self.province.pk}&from_on=01/10/2015&to_on=15/10/2020")
        self.assertContains(page, "<th>324</th><th>618</th>", html=False)
