"""Classification (for the year of the period's end), commendations and mobilization models (in the period)."""

from django.db.models import Count, Q

from assessment.models import AwardKind, Commendation, MobilizationModel, ModelStatus
from assessment.results import distribution
from assessment.rules import Level, Subject
from core.tree import subtree_q
from figures.indicators import Indicator, register

G = "Xếp loại"
SUBJECTS = (("dv", Subject.MEMBERS, "đảng viên", "người"), ("tc", Subject.ORGANIZATIONS, "tổ chức đảng", "tổ chức"))

CLASSIFICATION = [
    *[Indicator(f"xl_{p}_tong", f"Tổng số {label} được xếp loại", G, m, stock=True) for p, _s, label, m in SUBJECTS],
    *[Indicator(f"xl_{p}_{lv.value}", f"{label.capitalize()}: {lv.label}", G, m, stock=True)
      for p, _s, label, m in SUBJECTS for lv in Level],
    *[Indicator(f"xl_{p}_{lv.value}_pt", f"{label.capitalize()}: {lv.label} (tỷ lệ)", G, "%", stock=True)
      for p, _s, label, m in SUBJECTS for lv in Level],
]


def _classification(unit, user, period):
    out = {}
    for p, subject, _label, _m in SUBJECTS:
        d = distribution(unit, user, period.end.year, subject)
        out[f"xl_{p}_tong"] = d.total
        rows = {r.level: r for r in d.rows}
        for lv in Level:
            r = rows.get(lv.value)
            out[f"xl_{p}_{lv.value}"] = r.count if r else 0
            out[f"xl_{p}_{lv.value}_pt"] = float(r.percent) if r and d.total else None
    return out


K = "Khen thưởng"
AWARDS = [
    Indicator("kt_khen_thuong", "Số khen thưởng (tập thể và cá nhân)", K, "lượt"),
    Indicator("kt_khen_thuong_tap_the", "Khen thưởng tập thể", K, "lượt"),
    Indicator("kt_khen_thuong_ca_nhan", "Khen thưởng cá nhân", K, "lượt"),
    *[Indicator(f"kt_khen_thuong_{k.value}", k.label, K, "lượt") for k in AwardKind],
    Indicator("mh_dang_ky", "Mô hình dân vận khéo đăng ký", K, "mô hình"),
    Indicator("mh_cong_nhan", "Mô hình dân vận khéo được công nhận", K, "mô hình"),
]


def _awards(unit, user, period):
    within = (period.start, period.end)
    c = (Commendation.objects.visible_to(user).filter(subtree_q("subject_unit__path", unit.path), decided_on__range=within)
         .aggregate(n=Count("id"), collective=Count("id", filter=Q(recipient_unit__isnull=False)),
                    **{k.value: Count("id", filter=Q(kind=k.value)) for k in AwardKind}))
    models = MobilizationModel.objects.visible_to(user).filter(subtree_q("unit__path", unit.path))
    out = {"kt_khen_thuong": c["n"], "kt_khen_thuong_tap_the": c["collective"],
           "kt_khen_thuong_ca_nhan": c["n"] - c["collective"],
           "mh_dang_ky": models.filter(registered_on__range=within).count(),
           "mh_cong_nhan": models.filter(status=ModelStatus.RECOGNIZED, recognized_on__range=within).count()}
    out.update({f"kt_khen_thuong_{k.value}": c[k.value] for k in AwardKind})
    return out


def register_all() -> None:
    register("classification", CLASSIFICATION, _classification)
    register("awards", AWARDS, _awards)
