from django.urls import path

from calendars import views

urlpatterns = [
    path("", views.year_page, name="calendars-year"),
    path("them/", views.add, name="calendars-add"),
    path("<int:pk>/xoa/", views.delete, name="calendars-delete"),
]
