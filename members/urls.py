from django.urls import path

from members.views import badges, changes, imports, lists, quality, records

urlpatterns = [
    path("", lists.member_list, name="members-list"),
    path("xuat.xlsx", lists.export_list_xlsx, name="members-export-xlsx"),
    path("xuat.docx", lists.export_list_docx, name="members-export-docx"),
    path("them/", records.create, name="members-create"),
    path("<int:pk>/", records.detail, name="members-detail"),
    path("<int:pk>/sua/", records.edit, name="members-edit"),
    path("<int:pk>/su-kien/", records.add_event, name="members-event"),
    path("<int:pk>/anh/", records.photo, name="members-photo"),
    path("chat-luong-du-lieu/", quality.report, name="members-quality"),
    path("chat-luong-du-lieu/xuat.xlsx", quality.export_problems, name="members-quality-export"),
    path("huy-hieu/", badges.due_list, name="members-badges"),
    path("huy-hieu/xuat.docx", badges.export_docx, name="members-badges-docx"),
    path("huy-hieu/xuat.xlsx", badges.export_xlsx, name="members-badges-xlsx"),
    path("huy-hieu/ghi/", badges.record, name="members-badges-record"),
    path("bien-dong/", changes.page, name="members-changes"),
    path("bien-dong/danh-sach/", changes.members_behind, name="members-changes-list"),
    path("bien-dong/xuat.xlsx", changes.export_xlsx, name="members-changes-xlsx"),
    path("nhap/", imports.start, name="members-import"),
    path("nhap/mau.xlsx", imports.template, name="members-import-template"),
    path("nhap/<int:pk>/", imports.job_page, name="members-import-job"),
    path("nhap/<int:pk>/loi.xlsx", imports.error_report, name="members-import-errors"),
]
