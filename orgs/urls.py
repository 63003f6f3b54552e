from django.urls import path

from orgs import views

urlpatterns = [
    path("", views.tree, name="orgs-tree"),
    path("sap-xep/", views.restructure_start, name="orgs-restructure"),
    path("nhap-cay/", views.import_tree, name="orgs-import"),
    path("nhap-cay/mau.xlsx", views.import_template, name="orgs-import-template"),
    path("<int:pk>/", views.detail, name="orgs-detail"),
    path("<int:pk>/con/", views.children, name="orgs-children"),
    path("<int:pk>/thanh-lap/", views.restructure, {"op": "create"}, name="orgs-create"),
    path("<int:pk>/chuyen/", views.restructure, {"op": "move"}, name="orgs-move"),
    path("<int:pk>/doi-ten/", views.restructure, {"op": "rename"}, name="orgs-rename"),
    path("<int:pk>/giai-the/", views.restructure, {"op": "close"}, name="orgs-close"),
    path("<int:pk>/hop-nhat/", views.restructure, {"op": "merge"}, name="orgs-merge"),
    path("<int:pk>/chia-tach/", views.restructure, {"op": "split"}, name="orgs-split"),
]
