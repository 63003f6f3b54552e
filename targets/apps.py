from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "Chỉ tiêu nghị quyết, kế hoạch"

    def ready(self):
        # In the menu beside the documents' register; the unit page links here and the demo load runs ours
        # through core.hooks (orgs never imports us); values due at a period's end go on the work list.
        from core import menu
        from targets import hooks, worklist

        menu.add(menu.Entry("van-ban", "Chỉ tiêu", "targets-index", order=20,
                            current=("targets-unit", "targets-document", "targets-detail")))
        hooks.register()
        worklist.register()
