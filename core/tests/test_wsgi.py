import gc
import importlib
import sys

from django.test import SimpleTestCase


class WsgiTests(SimpleTestCase):
    def test_the_served_application_loads_every_view_and_freezes_it_out_of_the_collector(self):
        sys.modules.pop("dangvu.wsgi", None)
        try:
            wsgi = importlib.import_module("dangvu.wsgi")
            self.assertGreater(gc.get_freeze_count(), 10_000)
            self.assertIn("members.views.lists", sys.modules)
            self.assertTrue(callable(wsgi.application))
        finally:
            gc.unfreeze()
