from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = "Chuyển sinh hoạt đảng"

    def ready(self):
        # The member's page, the members' detail view, the demo load and the work list reach us through
        # core.hooks and core.worklist: `members` never imports `transfers`.
        from transfers import hooks, worklist

        hooks.register()
        worklist.register()
        from core import menu

        menu.add(menu.Entry("dang-vien", "Chuyển sinh hoạt đảng", "transfers-list", order=30,
                            current=("transfers-detail", "transfers-start", "transfers-step")))
