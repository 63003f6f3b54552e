from django.urls import path

from assessment import awards_views, views

urlpatterns = [
    path("", views.round_list, name="assessment-rounds"),
    path("dot/<int:pk>/", views.round_page, name="assessment-round"),
    path("dot/<int:pk>/tu-danh-gia/", views.self_assess, name="assessment-self"),
    path("dot/<int:pk>/de-xuat/", views.propose, name="assessment-propose"),
    path("dot/<int:pk>/quyet-dinh/", views.decide, name="assessment-decide"),
    path("dot/<int:pk>/ngoai-le/", views.add_exception, name="assessment-exception"),
    path("dot/<int:pk>/cong-bo/", views.publish, name="assessment-publish"),
    path("ket-qua/", views.results_page, name="assessment-results"),
    path("ket-qua/tai-ve.<str:fmt>", views.results_export, name="assessment-results-export"),
    path("khen-thuong/", awards_views.commendations, name="assessment-commendations"),
    path("dan-van-kheo/", awards_views.models_page, name="assessment-models"),
    path("dan-van-kheo/tai-ve.xlsx", awards_views.models_export, name="assessment-models-export"),
]
