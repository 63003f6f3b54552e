from django.urls import include, path
from django.views.generic import RedirectView

from core.views import favicon, healthz
from dangvu.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="orgs-tree", permanent=False)),
    path("", include("access.urls")),
    path("to-chuc/", include("orgs.urls")),
    path("dang-vien/", include("members.urls")),
    path("co-quan/", include("bodies.urls")),
    path("van-ban/", include("documents.urls")),
    path("danh-gia/", include("assessment.urls")),
    path("kiem-tra/", include("oversight.urls")),
    path("chi-tieu/", include("targets.urls")),
    path("nhat-ky/", include("audit.urls")),
    path("lich-lam-viec/", include("calendars.urls")),
    path("viec-can-lam/", include("core.urls")),
    path("chuyen-sinh-hoat/", include("transfers.urls")),
    path("ket-nap/", include("admission.urls")),
    path("bao-cao/", include("reports.urls")),
    path("thong-ke/", include("figures.stats_urls")),
    path("tong-quan/", include("figures.dashboard_urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="core-healthz"),  # for load balancers: no login, no database
    path("favicon.ico", favicon, name="core-favicon"),
]
