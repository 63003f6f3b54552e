"""Inspection, supervision and discipline over the period, from `oversight.stats.statistics` (one call)."""

from figures.indicators import Indicator, register
from oversight.rules import Form
from oversight.stats import statistics

G = "Kiểm tra, kỷ luật"
SIDES = (("to_chuc", "organizations", "tổ chức đảng", "tổ chức"), ("dang_vien", "members", "đảng viên", "người"))

INDICATORS = [
    *[Indicator(f"kt_{s}", f"Số {label} được kiểm tra", G, measure) for s, _k, label, measure in SIDES],
    *[Indicator(f"gs_{s}", f"Số {label} được giám sát", G, measure) for s, _k, label, measure in SIDES],
    Indicator("kt_ke_hoach", "Cuộc kiểm tra, giám sát theo chương trình", G, "cuộc"),
    Indicator("kt_ke_hoach_xong", "Cuộc theo chương trình đã kết thúc", G, "cuộc"),
    *[Indicator(f"kl_{s}", f"Số {label} bị kỷ luật", G, measure) for s, _k, label, measure in SIDES],
    *[Indicator(f"kl_{f.value}_{s}", f"Kỷ luật {f.label.lower()} ({label})", G, measure)
      for f in Form for s, _k, label, measure in SIDES],
    Indicator("kn_khieu_nai_kl", "Khiếu nại kỷ luật đã nhận", G, "việc"),
]


def _compute(unit, user, period):
    st = statistics(user, unit, period.start, period.end)
    out = {"kt_ke_hoach": st["programme"]["planned"], "kt_ke_hoach_xong": st["programme"]["done"],
           "kn_khieu_nai_kl": st["appeals"]["total"]}
    for s, key, _label, _m in SIDES:
        out[f"kt_{s}"] = st["inspected"][key]
        out[f"gs_{s}"] = st["supervised"][key]
        out[f"kl_{s}"] = st["disciplined"][key]
        for row in st["discipline_by_form"]:
            out[f"kl_{row['form']}_{s}"] = row[key]
    return out


def register_all() -> None:
    register("oversight", INDICATORS, _compute)
