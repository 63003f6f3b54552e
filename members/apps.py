from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Đảng viên"

    def ready(self):
        # receivers connect to the orgs restructuring signals.
        from members import receivers, worklist  # noqa: F401

        worklist.register()  # probations ending and recognitions owed, on the work list (core.worklist)
        from core import menu

        menu.add(menu.Entry("dang-vien", "Danh sách đảng viên", "members-list", order=10,
                            current=("members-detail", "members-edit", "members-create", "members-import")))
        menu.add(menu.Entry("dang-vien", "Huy hiệu Đảng", "members-badges", order=40, current=("members-badges-record",)))
        menu.add(menu.Entry("dang-vien", "Biến động đảng viên", "members-changes", order=50,
                            current=("members-changes-list",)))
        menu.add(menu.Entry("he-thong", "Chất lượng dữ liệu", "members-quality", order=10))
