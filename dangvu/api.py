"""The API at /api/v1: one NinjaAPI, one router per app, bearer tokens, Vietnamese errors."""

import json

from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from access.api import BearerAuth, auth_router
from admission.api import router as admission_router
from assessment.api import router as classification_router
from assessment.awards_api import router as awards_router
from bodies.api import router as bodies_router
from calendars.api import router as calendars_router
from core.errors import DomainError
from core.worklist_views import router as worklist_router
from documents.api import router as documents_router
from figures.api import router as statistics_router
from members.api import router as members_router
from members.badge_api import router as badges_router
from members.changes_api import router as changes_router
from orgs.api import router as orgs_router
from oversight.api import router as oversight_router
from reports.api import router as reports_router
from targets.api import router as targets_router
from transfers.api import router as transfers_router


class VietnameseJSON(JSONRenderer):
    # Names as written ("Đảng bộ xã An Hòa"), not as \u escapes: readable in logs and curl.
    json_dumps_params = {"ensure_ascii": False}


class LocalSwagger(Swagger):
    """Swagger UI from the copy bundled with django-ninja (served by WhiteNoise), never a CDN.

    Ninja falls back to a CDN page when "ninja" is not in INSTALLED_APPS; this always renders
    the local template, so a missing app is a loud error instead of a request to the internet.
    """

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        # Bearer tokens only, no session cookie, so the page has no CSRF token to send.
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": False}
        return render(request, self.template, context)


UNAUTHORIZED = (
    "Chưa xác thực hoặc mã truy cập không hợp lệ/đã hết hạn. Hãy lấy mã mới tại /api/v1/auth/token."
)
NOT_FOUND = "Không tìm thấy, hoặc bạn không có quyền xem đối tượng này."
INVALID = "Dữ liệu gửi lên không hợp lệ."

api = NinjaAPI(
    title="Đảng vụ API",
    version="1",
    description="API công tác xây dựng Đảng. Xác thực: POST /api/v1/auth/token, rồi gửi "
    "`Authorization: Bearer <token>` trong mọi lời gọi.",
    auth=BearerAuth(),
    renderer=VietnameseJSON(),
    docs=LocalSwagger(),
    urls_namespace="api",
)
api.add_router("/auth", auth_router)
api.add_router("/orgs", orgs_router)
api.add_router("/statistics", statistics_router)
api.add_router("/members/changes", changes_router)  # before /members: its own path, no id
api.add_router("/members", members_router)
api.add_router("/workdays", calendars_router)
api.add_router("/badges", badges_router)
api.add_router("/worklist", worklist_router)
api.add_router("/transfers", transfers_router)
api.add_router("/candidates", admission_router)
api.add_router("", bodies_router)  # /orgs/{id}/bodies, /orgs/{id}/terms, /congresses
api.add_router("", documents_router)  # /documents
api.add_router("", oversight_router)  # /inspections, /discipline, /petitions, /oversight/statistics
api.add_router("", targets_router)  # /targets, /population
api.add_router("/classification", classification_router)
api.add_router("", awards_router)  # /commendations, /models
api.add_router("", reports_router)  # /reports, /reports/templates


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
    response["WWW-Authenticate"] = "Bearer"  # RFC 6750: tells the client which scheme to use
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    # Unknown and invisible answer alike, so an id outside one's subtree reveals nothing.
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = [{"field": _field(e.get("loc", [])), "message": _vn_message(e)} for e in exc.errors]
    return api.create_response(request, {"detail": INVALID, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    # Ninja raises HttpError(400, "Cannot parse request body…") for a body that is not JSON;
    # any other HttpError is ours and carries its own Vietnamese message.
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):
        detail = "Nội dung gửi lên không phải JSON hợp lệ."
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(DomainError)
def domain_error(request, exc):
    body = {"detail": exc.message, "field": exc.field}
    if len(exc.each()) > 1:  # several rules at once: each with its field, as the forms show them
        body["errors"] = [{"field": e.field, "message": e.message} for e in exc.each()]
    return api.create_response(request, body, status=400)


def _field(loc) -> str:
    """The field as the client named it: ("query", "page_size") -> "page_size",
    ("body", "data", "password") -> "password" ("data" is only the view's parameter name)."""
    source, *rest = loc or ["body"]
    if source == "body" and rest:
        rest = rest[1:]
    return ".".join(str(p) for p in rest) or source


def _vn_message(error: dict) -> str:
    """Pydantic's error, said in Vietnamese with what to send instead."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if error.get("vn"):  # already said in Vietnamese (a Django form's message)
        return error["vn"]
    if kind == "missing":
        return "Thiếu trường bắt buộc."
    if kind.startswith("int"):
        return "Phải là số nguyên, ví dụ 12."
    if kind.startswith("date"):
        return "Ngày không hợp lệ; hãy dùng dạng YYYY-MM-DD, ví dụ 2025-07-01."
    if kind.startswith("bool"):
        return "Phải là true hoặc false."
    if kind == "greater_than_equal":
        return f"Phải lớn hơn hoặc bằng {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"Không được lớn hơn {ctx.get('le')}."
    if kind == "enum":
        choices = str(ctx.get("expected", "")).replace(" or ", ", ")  # "'a', 'b' or 'c'"
        return f"Giá trị không hợp lệ; hãy chọn một trong: {choices}."
    if kind.startswith("string"):
        return "Phải là chuỗi ký tự hợp lệ."
    if kind in ("json_invalid", "model_attributes_type", "dict_type"):
        return "Nội dung gửi lên phải là JSON hợp lệ."
    return f"Giá trị không hợp lệ ({error.get('msg', '')})."
