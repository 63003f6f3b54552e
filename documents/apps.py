from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Văn bản của Đảng"

    def ready(self):
        from core import hooks, menu
        from documents import demo, worklist

        menu.add(menu.Entry("van-ban", "Sổ văn bản", "documents-list", order=10,
                            current=("documents-detail", "documents-create")))
        worklist.register()  # reviews (sơ kết, tổng kết) of resolutions due, on the work list
        hooks.add("demo", demo.demo)
