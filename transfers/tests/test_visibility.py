"""Who sees what: both units see the transfer; the receiving unit's officers read (never write) the incoming
member's record from the moment the letter is issued until the transfer closes."""

from access.rules import Role
from dangvu.testing import make_user
from transfers import services
from transfers.tests.world import ACCEPTED, TransferTestCase


class MemberRecordTests(TransferTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.secretary_a2 = make_user("thu", cls.cell_a2, Role.CELL_SECRETARY)

    def page(self, user, url=None):
        self.client.force_login(user)
        return self.client.get(url or f"/dang-vien/{self.member_a1.pk}/")

    def test_dung_sees_the_incoming_member_only_once_the_letter_is_issued(self):
        self.assertEqual(self.page(self.dung).status_code, 404)
        t = self.start()
        response = self.page(self.dung)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nguyễn Văn Ánh")
        self.assertNotContains(response, "Ghi sự kiện")  # read-only: no event form
        services.cancel(t, on=ACCEPTED, reason="Đảng viên ở lại", by=self.binh)
        self.assertEqual(self.page(self.dung).status_code, 404)

    def test_the_receiver_cannot_write_the_incoming_members_record(self):
        self.start()
        self.client.force_login(self.dung)
        response = self.client.post(f"/dang-vien/{self.member_a1.pk}/su-kien/",
                                    {"kind": "xoa_ten", "on": "01/11/2026"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get(f"/dang-vien/{self.member_a1.pk}/sua/").status_code, 404)

    def test_a_transfer_elsewhere_opens_nothing_to_others(self):
        self.start(to_outside="Chi bộ nơi khác")
        self.assertEqual(self.page(self.dung).status_code, 404)
        self.assertEqual(self.page(self.secretary_a2).status_code, 404)

    def test_both_units_and_those_above_see_the_transfer_page_others_get_404(self):
        t = self.start()
        for user in (self.binh, self.dung, self.an, self.chi):
            self.assertEqual(self.page(user, f"/chuyen-sinh-hoat/{t.pk}/").status_code, 200, user)
        self.assertEqual(self.page(self.secretary_a2, f"/chuyen-sinh-hoat/{t.pk}/").status_code, 404)
        listing = self.page(self.secretary_a2, "/chuyen-sinh-hoat/").content.decode()
        self.assertNotIn("Nguyễn Văn Ánh", listing)

    def test_the_temporary_cell_reads_the_record_while_the_member_is_there(self):
        from datetime import date

        from transfers.models import Kind, Purpose

        t = self.start(kind=Kind.TEMPORARY, purpose=Purpose.WORK, temp_from=ACCEPTED, temp_until=date(2027, 3, 1))
        services.accept(t, on=ACCEPTED, by=self.dung)
        self.assertEqual(self.page(self.dung).status_code, 200)  # away in B, still A's member
        services.record_return(t, on=date(2026, 11, 30), by=self.binh)
        self.assertEqual(self.page(self.dung).status_code, 404)
