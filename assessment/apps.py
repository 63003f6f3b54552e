from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Đánh giá, xếp loại chất lượng"

    def ready(self):
        pass
