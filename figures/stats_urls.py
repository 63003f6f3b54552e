from django.urls import path

from figures import views

urlpatterns = [
    path("", views.page, name="figures-statistics"),
    path("bieu.xlsx", views.export_xlsx, name="figures-statistics-xlsx"),
]
