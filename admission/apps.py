from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "admission"
    verbose_name = "Kết nạp đảng viên"

    def ready(self):
        # The work list's kinds, the member page's section and the demo loader, through core's registries:
        # `members` and `core` never import us.
        from admission import hooks, receivers, worklist  # noqa: F401  (receivers follow the tree's restructurings)
        from core import menu

        worklist.register()
        hooks.register()
        menu.add(menu.Entry("dang-vien", "Kết nạp đảng viên", "admission-list", order=20,
                            current=("admission-detail", "admission-create", "admission-edit")))
