"""The account page, changing one's password, and the API's "who am I"."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from access.models import ApiToken
from dangvu.testing import PASSWORD, BaseTestCase

ACCOUNT = reverse("access-account")
CHANGE = reverse("access-password")
NEW = "mat-khau-moi-2026"


class AccountPageTests(BaseTestCase):
    def test_it_shows_the_roles_and_links_each_unit(self):
        self.client.force_login(self.binh)
        response = self.client.get(ACCOUNT)
        self.assertContains(response, "Tài khoản của tôi")
        self.assertContains(response, "binh")
        self.assertContains(response, f'href="{reverse("orgs-detail", args=[self.commune_a.pk])}"')
        self.assertContains(response, "Cán bộ tổ chức")
        self.assertContains(response, 'aria-current="page"')  # the header's name marks the page

    def test_it_counts_only_the_tokens_still_valid(self):
        ApiToken.issue(self.binh)
        ApiToken.issue(self.binh)
        ApiToken.objects.filter(pk=ApiToken.objects.filter(user=self.binh).first().pk).update(expires_at=timezone.now())
        self.client.force_login(self.binh)
        self.assertContains(self.client.get(ACCOUNT), "<dd>1 mã đang dùng</dd>")

    def test_a_user_without_roles_is_told_what_to_do(self):
        self.client.force_login(get_user_model().objects.create_user("moi", password=PASSWORD))
        self.assertContains(self.client.get(ACCOUNT), "chưa được giao vai trò nào")

    def test_it_needs_a_login(self):
        self.assertRedirects(self.client.get(ACCOUNT), f"{reverse('access-login')}?next={ACCOUNT}")


class PasswordChangeTests(BaseTestCase):
    def change(self, old: str, new1: str, new2: str | None = None):
        return self.client.post(CHANGE, {"old_password": old, "new_password1": new1,
                                         "new_password2": new1 if new2 is None else new2})

    def test_the_new_password_works_the_old_does_not_and_old_tokens_end(self):
        self.client.force_login(self.binh)
        token = ApiToken.issue(self.binh)
        response = self.change(PASSWORD, NEW)
        self.assertRedirects(response, ACCOUNT, fetch_redirect_response=False)
        self.assertContains(self.client.get(ACCOUNT), "Đã đổi mật khẩu")  # and this session stays signed in
        self.binh.refresh_from_db()
        self.assertTrue(self.binh.check_password(NEW))
        self.assertFalse(self.binh.check_password(PASSWORD))
        self.assertEqual(self.client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code, 401)

    def test_another_device_is_signed_out(self):
        other = self.client_class()
        other.force_login(self.binh)
        self.client.force_login(self.binh)
        self.change(PASSWORD, NEW)
        self.assertEqual(other.get(ACCOUNT).status_code, 302)

    def test_a_wrong_old_password_is_explained_and_nothing_changes(self):
        self.client.force_login(self.binh)
        token = ApiToken.issue(self.binh)
        response = self.change("sai-mat-khau", NEW)
        self.assertContains(response, "Mật khẩu cũ không đúng. Hãy nhập lại.")
        self.assertContains(response, '<p class="help">Ít nhất 8 ký tự. ')  # the rules as a sentence, not a list
        self.binh.refresh_from_db()
        self.assertTrue(self.binh.check_password(PASSWORD))
        self.assertTrue(ApiToken.objects.filter(user=self.binh).exists())
        self.assertIsNotNone(ApiToken.user_for(token))

    def test_a_short_or_common_or_mismatched_password_is_refused_in_vietnamese(self):
        self.client.force_login(self.binh)
        self.assertContains(self.change(PASSWORD, "ngan"), "Mật khẩu quá ngắn: cần ít nhất 8 ký tự.")
        self.assertContains(self.change(PASSWORD, "password"), "Mật khẩu này quá phổ biến.")
        self.assertContains(self.change(PASSWORD, NEW, NEW + "x"), "Hai trường mật khẩu không giống nhau.")
        self.binh.refresh_from_db()
        self.assertTrue(self.binh.check_password(PASSWORD))


class MeApiTests(BaseTestCase):
    def test_it_names_the_user_and_each_role_with_its_unit(self):
        response = self.api(self.binh, "get", "/api/v1/auth/me")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {
            "username": "binh", "full_name": self.binh.get_full_name(),
            "grants": [{"role": "to_chuc", "role_label": "Cán bộ tổ chức", "unit_id": self.commune_a.pk,
                        "unit_name": self.commune_a.short_name or self.commune_a.name}]})

    def test_it_needs_a_token(self):
        self.assertEqual(self.client.get("/api/v1/auth/me").status_code, 401)
