from django.urls import path

from documents import views

urlpatterns = [
    path("", views.document_list, name="documents-list"),
    path("ghi/", views.create, name="documents-create"),
    path("<int:pk>/", views.detail, name="documents-detail"),
    path("<int:pk>/sua/", views.edit, name="documents-edit"),
    path("<int:pk>/quan-triet/", views.disseminate, name="documents-disseminate"),
    path("<int:pk>/tep/", views.attachment, name="documents-attachment"),
]
