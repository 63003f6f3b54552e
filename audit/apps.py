from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Nhật ký thay đổi"

    def ready(self):
        from core import menu

        menu.add(menu.Entry("he-thong", "Nhật ký thay đổi", "audit-list", order=20, action="audit"))
