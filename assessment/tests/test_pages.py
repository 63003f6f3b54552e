"""The pages: rounds list, a round with its forms (refusals shown on the form, nothing written), results."""

from assessment import services
from assessment.models import Rating
from assessment.rules import Level
from assessment.tests.world import DECIDED_ON, YEAR, AssessmentTestCase
from dangvu.testing import VisibilityMixin


class PageTests(VisibilityMixin, AssessmentTestCase):
    def setUp(self):
        self.client.force_login(self.binh)

    def test_round_list_and_menu(self):
        page = self.client.get("/danh-gia/").content.decode()
        self.assertIn("Đánh giá, xếp loại", page)
        self.assertIn(f"/danh-gia/dot/{self.round_a.pk}/", page)
        self.assertIn("Kết quả xếp loại", page)  # the menu's second entry

    def test_open_a_round_from_the_page(self):
        r = self.client.post("/danh-gia/", {"dot-unit": self.commune_a.pk, "dot-year": 2024, "dot-subject": "members",
                                            "dot-self_due": "01/12/2024"})
        self.assertEqual(r.status_code, 302)
        r = self.client.post("/danh-gia/", {"dot-unit": self.commune_a.pk, "dot-year": 2024, "dot-subject": "members"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("đã có đợt", r.content.decode())

    def test_steps_on_the_round_page_and_a_refusal_keeps_what_was_typed(self):
        url = f"/danh-gia/dot/{self.round_a.pk}/"
        r = self.client.post(url + "tu-danh-gia/", {"tu-danh-gia-subject": self.member_a1.pk,
                                                    "tu-danh-gia-score": "95", "tu-danh-gia-level": Level.GOOD,
                                                    "tu-danh-gia-on": "01/12/2025", "tu-danh-gia-text": "Bản của tôi"})
        self.assertEqual(r.status_code, 400)
        page = r.content.decode()
        self.assertIn("không khớp với 95", page)
        self.assertIn("Bản của tôi", page)
        self.assertFalse(Rating.objects.exists())
        r = self.client.post(url + "tu-danh-gia/", {"tu-danh-gia-subject": self.member_a1.pk,
                                                    "tu-danh-gia-score": "85", "tu-danh-gia-level": Level.GOOD,
                                                    "tu-danh-gia-on": "01/12/2025"})
        self.assertEqual(r.status_code, 302)
        rating = Rating.objects.get()
        r = self.client.post(url + "de-xuat/", {"de-xuat-rating": rating.pk, "de-xuat-level": Level.GOOD,
                                                "de-xuat-on": "10/12/2025"})
        self.assertEqual(r.status_code, 302)
        r = self.client.post(url + "quyet-dinh/", {"quyet-dinh-rating": rating.pk, "quyet-dinh-level": Level.GOOD,
                                                   "quyet-dinh-body": self.du_a.pk, "quyet-dinh-on": "20/12/2025"})
        self.assertEqual(r.status_code, 302, r.content.decode()[-3000:])
        rating.refresh_from_db()
        self.assertEqual(rating.result, Level.GOOD)
        page = self.client.get(url).content.decode()
        self.assertIn("Hoàn thành tốt nhiệm vụ", page)

    def test_results_page_and_exports(self):
        services.record_results(self.round_a, [{"member": self.member_a1, "level": Level.DONE, "score": 60}],
                                body=self.du_a, decided_on=DECIDED_ON, by=None)
        page = self.client.get(f"/danh-gia/ket-qua/?to_chuc={self.commune_a.pk}&nam={YEAR}").content.decode()
        self.assertIn("100,00%", page)
        self.assertIn("Nguyễn Văn Ánh", page)  # listed at level 3
        for fmt in ("xlsx", "docx"):
            r = self.client.get(f"/danh-gia/ket-qua/tai-ve.{fmt}?to_chuc={self.commune_a.pk}&nam={YEAR}")
            self.assertEqual(r.status_code, 200)
        self.assertEqual(self.client.get("/danh-gia/ket-qua/tai-ve.exe").status_code, 404)

    def test_outside_the_subtree_is_404(self):
        self.assert_page_hidden_from_dung(f"/danh-gia/dot/{self.round_a.pk}/")
        self.assert_page_hidden_from_dung(f"/danh-gia/ket-qua/?to_chuc={self.commune_a.pk}")
        self.client.force_login(self.dung)
        self.assert_no_trace_of_a(self.client.get("/danh-gia/").content)
        r = self.client.post(f"/danh-gia/dot/{self.round_a.pk}/cong-bo/")
        self.assertEqual(r.status_code, 404)


class CellSecretaryTests(AssessmentTestCase):
    def test_the_cells_secretary_enters_the_cells_steps_not_anothers(self):
        self.client.force_login(self.chi)
        url = f"/danh-gia/dot/{self.round_a.pk}/"
        page = self.client.get(url).content.decode()
        self.assertIn("Ghi tự đánh giá", page)
        self.assertNotIn("Lê Văn Cường", page)  # cell A2's member is not offered
        r = self.client.post(url + "tu-danh-gia/", {"tu-danh-gia-subject": self.member_a2.pk,
                                                    "tu-danh-gia-score": "80", "tu-danh-gia-level": Level.GOOD,
                                                    "tu-danh-gia-on": "01/12/2025"})
        self.assertEqual(r.status_code, 400)
        r = self.client.post(url + "tu-danh-gia/", {"tu-danh-gia-subject": self.member_a1.pk,
                                                    "tu-danh-gia-score": "80", "tu-danh-gia-level": Level.GOOD,
                                                    "tu-danh-gia-on": "01/12/2025"})
        self.assertEqual(r.status_code, 302)


class EvidenceTests(AssessmentTestCase):
    def test_the_years_events_show_beside_the_rating(self):
        from datetime import date

        from assessment.rules import Subject
        from members.models import EventKind
        from members.services import record_event
        this_year = services.create_round(self.commune_a, year=2026, subject=Subject.MEMBERS, by=None)
        services.self_assess(this_year, member=self.member_a1, score=80, level=Level.GOOD, by=None,
                             on=date(2026, 11, 1))
        record_event(self.member_a1, EventKind.EXCUSED, on=date(2026, 9, 1), by=None)  # after recognition 1/7/2026
        self.client.force_login(self.binh)
        page = self.client.get(f"/danh-gia/dot/{this_year.pk}/").content.decode()
        self.assertIn("Miễn sinh hoạt 01/09/2026", page)
        self.assertNotIn("Miễn sinh hoạt", self.client.get(f"/danh-gia/dot/{self.round_a.pk}/").content.decode())

    def test_discipline_of_the_year_shows_to_those_who_may_read_it(self):
        from datetime import date

        from oversight import services as oversight
        from oversight.rules import Form
        oversight.decide(deciding_unit=self.cell_a1, deciding_body=None, form=Form.REPRIMAND, member=self.member_a1,
                         votes_for=5, votes_total=9, violation_on=date(2025, 11, 3), decision_number="01-QĐ/CB",
                         decided_on=date(2025, 12, 2), reason="Vi phạm", by=None)
        self.rate(self.member_a1, Level.GOOD, 80)
        url = f"/danh-gia/dot/{self.round_a.pk}/"
        self.client.force_login(self.admin)  # administrators read oversight records
        self.assertIn("(01-QĐ/CB, 02/12/2025)", self.client.get(url).content.decode())
        self.client.force_login(self.binh)  # an organization officer does not
        self.assertNotIn("01-QĐ/CB", self.client.get(url).content.decode())


class WorklistTests(AssessmentTestCase):
    def test_each_step_of_an_open_round_is_on_the_work_list_until_done(self):
        self.client.force_login(self.binh)
        page = self.client.get("/viec-can-lam/").content.decode()
        self.assertIn("tự đánh giá (Đảng bộ xã An Hòa)", page)
        self.assertIn("quyết định xếp loại (Đảng bộ xã An Hòa)", page)
        rating = self.rate(self.member_a1, Level.GOOD, 80)
        services.decide(rating, level=Level.GOOD, body=self.du_a, on=DECIDED_ON, by=None)
        page = self.client.get("/viec-can-lam/").content.decode()
        self.assertNotIn("quyết định xếp loại (Đảng bộ xã An Hòa)", page)  # every rating decided
        services.publish(self.round_a, by=None, on=DECIDED_ON)
        self.assertNotIn("Đảng bộ xã An Hòa)", self.client.get("/viec-can-lam/").content.decode())
        self.client.force_login(self.dung)
        self.assertNotIn("An Hòa", self.client.get("/viec-can-lam/").content.decode())


class ExceptionPageTests(AssessmentTestCase):
    def test_recording_the_exception_on_the_round_page(self):
        from assessment.models import QuotaException
        self.client.force_login(self.binh)
        url = f"/danh-gia/dot/{self.round_a.pk}/ngoai-le/"
        r = self.client.post(url, {"ngoai-le-body": self.du_a.pk, "ngoai-le-reason": ""})
        self.assertEqual(r.status_code, 400)
        r = self.client.post(url, {"ngoai-le-body": self.du_a.pk, "ngoai-le-reason": "Dẫn đầu khối thi đua",
                                   "ngoai-le-decision": "Số 5-NQ/ĐU"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(QuotaException.objects.get().body, self.du_a)
        r = self.client.post(url, {"ngoai-le-body": self.du_a.pk, "ngoai-le-reason": "Lần hai"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("đã ghi nhận thành tích nổi trội", r.content.decode())
