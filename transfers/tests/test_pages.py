"""The pages: start from the member's page, the steps on each side, the letter in Word, the list's filters."""

import io

from docx import Document as Docx

from transfers.models import Status, Transfer
from transfers.tests.world import TransferTestCase


class PageTests(TransferTestCase):
    def test_the_members_page_offers_the_transfer_to_those_who_may_change_it(self):
        self.client.force_login(self.binh)
        page = self.client.get(f"/dang-vien/{self.member_a1.pk}/").content.decode()
        self.assertIn(f"/chuyen-sinh-hoat/dang-vien/{self.member_a1.pk}/", page)
        self.client.force_login(self.an)
        self.assertIn("Chuyển sinh hoạt đảng", self.client.get(f"/dang-vien/{self.member_a2.pk}/").content.decode())

    def test_binh_starts_from_the_form_and_dung_accepts(self):
        self.client.force_login(self.binh)
        url = f"/chuyen-sinh-hoat/dang-vien/{self.member_a1.pk}/"
        self.assertContains(self.client.get(url), "Chi bộ thôn Bình Tây")  # the receiving cells of the province
        response = self.client.post(url, {"kind": "chinh_thuc", "purpose": "cu_tru", "to_unit": self.cell_b1.pk,
                                          "reason_on": "01/10/2026", "started_on": "05/10/2026"})
        t = Transfer.objects.get()
        self.assertRedirects(response, f"/chuyen-sinh-hoat/{t.pk}/")
        self.assertNotContains(self.client.get(f"/chuyen-sinh-hoat/{t.pk}/"), "buoc-tiep-nhan")  # not the sender's

        self.client.force_login(self.dung)
        page = self.client.get(f"/chuyen-sinh-hoat/{t.pk}/")
        self.assertContains(page, "buoc-tiep-nhan")
        self.assertNotContains(page, "buoc-huy")  # only the sender cancels
        response = self.client.post(f"/chuyen-sinh-hoat/{t.pk}/tiep-nhan/", {"acceptform-on": "20/10/2026"})
        self.assertRedirects(response, f"/chuyen-sinh-hoat/{t.pk}/")
        t.refresh_from_db()
        self.assertEqual(t.status, Status.ACCEPTED)

    def test_a_refused_start_keeps_what_was_typed_and_names_the_rule(self):
        self.client.force_login(self.binh)
        response = self.client.post(f"/chuyen-sinh-hoat/dang-vien/{self.member_a1.pk}/", {
            "kind": "chinh_thuc", "purpose": "cu_tru", "to_unit": self.cell_b1.pk, "reason_on": "01/04/2026",
            "started_on": "05/10/2026", "decision_number": "12-QĐ/UBND"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "294-QĐ/TW")
        self.assertContains(response, "12-QĐ/UBND")
        self.assertFalse(Transfer.objects.exists())

    def test_a_late_presentation_without_reasons_is_refused_on_the_page(self):
        t = self.start()
        self.client.force_login(self.dung)
        response = self.client.post(f"/chuyen-sinh-hoat/{t.pk}/nop-giay/", {"presentform-on": "17/11/2026"})
        self.assertContains(response, "Giấy giới thiệu nộp chậm")
        t.refresh_from_db()
        self.assertEqual(t.status, Status.STARTED)

    def test_the_wrong_side_cannot_post_a_step(self):
        t = self.start()
        self.client.force_login(self.binh)
        response = self.client.post(f"/chuyen-sinh-hoat/{t.pk}/tiep-nhan/", {"acceptform-on": "20/10/2026"})
        self.assertEqual(response.status_code, 403)

    def test_the_letter_is_a_word_document_with_its_number_and_deadline(self):
        t = self.start()
        self.client.force_login(self.dung)
        response = self.client.get(f"/chuyen-sinh-hoat/{t.pk}/giay-gioi-thieu.docx")
        self.assertEqual(response.status_code, 200)
        text = "\n".join(p.text for p in Docx(io.BytesIO(response.content)).paragraphs)
        tables = "\n".join(c.text for tb in Docx(io.BytesIO(response.content)).tables for row in tb.rows
                           for c in row.cells)
        self.assertIn("GIẤY GIỚI THIỆU", text)
        self.assertIn("Nguyễn Văn Ánh", text)
        self.assertIn("16/11/2026", text)
        self.assertIn("Số 01-GGT/ĐU", tables)
        self.assertIn("ĐẢNG BỘ XÃ AN HÒA", tables)

    def test_the_list_filters_by_direction(self):
        self.start()
        self.client.force_login(self.dung)
        self.assertContains(self.client.get("/chuyen-sinh-hoat/?huong=den"), "Nguyễn Văn Ánh")
        self.assertNotContains(self.client.get("/chuyen-sinh-hoat/?huong=di"), "Nguyễn Văn Ánh")
        self.assertContains(self.client.get("/chuyen-sinh-hoat/?tinh_trang=mo"), "Nguyễn Văn Ánh")
        self.assertNotContains(self.client.get("/chuyen-sinh-hoat/?tinh_trang=da_tiep_nhan"), "Nguyễn Văn Ánh")

    def test_the_members_list_and_the_work_list_lead_to_the_transfers(self):
        self.client.force_login(self.chi)  # a cell secretary too
        for url in ("/dang-vien/", "/viec-can-lam/"):
            self.assertContains(self.client.get(url), 'href="/chuyen-sinh-hoat/"', msg_prefix=url)

    def test_a_letter_to_commune_b_is_accepted_into_a_cell_chosen_by_dung(self):
        t = self.start(to_unit=self.commune_b)
        self.client.force_login(self.dung)
        response = self.client.post(f"/chuyen-sinh-hoat/{t.pk}/tiep-nhan/", {"acceptform-on": "20/10/2026"})
        self.assertContains(response, "Hãy chọn một tổ chức")  # the cell is required
        response = self.client.post(f"/chuyen-sinh-hoat/{t.pk}/tiep-nhan/",
                                    {"acceptform-on": "20/10/2026", "acceptform-unit": self.cell_b1.pk})
        self.assertRedirects(response, f"/chuyen-sinh-hoat/{t.pk}/")
        self.member_a1.refresh_from_db()
        self.assertEqual(self.member_a1.unit_id, self.cell_b1.pk)
