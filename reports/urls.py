from django.urls import path

from reports import views

urlpatterns = [
    path("", views.index, name="reports-list"),
    path("moi/", views.new, name="reports-new"),
    path("<int:pk>/", views.detail, name="reports-detail"),
    path("<int:pk>/tao-tep/", views.generate, name="reports-generate"),
    path("<int:pk>/tien-do/", views.progress, name="reports-progress"),
    path("<int:pk>/tai/<str:kind>", views.download, name="reports-download"),
    path("mau/<str:code>/", views.template_upload, name="reports-template"),
    path("yeu-cau/", views.requests_list, name="reports-requests"),
    path("yeu-cau/moi/", views.request_new, name="reports-request-new"),
    path("yeu-cau/<int:pk>/", views.request_detail, name="reports-request"),
    path("yeu-cau/<int:pk>/nop/<int:unit_pk>/", views.submit, name="reports-submit"),
]
