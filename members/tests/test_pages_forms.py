"""The create and edit forms of a member's lý lịch: saved through the services, every error in
Vietnamese on its field, what was typed kept, units only within reach, sensitive fields only for
those who may see them, relatives, and the photo served only to those who may see the member."""

import io
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from access.rules import Role
from audit.models import AuditEntry
from dangvu.testing import BaseTestCase, VisibilityMixin, make_user
from members.models import Member, Relative

CCCD = "001080012345"  # valid for a man born in 1980


def new_member(**changes) -> dict:
    data = {
        "full_name": "Hoàng Văn Mới", "gender": "nam", "birth_date": "17/05/1980", "ethnicity": "Kinh",
        "admitted_on": "19/05/2010", "status": "chinh_thuc", "phone": "0912 345 678",
        "nguoi-than-TOTAL_FORMS": "1", "nguoi-than-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def profile_of(member: Member, **changes) -> dict:
    """The edit form as it comes filled for `member`, with `changes`."""
    data = {
        "full_name": member.full_name, "gender": member.gender, "birth_date": f"{member.birth_date:%d/%m/%Y}",
        "ethnicity": member.ethnicity, "admitted_on": f"{member.admitted_on:%d/%m/%Y}",
        "recognized_on": f"{member.recognized_on:%d/%m/%Y}" if member.recognized_on else "",
        "citizen_id": member.citizen_id or "", "religion": member.religion, "phone": member.phone,
        "nguoi-than-TOTAL_FORMS": "1", "nguoi-than-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def png(size=(4, 4)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return SimpleUploadedFile("anh.png", out.getvalue(), content_type="image/png")


class MediaTestCase(VisibilityMixin, BaseTestCase):
    def setUp(self):
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=media)
        override.enable()
        self.addCleanup(override.disable)


class CreateFormTests(MediaTestCase):
    def post(self, data: dict, user=None):
        self.client.force_login(user or self.binh)
        return self.client.post(reverse("members-create"), data)

    def test_a_member_is_created_with_the_admission_events_and_an_audit_entry(self):
        response = self.post(new_member(unit=self.cell_a1.pk, citizen_id=CCCD, religion="Không"))
        member = Member.objects.get(full_name="Hoàng Văn Mới")
        self.assertRedirects(response, reverse("members-detail", args=[member.pk]))
        self.assertEqual((member.unit, member.status, member.citizen_id), (self.cell_a1, "chinh_thuc", CCCD))
        self.assertEqual(sorted(member.events.values_list("kind", flat=True)), ["cong_nhan", "ket_nap"])
        self.assertTrue(AuditEntry.objects.filter(action="members.member.created", object_id=str(member.pk)).exists())

    def test_the_empty_form_as_a_browser_posts_it_back_saves_empty_values(self):
        self.client.force_login(self.binh)
        form = self.client.get(reverse("members-create")).context["form"]
        # What a browser sends for an untouched form: every field's shown value.
        data = {name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
                if name != "photo"}
        data.update(new_member(unit=self.cell_a1.pk))
        self.assertEqual(self.client.post(reverse("members-create"), data).status_code, 302)
        member = Member.objects.get(full_name="Hoàng Văn Mới")
        self.assertEqual((member.birthplace, member.notes, member.ethnicity, member.degree), ("", "", "Kinh", ""))

    def test_the_unit_choices_are_the_open_cells_binh_may_change(self):
        self.client.force_login(self.binh)
        form = self.client.get(reverse("members-create")).context["form"]
        self.assertEqual(list(form.fields["unit"].queryset), [self.cell_a1, self.cell_a2])

    def test_binh_cannot_create_a_member_in_commune_b(self):
        response = self.post(new_member(unit=self.cell_b1.pk))
        self.assertEqual(response.status_code, 200)
        self.assertIn("không có trong danh sách", response.context["form"].errors["unit"][0])
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())

    def test_a_date_that_does_not_exist_is_explained_and_everything_typed_is_kept(self):
        response = self.post(new_member(unit=self.cell_a1.pk, birth_date="31/02/1980", birthplace="xã Tịnh Hòa"))
        self.assertEqual(response.context["form"].errors["birth_date"],
                         ["“Ngày sinh” không phải một ngày có thật; hãy nhập theo dạng ngày/tháng/năm, ví dụ 17/05/1980."])
        for typed in ('value="Hoàng Văn Mới"', 'value="31/02/1980"', 'value="xã Tịnh Hòa"', 'value="0912 345 678"'):
            self.assertContains(response, typed)
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())

    def test_a_missing_name_says_what_to_type(self):
        response = self.post(new_member(unit=self.cell_a1.pk, full_name=""))
        self.assertEqual(response.context["form"].errors["full_name"], ["Hãy nhập họ và tên đang dùng."])

    def test_a_rule_of_the_service_lands_on_its_field(self):
        response = self.post(new_member(unit=self.cell_a1.pk, admitted_on="01/01/1995"))
        self.assertIn("khi chưa đủ 18 tuổi", response.context["form"].errors["admitted_on"][0])
        self.assertContains(response, 'value="01/01/1995"')

    def test_every_rule_the_form_breaks_is_shown_on_its_field_at_once(self):
        response = self.post(new_member(unit=self.cell_a1.pk, status="chinh_thuc", admitted_on="01/01/1995",
                                        recognized_on="01/01/1994", citizen_id="001079000001"))
        errors = response.context["form"].errors
        self.assertIn("khi chưa đủ 18 tuổi", errors["admitted_on"][0])
        self.assertEqual(errors["recognized_on"], ["Ngày chính thức phải sau ngày vào Đảng."])
        self.assertIn("năm sinh", errors["citizen_id"][0])
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())

    def test_a_cccd_of_eleven_digits_or_with_letters(self):
        response = self.post(new_member(unit=self.cell_a1.pk, citizen_id="00108001234"))
        self.assertEqual(response.context["form"].errors["citizen_id"], ["Số CCCD phải có đúng 12 chữ số (đang có 11)."])
        response = self.post(new_member(unit=self.cell_a1.pk, citizen_id="00108001234A"))
        self.assertIn("chỉ gồm chữ số", response.context["form"].errors["citizen_id"][0])

    def test_a_cccd_not_matching_the_birth_year_or_already_on_record(self):
        response = self.post(new_member(unit=self.cell_a1.pk, citizen_id="001090012345"))
        self.assertIn("năm sinh", response.context["form"].errors["citizen_id"][0])
        Member.objects.filter(pk=self.member_a2.pk).update(citizen_id=CCCD)
        response = self.post(new_member(unit=self.cell_a1.pk, citizen_id=CCCD))
        self.assertEqual(response.context["form"].errors["citizen_id"],
                         [f"Số CCCD {CCCD} đã có trong hồ sơ của một đảng viên khác."])

    def test_a_wrong_phone_number_and_email(self):
        response = self.post(new_member(unit=self.cell_a1.pk, phone="gọi sau", email="an@"))
        errors = response.context["form"].errors
        self.assertIn("không phải số điện thoại", errors["phone"][0])
        self.assertEqual(errors["email"], ["Thư điện tử chưa đúng dạng; hãy ghi như ten@gmail.com."])

    def test_a_probationary_member_has_no_recognition_date(self):
        response = self.post(new_member(unit=self.cell_a1.pk, status="du_bi", recognized_on="19/05/2011"))
        self.assertIn("chưa có ngày chính thức", response.context["form"].errors["recognized_on"][0])

    def test_relatives_are_saved_with_the_member(self):
        self.post(new_member(unit=self.cell_a1.pk, **{
            "nguoi-than-0-relation": "Mẹ", "nguoi-than-0-full_name": "Lê Thị Hiền", "nguoi-than-0-birth_year": "1955"}))
        member = Member.objects.get(full_name="Hoàng Văn Mới")
        self.assertEqual(list(member.relatives.values_list("relation", "full_name", "birth_year")),
                         [("Mẹ", "Lê Thị Hiền", 1955)])

    def test_a_relative_without_a_name_is_refused_and_nothing_is_written(self):
        response = self.post(new_member(unit=self.cell_a1.pk, **{"nguoi-than-0-relation": "Mẹ"}))
        self.assertEqual(response.context["relatives"].forms[0].errors["full_name"], ["Hãy nhập họ và tên."])
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())

    def test_a_cell_secretary_gets_no_sensitive_fields(self):
        self.client.force_login(self.chi)
        response = self.client.get(reverse("members-create"))
        self.assertNotIn("citizen_id", response.context["form"].fields)
        self.assertIsNone(response.context["relatives"])
        response = self.post(new_member(unit=self.cell_a1.pk, citizen_id=CCCD), user=self.chi)
        self.assertIsNone(Member.objects.get(full_name="Hoàng Văn Mới").citizen_id)

    def test_a_viewer_may_not_create(self):
        self.client.force_login(make_user("xem", self.commune_a, Role.VIEWER))
        self.assertEqual(self.client.get(reverse("members-create")).status_code, 403)

    def test_the_form_renders_with_debug_off(self):
        with override_settings(DEBUG=False):
            self.client.force_login(self.binh)
            response = self.client.get(reverse("members-create"))
        self.assertContains(response, "Sơ yếu lý lịch")
        self.assertContains(response, "Quan hệ gia đình")


