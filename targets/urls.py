from django.urls import path

from targets import views

urlpatterns = [
    path("", views.index, name="targets-index"),
    path("mau.xlsx", views.template_file, name="targets-template"),
    path("to-chuc/<int:pk>/", views.unit_page, name="targets-unit"),
    path("to-chuc/<int:pk>/them/", views.add_target, name="targets-add"),
    path("to-chuc/<int:pk>/nhap-excel/", views.import_file, name="targets-import"),
    path("to-chuc/<int:pk>/xuat-excel/", views.unit_export, name="targets-unit-export"),
    path("to-chuc/<int:pk>/dan-so/", views.population, name="targets-population"),
    path("van-ban/<int:pk>/", views.document_page, name="targets-document"),
    path("van-ban/<int:pk>/xuat-excel/", views.document_export, name="targets-document-export"),
    path("<int:pk>/", views.detail, name="targets-detail"),
    path("<int:pk>/ket-qua/", views.enter_value, name="targets-value"),
    path("<int:pk>/giao/", views.cascade, name="targets-cascade"),
    path("<int:pk>/tinh/", views.compute, name="targets-compute"),
]
