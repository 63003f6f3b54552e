from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "Chỉ tiêu nghị quyết, kế hoạch"

    def ready(self):
        # The unit page links here and the demo load runs ours through core.hooks (orgs never imports us);
        # values due at a period's end go on the work list (core.worklist).
        from targets import hooks, worklist

        hooks.register()
        worklist.register()
