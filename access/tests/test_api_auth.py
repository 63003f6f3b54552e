"""Tokens, the 401s around them, and the self-documentation of the API."""

import re
from datetime import timedelta

from django.utils import timezone

from access.api import LOCKED_OUT
from access.models import LAST_USED_STEP, ApiToken
from dangvu.api import UNAUTHORIZED
from dangvu.testing import PASSWORD, BaseTestCase

TOKEN = "/api/v1/auth/token"
ORGS = "/api/v1/orgs"


class TokenTests(BaseTestCase):
    def post_token(self, username: str, password: str):
        body = {"username": username, "password": password}
        return self.client.post(TOKEN, body, content_type="application/json")

    def get_with(self, token: str, url: str = ORGS):
        return self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    def test_it_issues_a_token_that_opens_the_api(self):
        response = self.post_token("binh", PASSWORD)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["expires_in_days"], 30)
        self.assertEqual(self.get_with(response.json()["token"]).status_code, 200)

    def test_it_keeps_only_the_hash_of_the_token(self):
        token = self.post_token("binh", PASSWORD).json()["token"]
        self.assertFalse(ApiToken.objects.filter(key_hash=token).exists())
        self.assertEqual(ApiToken.objects.filter(user=self.binh).count(), 1)

    def test_a_wrong_password_is_401_in_vietnamese(self):
        response = self.post_token("binh", "sai-mat-khau")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": "Sai tên đăng nhập hoặc mật khẩu."})
        self.assertFalse(ApiToken.objects.exists())

    def test_an_unknown_username_gets_the_same_answer(self):
        response = self.post_token("khong-ai", PASSWORD)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": "Sai tên đăng nhập hoặc mật khẩu."})

    def test_an_inactive_user_gets_no_token(self):
        self.binh.is_active = False
        self.binh.save()
        self.assertEqual(self.post_token("binh", PASSWORD).status_code, 401)

    def test_a_missing_password_is_422_in_vietnamese(self):
        response = self.client.post(TOKEN, {"username": "binh"}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"],
                         [{"field": "password", "message": "Thiếu trường bắt buộc."}])

    def test_a_body_that_is_not_json_is_400_in_vietnamese(self):
        response = self.client.post(TOKEN, "binh:mat-khau", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"detail": "Nội dung gửi lên không phải JSON hợp lệ."})

    def test_repeated_wrong_passwords_lock_the_account_for_a_while(self):
        for _ in range(5):
            self.post_token("binh", "sai-mat-khau")
        response = self.post_token("binh", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json(), {"detail": LOCKED_OUT})
        self.assertFalse(ApiToken.objects.exists())


class BearerTests(BaseTestCase):
    def assert_unauthorized(self, response) -> None:
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": UNAUTHORIZED})
        self.assertEqual(response["WWW-Authenticate"], "Bearer")

    def test_no_token_is_401(self):
        self.assert_unauthorized(self.client.get(ORGS))

    def test_an_expired_token_is_401(self):
        token = ApiToken.issue(self.an)
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assert_unauthorized(self.client.get(ORGS, HTTP_AUTHORIZATION=f"Bearer {token}"))

    def test_a_forged_token_is_401(self):
        ApiToken.issue(self.an)
        self.assert_unauthorized(self.client.get(ORGS, HTTP_AUTHORIZATION="Bearer gia-mao-0123456789abcdef"))

    def test_a_token_of_a_deactivated_user_is_401(self):
        token = ApiToken.issue(self.an)
        self.an.is_active = False
        self.an.save()
        response = self.client.get(f"{ORGS}/{self.province.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assert_unauthorized(response)

    def test_another_scheme_is_401(self):
        self.assert_unauthorized(self.client.get(ORGS, HTTP_AUTHORIZATION=f"Basic {ApiToken.issue(self.an)}"))

    def test_a_logged_in_browser_session_is_not_enough(self):
        # The API reads only bearer tokens, so a page visitor's cookie cannot drive it (no CSRF surface).
        self.client.force_login(self.an)
        self.assert_unauthorized(self.client.get(ORGS))

    def test_a_valid_token_records_its_last_use_every_few_minutes_not_every_call(self):
        token = ApiToken.issue(self.an)
        self.client.get(ORGS, HTTP_AUTHORIZATION=f"Bearer {token}")
        first = ApiToken.objects.get().last_used_at
        self.assertIsNotNone(first)
        self.client.get(ORGS, HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(ApiToken.objects.get().last_used_at, first)  # a read is not also a write
        ApiToken.objects.update(last_used_at=first - LAST_USED_STEP - timedelta(seconds=1))
        self.client.get(ORGS, HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertGreater(ApiToken.objects.get().last_used_at, first)


class DocsTests(BaseTestCase):
    def test_openapi_schema_loads_and_lists_the_endpoints(self):
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        self.assertEqual(schema["info"]["title"], "Đảng vụ API")
        for path in ("/api/v1/auth/token", "/api/v1/orgs", "/api/v1/orgs/{unit_id}",
                     "/api/v1/members", "/api/v1/members/{member_id}"):
            self.assertIn(path, schema["paths"])
        self.assertIn("BearerAuth", schema["components"]["securitySchemes"])

    def test_docs_page_loads_nothing_from_the_internet(self):
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotRegex(html, r"(?i)(https?:)?//[a-z0-9.-]+\.[a-z]")
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        self.assertIn("/static/ninja/swagger-ui-bundle.js", assets)
        for url in assets:
            self.assertTrue(url.startswith("/static/"), url)
            self.assertEqual(self.client.get(url).status_code, 200, f"{url} is not served")
