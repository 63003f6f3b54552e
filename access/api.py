"""Bearer tokens for the API: issued for a username and password, sent as `Authorization: Bearer …`."""

from axes.helpers import get_failure_limit
from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import render
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from access.models import ApiToken
from core.scoping import held_grants

LOCKED_OUT = "Tài khoản tạm bị khóa do đăng nhập sai nhiều lần. Hãy thử lại sau 15 phút."
WRONG_CREDENTIALS = "Sai tên đăng nhập hoặc mật khẩu."


class BearerAuth(HttpBearer):
    """The only way into the API: a session cookie is not accepted, so there is no CSRF to guard."""

    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_in_days: int


class Message(Schema):
    detail: str


class GrantOut(Schema):
    role: str
    role_label: str
    unit_id: int
    unit_name: str


class MeOut(Schema):
    username: str
    full_name: str
    grants: list[GrantOut]


auth_router = Router(tags=["Xác thực"])


@auth_router.post("/token", auth=None, response={200: TokenOut, 401: Message, 429: Message})
def issue_token(request, data: TokenIn):
    """Đổi tên đăng nhập và mật khẩu lấy mã truy cập (Bearer). Sai nhiều lần liên tiếp thì tạm bị khóa."""
    user = authenticate(request, username=data.username, password=data.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": LOCKED_OUT})
    if user is None or not user.is_active:
        return Status(401, {"detail": WRONG_CREDENTIALS})
    return Status(200, {"token": ApiToken.issue(user), "expires_in_days": settings.API_TOKEN_LIFETIME.days})


@auth_router.get("/me", response=MeOut, summary="Tài khoản của mã truy cập này")
def me(request):
    """Người dùng của mã truy cập và các vai trò của họ: mỗi vai trò áp dụng cho tổ chức `unit_id`
    và mọi tổ chức trực thuộc, là phạm vi mà các lời gọi khác trả về."""
    user = request.user
    return {"username": user.get_username(), "full_name": user.get_full_name(), "grants": held_grants(user)}


def lockout_response(request, original_response, credentials):
    """django-axes' answer to a locked-out login (settings.AXES_LOCKOUT_CALLABLE).

    The API has already answered in JSON (429 above), so keep that; a page gets the Vietnamese
    lockout page, as axes would render it by default.
    """
    if request.path.startswith("/api/") and original_response is not None:
        return original_response
    context = {"failure_limit": get_failure_limit(request, credentials)}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
