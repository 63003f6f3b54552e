from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Đánh giá, xếp loại chất lượng"

    def ready(self):
        from assessment import demo, worklist
        from core import hooks, menu

        menu.add(menu.Entry("danh-gia", "Đánh giá, xếp loại", "assessment-rounds", order=10,
                            current=("assessment-round",)))
        menu.add(menu.Entry("danh-gia", "Kết quả xếp loại", "assessment-results", order=20))
        menu.add(menu.Entry("danh-gia", "Khen thưởng", "assessment-commendations", order=30))
        menu.add(menu.Entry("danh-gia", "Mô hình “Dân vận khéo”", "assessment-models", order=40))
        worklist.register()  # each step of an open round with its deadline
        hooks.add("demo", demo.demo)
        from django.apps import apps

        if apps.is_installed("targets"):  # "≥ 95% good or better" targets computed from the ratings
            from assessment import computed

            computed.register()
