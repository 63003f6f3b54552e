"""Commendations (guards, suggestions from the ratings, counts) and "Dân vận khéo" models (steps in order)."""

from datetime import date

from assessment import awards, services
from assessment.models import AwardKind, Commendation, ModelField, ModelStatus, RecognitionLevel
from assessment.rules import Level
from assessment.tests.world import DECIDED_ON, YEAR, AssessmentTestCase
from core.errors import DomainError
from dangvu.testing import VisibilityMixin, make_member


class CommendationTests(VisibilityMixin, AssessmentTestCase):
    def test_record_and_refuse_twice_and_future(self):
        kw = dict(kind=AwardKind.CERTIFICATE, issuer="Đảng ủy xã An Hòa", decision_number="15-QĐ/ĐU",
                  decided_on=date(2026, 1, 10), reason="Hoàn thành xuất sắc nhiệm vụ năm 2025", year=2025)
        awards.commend(by=self.binh, member=self.member_a1, **kw)
        with self.assertRaises(DomainError):
            awards.commend(by=self.binh, member=self.member_a1, **kw)
        with self.assertRaises(DomainError):
            awards.commend(by=self.binh, unit=self.cell_a1, **{**kw, "decided_on": date(2099, 1, 1)})
        with self.assertRaises(DomainError):  # outside reach
            awards.commend(by=self.dung, unit=self.cell_a1, **kw)
        awards.commend(by=self.binh, unit=self.cell_a1, **kw)
        counts = awards.commendation_counts(self.commune_a, self.binh, 2026)
        self.assertEqual((counts["collective"], counts["individual"]), (1, 1))
        r = self.api(self.binh, "get", f"/api/v1/commendations?unit={self.commune_a.pk}")
        self.assertEqual(r.json()["count"], 2)
        self.assertEqual(self.api(self.dung, "get", "/api/v1/commendations").json()["count"], 0)
        self.assert_api_hidden_from_dung(f"/api/v1/commendations?unit={self.commune_a.pk}")

    def test_suggestions_from_excellent_ratings(self):
        people = [make_member(self.cell_a1, f"Người {i}") for i in range(5)]
        rows = [{"member": m, "level": Level.GOOD, "score": 80} for m in people]
        services.record_results(self.round_a, rows + [{"member": self.member_a1, "level": Level.EXCELLENT,
                                                      "score": 95}], body=self.du_a, decided_on=DECIDED_ON, by=None)
        got = awards.suggestions(self.commune_a, self.binh, YEAR)
        self.assertEqual([(s.who, s.kind) for s in got], [("Nguyễn Văn Ánh", AwardKind.CERTIFICATE)])
        awards.commend(by=self.binh, member=self.member_a1, kind=AwardKind.CERTIFICATE, issuer="Đảng ủy xã An Hòa",
                       decision_number="1-QĐ/ĐU", decided_on=date(2026, 1, 5), reason="HTXSNV 2025", year=YEAR)
        self.assertEqual(awards.suggestions(self.commune_a, self.binh, YEAR), [])
        self.client.force_login(self.binh)
        page = self.client.get(f"/danh-gia/khen-thuong/?to_chuc={self.commune_a.pk}&nam={YEAR}").content.decode()
        self.assertIn("1-QĐ/ĐU", page)
        self.assertEqual(Commendation.objects.count(), 1)


class ModelTests(VisibilityMixin, AssessmentTestCase):
    def test_register_assess_recognize_in_order(self):
        m = awards.register_model(self.cell_a1, by=self.binh, name="Tổ tự quản đường hoa", field=ModelField.CULTURE,
                                  owner="Chi hội Phụ nữ thôn An Phú", year=2025, registered_on=date(2025, 3, 1))
        with self.assertRaises(DomainError):  # recognized before assessed
            awards.advance_model(m, by=self.binh, status=ModelStatus.RECOGNIZED, on=date(2025, 9, 1),
                                 level=RecognitionLevel.GRASSROOTS)
        with self.assertRaises(DomainError):  # before registration
            awards.advance_model(m, by=self.binh, status=ModelStatus.ASSESSED, on=date(2025, 2, 1))
        awards.advance_model(m, by=self.binh, status=ModelStatus.ASSESSED, on=date(2025, 8, 1))
        with self.assertRaises(DomainError):  # the level is required
            awards.advance_model(m, by=self.binh, status=ModelStatus.RECOGNIZED, on=date(2025, 9, 1))
        m = awards.advance_model(m, by=self.binh, status=ModelStatus.RECOGNIZED, on=date(2025, 9, 1),
                                 level=RecognitionLevel.GRASSROOTS)
        self.assertEqual(m.status, ModelStatus.RECOGNIZED)
        with self.assertRaises(DomainError):
            awards.register_model(self.cell_a1, by=self.binh, name="tổ tự quản đường hoa", field=ModelField.CULTURE,
                                  owner="x", year=2025, registered_on=date(2025, 3, 1))
        counts = {c["field"]: c for c in awards.model_counts(self.commune_a, self.binh)}
        self.assertEqual(counts[ModelField.CULTURE]["cong_nhan"], 1)
        self.assertEqual(self.api(self.binh, "get", "/api/v1/models").json()["count"], 1)
        self.assertEqual(self.api(self.dung, "get", "/api/v1/models").json()["count"], 0)
        self.assert_api_hidden_from_dung(f"/api/v1/models?unit={self.commune_a.pk}")
        self.client.force_login(self.binh)
        self.assertIn("Tổ tự quản đường hoa", self.client.get("/danh-gia/dan-van-kheo/").content.decode())
        r = self.client.get("/danh-gia/dan-van-kheo/tai-ve.xlsx")
        self.assertEqual(r.status_code, 200)

    def test_pages_register_and_advance(self):
        self.client.force_login(self.binh)
        r = self.client.post("/danh-gia/dan-van-kheo/", {
            "mo-hinh-unit": self.commune_a.pk, "mo-hinh-name": "Nông dân giúp nhau", "mo-hinh-field": "kinh_te",
            "mo-hinh-collective": "1", "mo-hinh-owner": "Hội Nông dân xã", "mo-hinh-year": 2025,
            "mo-hinh-registered_on": "01/03/2025"})
        self.assertEqual(r.status_code, 302, r.content.decode()[-2000:])
        from assessment.models import MobilizationModel
        m = MobilizationModel.objects.get()
        r = self.client.post("/danh-gia/dan-van-kheo/", {"buoc": "1", "buoc-model": m.pk, "buoc-status": "cong_nhan",
                                                         "buoc-on": "01/09/2025", "buoc-level": "co_so"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("bước tiếp theo", r.content.decode())
