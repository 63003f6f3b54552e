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
