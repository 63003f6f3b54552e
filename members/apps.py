from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Đảng viên"

    def ready(self):
        # receivers connect to the orgs restructuring signals.
        from members import receivers, worklist  # noqa: F401

        worklist.register()  # probations ending and recognitions owed, on the work list (core.worklist)
