import re

from django.test import TestCase
from django.urls import reverse

from dangvu.testing import BaseTestCase


class ContentSecurityPolicyTests(TestCase):
    def assert_policy(self, response):
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("object-src 'none'", policy)
        self.assertNotIn("script-src", policy)  # scripts fall back to 'self': nothing inline runs
        self.assertNotRegex(policy, r"style-src [^;]*'unsafe-inline'")  # no <style> element either

    def test_every_page_sends_it(self):
        for name in ("access-login", "core-healthz"):
            self.assert_policy(self.client.get(reverse(name)))
        self.assert_policy(self.client.get("/api/v1/docs"))
        self.assert_policy(self.client.get("/khong-co-trang-nay/"))

    def test_the_api_docs_run_only_scripts_from_the_app(self):
        html = self.client.get("/api/v1/docs").content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            self.assertTrue('src="/static/' in tag or 'type="application/json"' in tag, tag)


class SignedInPagesTests(BaseTestCase):
    def test_pages_hold_no_inline_script_or_style_element(self):
        self.client.force_login(self.an)
        for name in ("orgs-tree", "members-list", "members-import", "members-quality"):
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 200, name)
            html = response.content.decode()
            self.assertNotIn("<style", html, name)
            for tag in re.findall(r"<script[^>]*>", html):
                self.assertIn('src="/static/', tag, name)
