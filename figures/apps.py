from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "figures"
    verbose_name = "Số liệu thống kê"

    def ready(self):
        from core import menu
        from figures import from_assessment, from_members, from_oversight, from_targets

        for module in (from_members, from_oversight, from_assessment, from_targets):
            module.register_all()

        menu.add(menu.Entry("bao-cao", "Thống kê", "figures-statistics", order=20,
                            current=("figures-statistics-xlsx",)))
        from figures import dashboard

        dashboard.register_menu()  # "Tổng quan"
