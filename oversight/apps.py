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
        from core import menu

        # Shown only to those who hold "inspect" (the inspection commission's officers, administrators).
        for order, (label, name, current) in enumerate([
            ("Cuộc kiểm tra, giám sát", "oversight-index", ("oversight-case", "oversight-case-new")),
            ("Kỷ luật", "oversight-discipline-list", ("oversight-discipline", "oversight-discipline-new")),
            ("Đơn thư", "oversight-petitions", ("oversight-petition", "oversight-petition-new")),
            ("Chương trình kiểm tra, giám sát", "oversight-programmes", ("oversight-programme",)),
            ("Thông báo của cơ quan nhà nước", "oversight-notices", ()),
            ("Thống kê kiểm tra, kỷ luật", "oversight-stats", ()),
        ]):
            menu.add(menu.Entry("kiem-tra", label, name, order=order * 10, current=current, action="inspect"))
