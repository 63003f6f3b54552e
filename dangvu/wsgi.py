"""The WSGI application gunicorn serves (`make run`, W6 of the benchmarks)."""

import gc
import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
application = get_wsgi_application()

# Every view module (and the forms, models and rules it imports) is loaded now rather than by the
# first request, and then frozen out of the cycle collector: these objects live as long as the
# worker, yet each full collection walked all of them again, a pause of about 95 ms every few
# hundred requests under W6 that every request waiting behind it felt (frozen: under 10 ms).
importlib.import_module(settings.ROOT_URLCONF)
gc.freeze()
