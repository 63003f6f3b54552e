from django.urls import path

from transfers import views

urlpatterns = [
    path("", views.index, name="transfers-list"),
    path("dang-vien/<int:member_id>/", views.start, name="transfers-start"),
    path("<int:pk>/", views.detail, name="transfers-detail"),
    path("<int:pk>/<str:step>/", views.step, name="transfers-step"),
    path("<int:pk>/giay-gioi-thieu.docx", views.letter_file, name="transfers-letter"),
]
