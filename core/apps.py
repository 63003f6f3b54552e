from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Dùng chung"

    def ready(self):
        from core import menu

        menu.add(menu.Entry("viec", "Việc cần làm", "core-worklist"))
