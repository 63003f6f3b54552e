from django.contrib.auth import views as auth_views
from django.urls import path

from access.forms import LoginForm

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="access/login.html", authentication_form=LoginForm,
                                     redirect_authenticated_user=True),
        name="access-login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="access-logout"),
]
