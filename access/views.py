"""The signed-in user's own account: who they are, what they may see, and changing the password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from access.forms import PasswordChangeForm
from access.models import ApiToken
from access.services import change_password
from core.htmx import login_required
from core.scoping import held_grants


@login_required
def account(request):
    # The smallest signed-in page: the grants the header reads anyway, one count. W6 measures it as
    # the floor under every page (bench/w6.py).
    context = {"grants": held_grants(request.user),
               "tokens": ApiToken.objects.valid().filter(user=request.user).count()}
    return render(request, "access/account.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = change_password(form)
        update_session_auth_hash(request, form.user)  # this session stays signed in, the others end
        note = f" {ended} mã truy cập API cũ đã hết hiệu lực." if ended else ""
        messages.success(request, "Đã đổi mật khẩu. Các phiên đăng nhập trên máy khác đã kết thúc." + note)
        return redirect("access-account")
    return render(request, "access/password_change.html", {"form": form})
