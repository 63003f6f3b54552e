from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Đảng viên"

    def ready(self):
        from members import receivers  # noqa: F401  (connects to the orgs restructuring signals)
