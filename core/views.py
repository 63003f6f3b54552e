"""Views that belong to no domain: the health check."""

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
