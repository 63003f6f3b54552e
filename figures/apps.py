from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "figures"
    verbose_name = "Số liệu thống kê"

    def ready(self):
        from figures import dashboard

        dashboard.register_menu()
