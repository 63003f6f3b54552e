from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "bodies"
    verbose_name = "Cơ quan, nhiệm kỳ, đại hội"

    def ready(self):
        # The member and unit pages, the data-quality page and the demo load show what is ours
        # through core.hooks: `members` and `orgs` never import `bodies`.
        from bodies import hooks, receivers  # noqa: F401  (receivers connect to the orgs restructuring signals)

        hooks.register()
        from bodies import worklist

        worklist.register()  # congresses planned and terms run out, on the work list (core.worklist)
        from core import menu

        menu.add(menu.Entry("to-chuc", "Cơ quan, đại hội", "bodies-index", order=20, current=("bodies-unit",)))
