"""The API at /api/v1: one NinjaAPI, one router per app, bearer tokens, Vietnamese errors."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from access.api import BearerAuth, auth_router
from core.errors import DomainError
from members.api import router as members_router
from orgs.api import router as orgs_router

api = NinjaAPI(
    title="Đảng vụ API",
    version="1",
    description="API công tác xây dựng Đảng. Xác thực: POST /api/v1/auth/token, rồi gửi "
    "`Authorization: Bearer <token>` trong mọi lời gọi.",
    auth=BearerAuth(),
    urls_namespace="api",
)
api.add_router("/auth", auth_router)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(
        request, {"detail": "Chưa xác thực hoặc mã truy cập không hợp lệ/đã hết hạn. Hãy lấy mã mới tại /api/v1/auth/token."},
        status=401,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy, hoặc bạn không có quyền xem đối tượng này."},
                               status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or "body", "message": _vn_message(e)}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": "Dữ liệu gửi lên không hợp lệ.", "errors": errors}, status=422)


@api.exception_handler(DomainError)
def domain_error(request, exc):
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


def _vn_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "Thiếu trường bắt buộc."
    if kind.startswith("int"):
        return "Phải là số nguyên."
    if kind.startswith("date"):
        return "Ngày không hợp lệ (dùng dạng YYYY-MM-DD)."
    if kind.startswith("string"):
        return "Phải là chuỗi ký tự hợp lệ."
    return f"Giá trị không hợp lệ ({error.get('msg', '')})."
