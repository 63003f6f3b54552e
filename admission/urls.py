from django.urls import path

from admission import views

urlpatterns = [
    path("", views.candidate_list, name="admission-list"),
    path("moi/", views.create, name="admission-create"),
    path("<int:pk>/", views.detail, name="admission-detail"),
    path("<int:pk>/sua/", views.edit, name="admission-edit"),
    path("<int:pk>/buoc/", views.add_step, name="admission-step"),
    path("<int:pk>/van-ban/<int:step_id>/", views.paper, name="admission-paper"),
]
