"""A request id for every request, so audit entries of one request can be found together."""

import contextvars
import uuid

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex
        request.request_id = rid
        token = current_request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-Id"] = rid
        return response


# Everything the pages use is served by the app itself: its scripts (htmx, tree.js) and styles come
# from /static/, so nothing inline may run. The two progress meters set their width in a style
# attribute (style-src-attr), which cannot run code. htmx is told in base.html not to add its own
# <style> element and not to evaluate code. The API documentation (django-ninja's Swagger UI, from
# /static/ too) keeps its settings in a JSON <script> block, which is data and not run, and draws
# its icons from data: URLs.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    """The same Content-Security-Policy header on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
