from django.contrib.auth import authenticate
from ninja import Router, Schema
from ninja.security import HttpBearer

from access.models import ApiToken


class BearerAuth(HttpBearer):
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


auth_router = Router(tags=["Xác thực"])


@auth_router.post("/token", auth=None, response={200: TokenOut, 401: Message, 403: Message})
def issue_token(request, data: TokenIn):
    """Đổi tên đăng nhập và mật khẩu lấy mã truy cập (Bearer)."""
    from django.conf import settings

    user = authenticate(request, username=data.username, password=data.password)
    if getattr(request, "axes_locked_out", False):
        return 403, {"detail": "Tài khoản tạm bị khóa do đăng nhập sai nhiều lần. Hãy thử lại sau 15 phút."}
    if user is None or not user.is_active:
        return 401, {"detail": "Sai tên đăng nhập hoặc mật khẩu."}
    return 200, {"token": ApiToken.issue(user), "expires_in_days": settings.API_TOKEN_LIFETIME.days}