class EditFormTests(MediaTestCase):
    def url(self, member=None, name="members-edit") -> str:
        return reverse(name, args=[(member or self.member_a1).pk])

    def test_editing_the_phone_saves_it_and_the_member_page_shows_the_audit_entry(self):
        self.client.force_login(self.binh)
        response = self.client.post(self.url(), profile_of(self.member_a1, phone="0987 654 321"))
        self.assertRedirects(response, self.url(name="members-detail"))
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).phone, "0987 654 321")
        entry = AuditEntry.objects.get(action="members.member.updated", object_id=str(self.member_a1.pk))
        self.assertEqual(entry.changes(), [("phone", "", "0987 654 321")])
        page = self.client.get(self.url(name="members-detail"))
        self.assertContains(page, "0987 654 321")
        self.assertContains(page, "Sửa hồ sơ đảng viên")

    def test_an_error_keeps_what_was_typed_and_the_header_keeps_the_saved_name(self):
        self.client.force_login(self.binh)
        response = self.client.post(self.url(), profile_of(self.member_a1, full_name="Nguyễn Văn Ánh Mới",
                                                           birth_date="01/01/2999"))
        self.assertEqual(response.context["form"].errors["birth_date"], ["Ngày sinh không được sau ngày hôm nay."])
        self.assertContains(response, 'value="Nguyễn Văn Ánh Mới"')
        self.assertContains(response, "<h1>Sửa hồ sơ: Nguyễn Văn Ánh</h1>", html=True)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).full_name, "Nguyễn Văn Ánh")

    def test_a_cell_secretary_edits_without_seeing_or_clearing_the_cccd(self):
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=CCCD, religion="Phật giáo")
        self.client.force_login(self.chi)
        response = self.client.get(self.url())
        self.assertNotContains(response, CCCD)
        data = profile_of(self.member_a1, phone="0911 111 111")
        del data["citizen_id"], data["religion"]
        self.assertEqual(self.client.post(self.url(), data).status_code, 302)
        member = Member.objects.get(pk=self.member_a1.pk)
        self.assertEqual((member.phone, member.citizen_id, member.religion), ("0911 111 111", CCCD, "Phật giáo"))

    def test_removing_a_relative_is_written_to_the_audit_log(self):
        relative = Relative.objects.create(member=self.member_a1, relation="Bố", full_name="Nguyễn Văn Cả")
        self.client.force_login(self.binh)
        data = profile_of(self.member_a1, **{
            "nguoi-than-TOTAL_FORMS": "2", "nguoi-than-INITIAL_FORMS": "1", "nguoi-than-0-id": relative.pk,
            "nguoi-than-0-relation": "Bố", "nguoi-than-0-full_name": "Nguyễn Văn Cả", "nguoi-than-0-DELETE": "on"})
        self.assertEqual(self.client.post(self.url(), data).status_code, 302)
        self.assertFalse(self.member_a1.relatives.exists())
        entry = AuditEntry.objects.get(action="members.member.relatives_updated")
        self.assertEqual((entry.before, entry.after), ({"relatives": ["Bố: Nguyễn Văn Cả"]}, {"relatives": []}))

    def test_a_photo_is_kept_and_served_only_to_those_who_may_see_the_member(self):
        self.client.force_login(self.binh)
        data = profile_of(self.member_a1, photo=png())
        self.assertEqual(self.client.post(self.url(), data).status_code, 302)
        photo_url = self.url(name="members-photo")
        response = self.client.get(photo_url)
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "image/png"))
        self.assertContains(self.client.get(self.url(name="members-detail")), f'src="{photo_url}"')
        self.assert_page_hidden_from_dung(photo_url)
        self.client.logout()
        self.assertEqual(self.client.get(photo_url).status_code, 302)  # to the login form

    def test_a_photo_can_be_removed(self):
        self.client.force_login(self.binh)
        self.client.post(self.url(), profile_of(self.member_a1, photo=png()))
        response = self.client.get(self.url())
        self.assertIn("remove_photo", response.context["form"].fields)
        self.assertNotContains(response, "/media/")  # the file is never linked as public media
        self.client.post(self.url(), profile_of(self.member_a1, remove_photo="on"))
        self.assertFalse(Member.objects.get(pk=self.member_a1.pk).photo)
        self.assertEqual(self.client.get(self.url(name="members-photo")).status_code, 404)

    def test_a_photo_over_five_megabytes_is_refused(self):
        self.client.force_login(self.binh)
        big = SimpleUploadedFile("anh.png", png().read() + bytes(6 * 1024 * 1024), "image/png")
        response = self.client.post(self.url(), profile_of(self.member_a1, photo=big))
        self.assertIn("Ảnh nặng quá 5 MB", response.context["form"].errors["photo"][0])

    def test_a_file_that_is_not_an_image_is_refused(self):
        self.client.force_login(self.binh)
        data = profile_of(self.member_a1, photo=SimpleUploadedFile("anh.png", b"not an image", "image/png"))
        response = self.client.post(self.url(), data)
        self.assertIn("Tệp ảnh không đọc được", response.context["form"].errors["photo"][0])

    def test_a_viewer_gets_403_and_dung_404(self):
        self.client.force_login(make_user("xem", self.commune_a, Role.VIEWER))
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.assert_page_hidden_from_dung(self.url())
        response = self.client.post(self.url(), profile_of(self.member_a1, phone="0900 000 000"))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).phone, "")
