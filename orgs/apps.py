from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = "Tổ chức đảng"

    def ready(self):
        from core import menu

        menu.add(menu.Entry("to-chuc", "Cây tổ chức", "orgs-tree", order=10,
                            current=("orgs-detail", "orgs-restructure", "orgs-import")))
