from django.urls import path

from oversight import views

urlpatterns = [
    path("", views.index, name="oversight-index"),
    path("mo/", views.case_new, name="oversight-case-new"),
    path("cuoc/<int:pk>/", views.case_detail, name="oversight-case"),
    path("ky-luat/", views.discipline_list, name="oversight-discipline-list"),
    path("ky-luat/ghi/", views.discipline_new, name="oversight-discipline-new"),
    path("ky-luat/<int:pk>/", views.discipline_detail, name="oversight-discipline"),
    path("don-thu/", views.petition_list, name="oversight-petitions"),
    path("don-thu/nhan/", views.petition_new, name="oversight-petition-new"),
    path("don-thu/<int:pk>/", views.petition_detail, name="oversight-petition"),
    path("thong-ke/", views.stats_page, name="oversight-stats"),
    path("thong-bao/", views.notices, name="oversight-notices"),
    path("chuong-trinh/", views.programmes, name="oversight-programmes"),
    path("chuong-trinh/<int:pk>/", views.programme_detail, name="oversight-programme"),
]
