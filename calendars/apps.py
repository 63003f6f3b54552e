from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = "Lịch ngày làm việc"

    def ready(self):
        from calendars import receivers  # noqa: F401  (a saved or deleted exception empties the year's cache)
        from core import menu

        menu.add(menu.Entry("he-thong", "Lịch ngày làm việc", "calendars-year", order=30))
