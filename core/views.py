"""Views that belong to no domain: the health check and the favicon."""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """"ok" once the process serves requests, without touching the database.

    A load balancer asks this every few seconds on every server, so it must cost nothing; it is also
    the bench's reference page (W6: a bare Django view on the same server stack as the real pages).
    Whether the database answers is for the pages themselves to show.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@cache
def _favicon() -> bytes:
    return (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


@require_safe
def favicon(request):
    """/favicon.ico, which browsers (and bookmarks, and feed readers) ask for whatever the page links:
    answered here, without a login, instead of a 404 in every log."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
