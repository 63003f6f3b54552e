import re

from django.test import TestCase
from django.urls import reverse


class HealthCheckTests(TestCase):
    def test_it_answers_ok_without_login_or_database(self):
        with self.assertNumQueries(0):
            response = self.client.get(reverse("core-healthz"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")

    def test_it_is_never_cached(self):
        response = self.client.get(reverse("core-healthz"))
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_answers_head_but_refuses_writes(self):
        self.assertEqual(self.client.head(reverse("core-healthz")).status_code, 200)
        self.assertEqual(self.client.post(reverse("core-healthz")).status_code, 405)


class FaviconTests(TestCase):
    def test_it_answers_without_login_as_an_icon(self):
        with self.assertNumQueries(0):
            response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/x-icon")
        self.assertEqual(response.content[:4], b"\x00\x00\x01\x00")  # an ICO file's header

    def test_every_page_links_the_icons_and_they_answer(self):
        page = self.client.get(reverse("access-login")).content.decode()
        self.assertIn('<link rel="icon" href="/favicon.ico"', page)
        svg = re.search(r'<link rel="icon" href="([^"]+\.svg)"', page).group(1)
        response = self.client.get(svg)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"<svg", b"".join(response.streaming_content))
