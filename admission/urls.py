from django.urls import path

from admission import views

urlpatterns = [
    path("", views.candidate_list, name="admission-list"),
    path("<int:pk>/", views.detail, name="admission-detail"),
]
