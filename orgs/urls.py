from django.urls import path

from orgs import views

urlpatterns = [
    path("", views.tree, name="orgs-tree"),
    path("sap-xep/", views.restructure_start, name="orgs-restructure"),
    path("<int:pk>/", views.detail, name="orgs-detail"),
    path("<int:pk>/con/", views.children, name="orgs-children"),
    path("<int:pk>/chuyen/", views.restructure, {"op": "move"}, name="orgs-move"),
    path("<int:pk>/doi-ten/", views.restructure, {"op": "rename"}, name="orgs-rename"),
    path("<int:pk>/giai-the/", views.restructure, {"op": "close"}, name="orgs-close"),
    path("<int:pk>/hop-nhat/", views.restructure, {"op": "merge"}, name="orgs-merge"),
    path("<int:pk>/chia-tach/", views.restructure, {"op": "split"}, name="orgs-split"),
]
