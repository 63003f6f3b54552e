"""The member list and a member's page: Vietnamese order and search, filters, exports of exactly the
filtered list, sensitive fields, the history, events and audit, and nothing of A for dung."""

import io
import re
from datetime import date, timedelta
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from access.rules import Role
from audit.models import AuditEntry
from dangvu.testing import BaseTestCase, VisibilityMixin, make_member, make_unit, make_user
from members import services
from members.models import Member, Relative

CCCD = "001080012345"  # valid for a man born in 1980


def plain(response) -> str:
    """The text of a page without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def names(response) -> list[str]:
    return [m.full_name for m in response.context["page"]]


def list_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("members-list") + (f"?{query}" if query else "")


class MemberListTests(VisibilityMixin, BaseTestCase):
    def test_it_requires_login(self):
        response = self.client.get(list_url())
        self.assertRedirects(response, f"{reverse('access-login')}?next={list_url()}")

    def test_binh_sees_the_members_of_commune_a_by_given_name(self):
        self.client.force_login(self.binh)
        response = self.client.get(list_url())
        self.assertEqual(names(response), ["Nguyễn Văn Ánh", "Trần Thị Bình", "Lê Văn Cường"])
        self.assertNotContains(response, "Phạm Thị Dung")

    def test_a_list_sorts_an_anh_binh_chi_duc_ha_whatever_the_family_names(self):
        cell = make_unit(self.commune_b, "Chi bộ thôn Bình Đông")
        for name in ("Võ Thị Hà", "Âu Văn Đức", "Đặng Thị Chi", "Bùi Văn Bình", "Trương Thị Ánh", "Lý Văn An"):
            make_member(cell, name)
        self.client.force_login(self.dung)
        response = self.client.get(list_url(unit=cell.pk))
        self.assertEqual([n.split()[-1] for n in names(response)], ["An", "Ánh", "Bình", "Chi", "Đức", "Hà"])

    def test_the_search_ignores_diacritics_and_case(self):
        self.client.force_login(self.binh)
        for q in ("nguyen van anh", "NGUYEN VAN ANH", "Nguyễn Văn Ánh", "van anh"):
            self.assertEqual(names(self.client.get(list_url(q=q))), ["Nguyễn Văn Ánh"], q)
        self.assertEqual(names(self.client.get(list_url(q="tran thi binh"))), ["Trần Thị Bình"])

    def test_d_finds_the_letter_dj(self):
        make_member(self.cell_a2, "Đỗ Văn Đạt")
        self.client.force_login(self.binh)
        self.assertEqual(names(self.client.get(list_url(q="do van dat"))), ["Đỗ Văn Đạt"])

    def test_typing_in_the_search_box_refreshes_only_the_results(self):
        self.client.force_login(self.binh)
        page = self.client.get(list_url())
        self.assertContains(page, 'hx-trigger="input changed delay:300ms, search"')
        self.assertContains(page, 'hx-target="#ket-qua"')
        fragment = self.client.get(list_url(q="nguyen"), HTTP_HX_REQUEST="true")
        text = fragment.content.decode()
        self.assertTrue(text.lstrip().startswith('<section id="ket-qua"'), text[:200])
        self.assertNotIn("<html", text)
        self.assertIn("Nguyễn Văn Ánh", text)
        self.assertNotIn("Lê Văn Cường", text)

    def test_filters_by_gender_status_and_unit(self):
        self.client.force_login(self.binh)
        self.assertEqual(names(self.client.get(list_url(gender="nu"))), ["Trần Thị Bình"])
        self.assertEqual(names(self.client.get(list_url(status="du_bi"))), ["Trần Thị Bình"])
        self.assertEqual(names(self.client.get(list_url(unit=self.cell_a2.pk))), ["Lê Văn Cường"])

    def test_filters_by_age_ethnicity_theory_and_position(self):
        Member.objects.filter(pk=self.member_a2.pk).update(ethnicity="Ê Đê", political_theory="trung_cap",
                                                            position="Trưởng thôn", birth_date=date(1995, 1, 1))
        self.client.force_login(self.binh)
        self.assertEqual(names(self.client.get(list_url(ethnicity="thieu_so"))), ["Lê Văn Cường"])
        self.assertEqual(names(self.client.get(list_url(political_theory="trung_cap"))), ["Lê Văn Cường"])
        self.assertEqual(names(self.client.get(list_url(position="Trưởng thôn"))),
                         ["Lê Văn Cường"])
        self.assertEqual(names(self.client.get(list_url(age_max=35))), ["Lê Văn Cường"])

    def test_a_wrong_filter_is_explained(self):
        self.client.force_login(self.binh)
        response = self.client.get(list_url(age_min=50, age_max=30))
        self.assertContains(response, "Tuổi “đến” phải lớn hơn hoặc bằng tuổi “từ”.")

    def test_columns_show_dates_dd_mm_yyyy_and_only_the_last_four_cccd_digits(self):
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=CCCD)
        self.client.force_login(self.binh)  # even an officer who may see the CCCD on the member's page
        text = plain(self.client.get(list_url()))
        self.assertIn("Nguyễn Văn Ánh 17/05/1980 Nam Chi bộ thôn An Phú Chính thức 01/07/2025", text)
        self.assertIn("••••••••2345", text)
        self.assertNotIn(CCCD, text)

    def test_members_are_paginated_by_thirty(self):
        for i in range(31):
            make_member(self.cell_b1, f"Đảng Viên Số {i:02d}")
        self.client.force_login(self.dung)
        self.assertEqual(len(self.client.get(list_url()).context["page"]), 30)
        second = self.client.get(list_url(trang=2))
        self.assertEqual(len(second.context["page"]), 2)
        self.assertContains(second, "Trang 2 / 2")

    def test_the_religion_filter_is_only_for_those_who_may_see_religion(self):
        viewer = make_user("xem", self.commune_a, Role.VIEWER)
        self.client.force_login(viewer)
        self.assertNotIn("religion", self.client.get(list_url()).context["form"].fields)
        self.client.force_login(self.binh)
        self.assertIn("religion", self.client.get(list_url()).context["form"].fields)

    def test_dung_sees_no_trace_of_commune_a_in_the_list_or_the_search(self):
        self.client.force_login(self.dung)
        for url in (list_url(), list_url(q="nguyen"), list_url(status="tat_ca")):
            response = self.client.get(url)
            self.assertContains(response, "Phạm Thị Dung" if "nguyen" not in url else "0</strong> đảng viên")
            self.assert_no_trace_of_a(response.content)

    def test_dung_cannot_filter_on_a_unit_of_commune_a(self):
        self.client.force_login(self.dung)
        response = self.client.get(list_url(unit=self.cell_a1.pk))
        self.assertTrue(response.context["form"].errors)
        self.assert_no_trace_of_a(response.content)

    @override_settings(DEBUG=False)
    def test_it_renders_with_debug_off(self):
        self.client.force_login(self.binh)
        response = self.client.get(list_url(q="nguyen"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nguyễn Văn Ánh")


class ListExportTests(VisibilityMixin, BaseTestCase):
    def xlsx_names(self, response) -> list[str]:
        ws = load_workbook(io.BytesIO(response.content))["Đảng viên"]
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        return [r[rows[0].index("Họ và tên")] for r in rows[1:]]

    def docx_text(self, response) -> str:
        doc = Document(io.BytesIO(response.content))
        return "\n".join([p.text for p in doc.paragraphs]
                         + [c.text for t in doc.tables for r in t.rows for c in r.cells])

    def test_the_list_page_offers_both_exports_with_its_filters(self):
        self.client.force_login(self.binh)
        response = self.client.get(list_url(q="nguyen", gender="nam"))
        self.assertContains(response, f'href="{reverse("members-export-xlsx")}?q=nguyen&amp;gender=nam"')
        self.assertContains(response, f'href="{reverse("members-export-docx")}?q=nguyen&amp;gender=nam"')
        self.assertContains(response, "Xuất Word (danh sách đảng viên)")

    def test_excel_holds_exactly_the_filtered_list(self):
        self.client.force_login(self.binh)
        response = self.client.get(reverse("members-export-xlsx") + "?gender=nu")
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(self.xlsx_names(response), ["Trần Thị Bình"])
        everyone = self.client.get(reverse("members-export-xlsx"))
        self.assertEqual(self.xlsx_names(everyone), ["Nguyễn Văn Ánh", "Trần Thị Bình", "Lê Văn Cường"])

    def test_a_viewer_gets_no_cccd_column(self):
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=CCCD)
        self.client.force_login(make_user("xem", self.commune_a, Role.VIEWER))
        content = self.client.get(reverse("members-export-xlsx")).content
        ws = load_workbook(io.BytesIO(content))["Đảng viên"]
        self.assertNotIn(CCCD, [c.value for r in ws.iter_rows() for c in r])

    def test_word_holds_exactly_the_filtered_list_under_the_filtered_unit(self):
        self.client.force_login(self.binh)
        response = self.client.get(reverse("members-export-docx") + f"?unit={self.cell_a2.pk}")
        text = self.docx_text(response)
        self.assertIn("DANH SÁCH ĐẢNG VIÊN", text)
        self.assertIn("CHI BỘ THÔN AN LẠC", text)
        self.assertIn("Lê Văn Cường", text)
        self.assertNotIn("Nguyễn Văn Ánh", text)

    def test_a_wrong_filter_exports_nothing_and_shows_the_list(self):
        self.client.force_login(self.dung)
        response = self.client.get(reverse("members-export-xlsx") + f"?unit={self.cell_a1.pk}")
        self.assertRedirects(response, list_url(unit=self.cell_a1.pk))

    def test_dungs_exports_hold_nothing_of_commune_a(self):
        self.client.force_login(self.dung)
        xlsx = self.client.get(reverse("members-export-xlsx") + "?status=tat_ca")
        self.assertEqual(self.xlsx_names(xlsx), ["Phạm Thị Dung"])
        self.assert_no_trace_of_a(" ".join(self.xlsx_names(xlsx)))
        docx = self.client.get(reverse("members-export-docx") + "?status=tat_ca")
        self.assertIn("Phạm Thị Dung", self.docx_text(docx))
        self.assert_no_trace_of_a(self.docx_text(docx))


class MemberPageTests(VisibilityMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Member.objects.filter(pk=cls.member_a1.pk).update(citizen_id=CCCD, religion="Phật giáo",
                                                           hometown="xã Tịnh An", political_theory="so_cap")
        Relative.objects.create(member=cls.member_a1, relation="Vợ", full_name="Lê Thị Hoa", birth_year=1982)

    def url(self, member=None, name="members-detail") -> str:
        return reverse(name, args=[(member or self.member_a1).pk])

    def test_the_record_is_grouped_with_party_age_and_the_next_badge(self):
        self.client.force_login(self.binh)
        response = self.client.get(self.url())
        text = plain(response)
        for heading in ("Sơ yếu lý lịch", "Học vấn", "Công tác", "Đảng", "Quá trình sinh hoạt đảng"):
            self.assertIn(heading, text)
        self.assertIn("Quê quán xã Tịnh An", text)
        self.assertIn("Lý luận chính trị Sơ cấp", text)
        age = self.member_a1.party_age(timezone.localdate())
        self.assertIn(f"Tuổi đảng: {age}", text)
        self.assertIn("Mốc huy hiệu tiếp theo: 30 năm tuổi Đảng", text)

    def test_the_time_left_to_the_next_badge_is_exact(self):
        member = make_member(self.cell_a1, "Đỗ Văn Huy", admitted_on=date(2000, 7, 1))
        self.client.force_login(self.binh)
        with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 5, 20)):
            text = plain(self.client.get(self.url(member)))
        # 25 years 10 months 19 days of party age: not "còn 4 năm 2 tháng"
        self.assertIn("Mốc huy hiệu tiếp theo: 30 năm tuổi Đảng (còn 4 năm 1 tháng 11 ngày, đến 01/07/2030)", text)

    def test_a_probationer_past_twelve_months_is_flagged_on_the_profile_and_in_the_list(self):
        prob = self.member_a1_prob  # admitted on 01/7/2025
        self.client.force_login(self.binh)
        for today, flagged in ((date(2026, 6, 30), False), (date(2026, 7, 1), True)):
            with mock.patch("django.utils.timezone.localdate", return_value=today):
                profile = plain(self.client.get(self.url(prob)))
                listed = plain(self.client.get(reverse("members-list") + "?q=tran thi binh"))
            self.assertEqual("Quá 12 tháng dự bị" in profile, flagged, today)
            self.assertEqual("Quá 12 tháng dự bị" in listed, flagged, today)
            self.assertIn("Trần Thị Bình", listed)

    def test_a_readmitted_probationer_counts_twelve_months_from_the_readmission(self):
        member = make_member(self.cell_a1, "Hồ Văn Lại", admitted_on=date(2015, 7, 26), status="du_bi")
        services.record_event(member, "xoa_ten", on=date(2016, 1, 1), by=None)
        services.record_event(member, "ket_nap_lai", on=date(2026, 3, 1), by=None)
        self.client.force_login(self.binh)
        with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 11, 1)):
            self.assertNotIn("Quá 12 tháng dự bị", plain(self.client.get(self.url(member))))
        with mock.patch("django.utils.timezone.localdate", return_value=date(2027, 3, 1)):
            self.assertIn("Quá 12 tháng dự bị", plain(self.client.get(self.url(member))))
            self.assertIn("Quá 12 tháng dự bị", plain(self.client.get(reverse("members-list") + "?q=ho van lai")))

    def test_party_age_subtracts_the_years_outside_the_party(self):
        # The acceptance case of issue 3: admitted 26/7/2015, struck off 01/01/2016, re-admitted 01/7/2019.
        member = make_member(self.cell_a1, "Hồ Văn Tuổi", admitted_on=date(2015, 7, 26), status="du_bi")
        services.record_event(member, "xoa_ten", on=date(2016, 1, 1), by=None)
        services.record_event(member, "ket_nap_lai", on=date(2019, 7, 1), by=None)
        expected = str(member.party_age(timezone.localdate()))
        self.client.force_login(self.binh)
        self.assertIn(f"Tuổi đảng: {expected}", plain(self.client.get(self.url(member))))
        self.assertEqual(str(member.party_age(date(2026, 11, 23))), "7 năm 9 tháng")

    def test_sensitive_fields_are_shown_to_the_organization_officer(self):
        self.client.force_login(self.binh)
        text = plain(self.client.get(self.url()))
        self.assertIn(f"Số CCCD {CCCD}", text)
        self.assertIn("Tôn giáo Phật giáo", text)
        self.assertIn("Vợ : Lê Thị Hoa (1982)", text)

    def test_sensitive_fields_are_hidden_from_a_viewer(self):
        self.client.force_login(make_user("xem", self.commune_a, Role.VIEWER))
        response = self.client.get(self.url())
        text = plain(response)
        self.assertIn(f"Số CCCD ••••••••{CCCD[-4:]}", text)  # as in the list (members.privacy)
        self.assertIn("Tôn giáo (ẩn)", text)
        for secret in (CCCD, "Phật giáo", "Lê Thị Hoa"):
            self.assertNotIn(secret, text)
        self.assertNotContains(response, reverse("members-edit", args=[self.member_a1.pk]))
        self.assertIsNone(response.context["event_form"])

    def test_the_history_lists_each_event_with_its_date_unit_and_decision(self):
        services.record_event(self.member_a1, "mien_sinh_hoat", on=timezone.localdate(), by=self.binh,
                              decision_number="12-QĐ/ĐU", note="Tuổi cao, sức yếu")
        self.client.force_login(self.binh)
        text = plain(self.client.get(self.url()))
        self.assertIn("01/07/2025 Kết nạp Chi bộ thôn An Phú", text)
        self.assertIn("01/07/2026 Công nhận đảng viên chính thức Chi bộ thôn An Phú", text)
        self.assertIn(f"{timezone.localdate():%d/%m/%Y} Miễn sinh hoạt Chi bộ thôn An Phú Quyết định số 12-QĐ/ĐU "
                      "Tuổi cao, sức yếu", text)

    def test_a_unit_out_of_reach_is_named_in_the_history_without_a_link(self):
        member = make_member(self.cell_b1, "Phan Văn Chuyển")
        services.record_event(member, "chuyen_noi_bo", on=timezone.localdate(), unit=self.cell_a1, by=None)
        self.client.force_login(self.binh)
        response = self.client.get(self.url(member))
        self.assertContains(response, '<span class="muted" title="Ngoài phạm vi của bạn: chỉ hiện tên">'
                                      "Chi bộ thôn Bình Tây</span>", html=True)
        self.assertNotContains(response, f"/to-chuc/{self.cell_b1.pk}/")

    def test_the_audit_entries_of_the_member_are_shown(self):
        services.update_member(self.member_a1, {"phone": "0987 654 321"}, by=self.binh)
        self.client.force_login(self.binh)
        text = plain(self.client.get(self.url()))
        self.assertIn("Sửa hồ sơ đảng viên", text)
        self.assertIn("Điện thoại — 0987 654 321", text)

    def test_a_cell_secretary_sees_that_the_cccd_changed_but_not_its_value(self):
        services.update_member(self.member_a1, {"citizen_id": "001080099999"}, by=self.binh)
        self.client.force_login(self.chi)
        text = plain(self.client.get(self.url()))
        self.assertIn("Số CCCD (ẩn) (ẩn)", text)
        self.assertNotIn("001080099999", text)

    def test_the_audit_page_hides_a_changed_cccd_from_a_cell_secretary_too(self):
        services.update_member(self.member_a1, {"citizen_id": "001080099999"}, by=self.binh)
        self.client.force_login(self.chi)
        response = self.client.get(reverse("audit-list"))
        self.assertContains(response, "Số CCCD")
        self.assertNotContains(response, "001080099999")
        self.client.force_login(self.binh)
        self.assertContains(self.client.get(reverse("audit-list")), "001080099999")

    def test_the_unit_page_links_to_its_member_list_and_to_each_member(self):
        self.client.force_login(self.binh)
        response = self.client.get(reverse("orgs-detail", args=[self.cell_a1.pk]))
        self.assertContains(response, f'href="{list_url(unit=self.cell_a1.pk)}"')
        self.assertContains(response, f'href="{self.url()}"')

    def test_dung_gets_404_for_the_page_the_edit_form_the_event_form_and_the_photo(self):
        for name in ("members-detail", "members-edit", "members-event", "members-photo"):
            self.assert_page_hidden_from_dung(self.url(name=name))
        response = self.client.post(self.url(name="members-event"), {"kind": "mien_sinh_hoat", "on": "01/01/2026"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Member.objects.get(pk=self.member_a1.pk).is_excused)

    def test_an_unknown_member_is_404(self):
        self.client.force_login(self.an)
        self.assertEqual(self.client.get(reverse("members-detail", args=[99999])).status_code, 404)

    @override_settings(DEBUG=False)
    def test_it_renders_with_debug_off(self):
        self.client.force_login(self.binh)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nguyễn Văn Ánh")


class EventFormTests(VisibilityMixin, BaseTestCase):
    def post(self, data: dict, user=None, member=None):
        self.client.force_login(user or self.binh)
        return self.client.post(reverse("members-event", args=[(member or self.member_a1).pk]), data)

    def test_recording_an_event_changes_the_member_and_writes_the_audit_entry(self):
        today = timezone.localdate()
        response = self.post({"kind": "mien_sinh_hoat", "on": f"{today:%d/%m/%Y}", "decision_number": "5-QĐ/CB"})
        self.assertRedirects(response, reverse("members-detail", args=[self.member_a1.pk]))
        self.assertTrue(Member.objects.get(pk=self.member_a1.pk).is_excused)
        entry = AuditEntry.objects.get(action="members.member.mien_sinh_hoat")
        self.assertEqual(entry.actor, self.binh)
        self.assertContains(self.client.get(response.url), "Miễn sinh hoạt đảng")

    def test_a_rule_broken_is_shown_on_its_field_and_what_was_typed_is_kept(self):
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = self.post({"kind": "mien_sinh_hoat", "on": f"{tomorrow:%d/%m/%Y}", "decision_number": "77-QĐ/CB"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["event_form"].errors["on"],
                         ["Ngày của sự kiện không được sau ngày hôm nay."])
        self.assertContains(response, 'value="77-QĐ/CB"')
        self.assertFalse(Member.objects.get(pk=self.member_a1.pk).is_excused)

    def test_a_move_needs_the_new_cell(self):
        response = self.post({"kind": "chuyen_noi_bo", "on": f"{timezone.localdate():%d/%m/%Y}"})
        self.assertEqual(response.context["event_form"].errors["unit"], ["Hãy chọn chi bộ nơi đảng viên sinh hoạt."])

    def test_a_move_to_another_cell_of_the_commune(self):
        response = self.post({"kind": "chuyen_noi_bo", "on": f"{timezone.localdate():%d/%m/%Y}",
                              "unit": self.cell_a2.pk})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit, self.cell_a2)

    def test_binh_cannot_move_a_member_to_commune_b(self):
        response = self.post({"kind": "chuyen_noi_bo", "on": f"{timezone.localdate():%d/%m/%Y}",
                              "unit": self.cell_b1.pk})
        self.assertIn("unit", response.context["event_form"].errors)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit, self.cell_a1)

    def test_a_cell_is_chosen_only_for_a_move(self):
        response = self.post({"kind": "mien_sinh_hoat", "on": f"{timezone.localdate():%d/%m/%Y}",
                              "unit": self.cell_a2.pk})
        self.assertIn("Chỉ chọn chi bộ mới khi chuyển sinh hoạt", response.context["event_form"].errors["unit"][0])
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).unit, self.cell_a1)

    def test_only_the_events_that_may_follow_the_status_are_offered(self):
        self.client.force_login(self.binh)
        form = self.client.get(reverse("members-detail", args=[self.member_a1_prob.pk])).context["event_form"]
        kinds = [k for k, _label in form.fields["kind"].choices if k]
        self.assertIn("cong_nhan", kinds)  # probationary: may be recognized
        self.assertNotIn("khai_tru", kinds)  # but not expelled (rules.md §1)
        response = self.post({"kind": "khai_tru", "on": f"{timezone.localdate():%d/%m/%Y}"}, member=self.member_a1_prob)
        self.assertIn("không ghi được", response.context["event_form"].errors["kind"][0])

    def test_a_viewer_may_not_record_events(self):
        viewer = make_user("xem", self.commune_a, Role.VIEWER)
        response = self.post({"kind": "mien_sinh_hoat", "on": f"{timezone.localdate():%d/%m/%Y}"}, user=viewer)
        self.assertEqual(response.status_code, 403)
