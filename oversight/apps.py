from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Kiểm tra, giám sát, kỷ luật, đơn thư"

    def ready(self):
        # The member page, the unit page and the demo load show what is ours through core.hooks; the work list
        # reads our items through core.worklist: no lower app imports us.
        from oversight import hooks, worklist

        hooks.register()
        worklist.register()
