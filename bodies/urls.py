from django.urls import path

from bodies import views

urlpatterns = [
    path("", views.index, name="bodies-index"),
    path("to-chuc/<int:pk>/", views.unit_page, name="bodies-unit"),
    path("to-chuc/<int:pk>/co-quan/", views.add_body, name="bodies-add-body"),
    path("to-chuc/<int:pk>/chuc-vu/", views.add_post, name="bodies-add-post"),
    path("to-chuc/<int:pk>/nhiem-ky/", views.add_term, name="bodies-add-term"),
    path("to-chuc/<int:pk>/dai-hoi/", views.save_congress, name="bodies-congress"),
    path("to-chuc/<int:pk>/dien-btv/", views.add_managed, name="bodies-add-managed"),
    path("chuc-vu/<int:pk>/thoi/", views.end_post, name="bodies-end-post"),
]
