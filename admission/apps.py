from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "admission"
    verbose_name = "Kết nạp đảng viên"

    def ready(self):
        # The work list's kinds, the member page's section and the demo loader, through core's registries:
        # `members` and `core` never import us.
        from admission import hooks, worklist

        worklist.register()
        hooks.register()
