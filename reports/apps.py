from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo"

    def ready(self):
        from core import hooks, menu, worklist
        from reports import demo
        from reports.worklist import missing_submissions

        menu.add(menu.Entry("bao-cao", "Báo cáo sơ kết, tổng kết", "reports-list", order=10,
                            current=("reports-new", "reports-detail")))
        menu.add(menu.Entry("bao-cao", "Yêu cầu báo cáo", "reports-requests", order=20,
                            current=("reports-request", "reports-request-new", "reports-submit")))
        worklist.register("bao_cao_chua_nop", "Báo cáo chưa nộp", missing_submissions)
        hooks.add("demo", demo.load)
