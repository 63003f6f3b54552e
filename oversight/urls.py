from django.urls import path

from oversight import views

urlpatterns = [
    path("", views.index, name="oversight-index"),
    path("kiem-tra/<int:pk>/", views.case_detail, name="oversight-case"),
    path("ky-luat/<int:pk>/", views.discipline_detail, name="oversight-discipline"),
    path("don-thu/<int:pk>/", views.petition_detail, name="oversight-petition"),
]
