from django.contrib.auth import views as auth_views
from django.urls import path

from access import views
from access.forms import LoginForm

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="access/login.html", authentication_form=LoginForm,
                                     redirect_authenticated_user=True),
        name="access-login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="access-logout"),
    path("tai-khoan/", views.account, name="access-account"),
    path("tai-khoan/doi-mat-khau/", views.password_change, name="access-password"),
]
