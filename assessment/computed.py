"""The classification's figures as computed values of targets (targets.computed): "≥ 95% of grassroots
organizations rated good or better" is computed, not typed. Registered in `AppConfig.ready()` when the targets
app is installed; the values come from `assessment.figures`, so a target shows what the results page shows."""

from assessment.figures import share_good_or_better
from assessment.rules import Subject


def _share(subject: str, grassroots_only: bool = False):
    def fn(unit, start, end, user):
        from targets.computed import EVERYTHING

        # A review's year is the year of the period's start: one value per year, as the reports give it.
        return share_good_or_better(unit, user or EVERYTHING, start.year, subject, grassroots_only).percent
    return fn


def register() -> None:
    from targets import computed
    from targets.rules import Kind

    computed.register("xep_loai_tccsd_tot", "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", Kind.PERCENT,
                      _share(Subject.ORGANIZATIONS, grassroots_only=True))
    computed.register("xep_loai_to_chuc_tot", "Tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ trở lên", Kind.PERCENT,
                      _share(Subject.ORGANIZATIONS))
    computed.register("xep_loai_dang_vien_tot", "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", Kind.PERCENT,
                      _share(Subject.MEMBERS))
