from django.urls import path

from core import worklist_views

urlpatterns = [
    path("", worklist_views.page, name="core-worklist"),
    path("excel/", worklist_views.export, name="core-worklist-xlsx"),
]
