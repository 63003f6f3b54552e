from django.urls import path

from figures import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard_page, name="figures-dashboard"),
]
