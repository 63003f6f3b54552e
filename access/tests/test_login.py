"""The login and logout pages, and the lockout after repeated wrong passwords.

django-axes needs the request, so logging in goes through the login page (`client.post`),
never `client.login()`.
"""

from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.testing import PASSWORD, BaseTestCase

LOGIN = reverse("access-login")


class LoginPageTests(BaseTestCase):
    def login(self, username: str, password: str, **extra):
        return self.client.post(LOGIN, {"username": username, "password": password, **extra})

    def test_the_login_page_is_in_vietnamese(self):
        response = self.client.get(LOGIN)
        self.assertContains(response, '<html lang="vi">')
        self.assertContains(response, "Đăng nhập")
        self.assertContains(response, "Tên đăng nhập")
        self.assertContains(response, "Mật khẩu")
        self.assertNotContains(response, "Nhật ký thay đổi")  # no menu before logging in

    def test_the_right_password_logs_in_and_opens_the_tree(self):
        response = self.login("binh", PASSWORD)
        self.assertRedirects(response, reverse("orgs-tree"))
        self.assertContains(self.client.get(reverse("orgs-tree")), "Đảng bộ xã An Hòa")

    def test_it_returns_to_the_page_that_was_asked_for(self):
        unit_page = reverse("orgs-detail", args=[self.cell_a1.pk])
        response = self.login("binh", PASSWORD, next=unit_page)
        self.assertRedirects(response, unit_page)

    def test_a_wrong_password_is_explained_in_vietnamese_and_the_username_kept(self):
        response = self.login("binh", "sai-mat-khau")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Sai tên đăng nhập hoặc mật khẩu")
        self.assertContains(response, 'value="binh"')
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_five_wrong_passwords_lock_the_account_for_a_while(self):
        for _ in range(4):
            self.assertContains(self.login("binh", "sai-mat-khau"), "Sai tên đăng nhập")
        response = self.login("binh", "sai-mat-khau")
        self.assertContains(response, "Tài khoản tạm bị khóa", status_code=429)
        self.assertContains(response, "thử lại sau 15 phút", status_code=429)
        # even the right password is refused while locked
        response = self.login("binh", PASSWORD)
        self.assertContains(response, "Tài khoản tạm bị khóa", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lock_is_per_username(self):
        for _ in range(5):
            self.login("binh", "sai-mat-khau")
        self.assertRedirects(self.login("dung", PASSWORD), reverse("orgs-tree"))

    def test_the_header_shows_the_grants_the_scope_has_already_read(self):
        self.client.force_login(self.binh)
        with CaptureQueriesContext(connection) as ctx:
            page = self.client.get(reverse("members-list"))
        self.assertContains(page, "Cán bộ tổ chức · Xã An Hòa")
        grant_queries = [q["sql"] for q in ctx.captured_queries if "access_grant" in q["sql"]]
        self.assertEqual(len(grant_queries), 1, grant_queries)

    def test_logout_is_a_post_from_the_header(self):
        self.client.force_login(self.binh)
        page = self.client.get(reverse("orgs-tree"))
        self.assertContains(page, f'action="{reverse("access-logout")}"')
        self.assertContains(page, "Đăng xuất")
        self.assertContains(page, "Cán bộ tổ chức · Xã An Hòa")  # the user's grant in the header
        response = self.client.post(reverse("access-logout"))
        self.assertRedirects(response, LOGIN)
        self.assertRedirects(self.client.get(reverse("orgs-tree")), f"{LOGIN}?next={reverse('orgs-tree')}")


@override_settings(DEBUG=False)
class ErrorPageTests(BaseTestCase):
    def test_404_is_in_vietnamese(self):
        self.client.force_login(self.binh)
        response = self.client.get("/khong-co-trang-nay/")
        self.assertContains(response, "Không tìm thấy hoặc bạn không có quyền xem", status_code=404)

    def test_404_for_an_anonymous_visitor_has_no_menu(self):
        response = self.client.get("/khong-co-trang-nay/")
        self.assertContains(response, "Không tìm thấy", status_code=404)
        self.assertNotContains(response, "Đăng xuất", status_code=404)

    def test_500_needs_neither_request_nor_database(self):
        html = render_to_string("500.html")
        self.assertIn('<html lang="vi">', html)
        self.assertIn("Hệ thống gặp lỗi", html)
