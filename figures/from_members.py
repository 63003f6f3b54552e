"""Members as of the period's end (stocks) and the period's changes (flows), for a unit's subtree.

The status totals come from `members.stats.rollup`, the very numbers the tree page and
`GET /api/v1/orgs/{id}?on=` show, so a report never disagrees with the tree. The structure (gender, age,
ethnicity, religion, education, theory, party age) is counted from the members in the subtree on that day:
today the active members under the unit, on a past day the members' periods in the units that stood under
it then (`OrgUnitVersion`, as `members.stats` does), with ages and party ages as of that day.
"""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from core.tree import within_any_q
from figures.indicators import Indicator, register
from members import changes as member_changes
from members.choices import AGE_BANDS, NO_RELIGION, EducationLevel, Gender, LeaveReason, TheoryLevel, years_before
from members.models import MAJORITY_ETHNICITY, Member, MemberPeriod
from members.stats import rollup
from orgs.models import OrgUnitVersion

G = "Đảng viên"
PARTY_AGE_BANDS = [("dưới 10 năm", 0, 9), ("10–19 năm", 10, 19), ("20–29 năm", 20, 29), ("30–39 năm", 30, 39),
                   ("40–49 năm", 40, 49), ("50 năm trở lên", 50, 200)]
# The religions counted apart in the tables officers use (named as the member form writes them); any other
# recorded religion counts as "khác", and NO_RELIGION ("", "Không") as none.
RELIGIONS = ["Phật giáo", "Công giáo", "Tin Lành", "Cao Đài", "Phật giáo Hòa Hảo"]

STOCK = [
    Indicator("dv_tong", "Tổng số đảng viên", G, stock=True),
    Indicator("dv_chinh_thuc", "Đảng viên chính thức", G, stock=True),
    Indicator("dv_du_bi", "Đảng viên dự bị", G, stock=True),
    Indicator("dv_nam", "Đảng viên nam", G, stock=True),
    Indicator("dv_nu", "Đảng viên nữ", G, stock=True),
    Indicator("dv_dan_toc", "Đảng viên người dân tộc thiểu số", G, stock=True),
    Indicator("dv_ton_giao", "Đảng viên có đạo (theo tôn giáo)", G, stock=True),
    *[Indicator(f"dv_ton_giao_{i}", f"Đảng viên theo đạo {name}", G, stock=True) for i, name in enumerate(RELIGIONS)],
    Indicator("dv_ton_giao_khac", "Đảng viên theo tôn giáo khác", G, stock=True),
    *[Indicator(f"dv_tuoi_{i}", f"Đảng viên từ {label} tuổi" if i < len(AGE_BANDS) - 1 else "Đảng viên trên 60 tuổi",
                G, stock=True) for i, (label, _lo, _hi) in enumerate(AGE_BANDS)],
    Indicator("dv_tuoi_duoi_18", "Đảng viên dưới 18 tuổi hoặc chưa rõ tuổi", G, stock=True),
    *[Indicator(f"dv_hv_{v or 'chua_ro'}", f"Trình độ học vấn: {label}", G, stock=True)
      for v, label in EducationLevel.choices],
    *[Indicator(f"dv_llct_{v or 'chua_qua'}", f"Lý luận chính trị: {label}", G, stock=True)
      for v, label in TheoryLevel.choices],
    *[Indicator(f"dv_tuoi_dang_{i}", f"Tuổi đảng {label}", G, stock=True)
      for i, (label, _lo, _hi) in enumerate(PARTY_AGE_BANDS)],
    Indicator("dv_tuoi_dang_chua_ro", "Tuổi đảng chưa rõ (thiếu ngày vào Đảng)", G, stock=True),
]

def member_rows(unit, user, on: date) -> tuple:
    """(rows, prefix): the members in `unit`'s subtree on `on` as `user` may see them (the reach of
    `members.stats.rollup`), and the prefix that leads from a row to the member's fields."""
    if on >= timezone.localdate():
        return Member.objects.active().visible_subtree(user, unit.path), ""
    then = OrgUnitVersion.objects.on(on).filter(unit=unit).values_list("path", flat=True).first()
    if then is None:
        return MemberPeriod.objects.none(), "member__"
    units = OrgUnitVersion.objects.visible_on(user, on).filter(within_any_q(["path"], [then])).values("unit_id")
    return MemberPeriod.objects.on(on).filter(unit_id__in=units), "member__"


def _between(field: str, on: date, lo: int, hi: int) -> Q:
    """Aged (or in the Party) `lo`…`hi` whole years on `on`, by the date in `field`."""
    return Q(**{f"{field}__lte": years_before(on, lo), f"{field}__gt": years_before(on, hi + 1)})


def structure(unit, user, on: date) -> dict[str, int]:
    """Every stock indicator of the subtree on `on`, in one aggregate query (W1: no row reaches Python)."""
    rows, p = member_rows(unit, user, on)
    n = {"n": Count("id"), "dv_nu": Count("id", filter=Q(**{f"{p}gender": Gender.FEMALE})),
         "dv_dan_toc": Count("id", filter=~Q(**{f"{p}ethnicity": MAJORITY_ETHNICITY})),
         "dv_ton_giao": Count("id", filter=~Q(**{f"{p}religion__in": NO_RELIGION}))}
    n.update({f"dv_ton_giao_{i}": Count("id", filter=Q(**{f"{p}religion__iexact": r})) for i, r in enumerate(RELIGIONS)})
    n.update({f"dv_tuoi_{i}": Count("id", filter=_between(f"{p}birth_date", on, lo, hi))
              for i, (_label, lo, hi) in enumerate(AGE_BANDS)})
    n.update({f"dv_hv_{v or 'chua_ro'}": Count("id", filter=Q(**{f"{p}education_level": v}))
              for v, _label in EducationLevel.choices})
    n.update({f"dv_llct_{v or 'chua_qua'}": Count("id", filter=Q(**{f"{p}political_theory": v}))
              for v, _label in TheoryLevel.choices})
    n.update({f"dv_tuoi_dang_{i}": Count("id", filter=_between(f"{p}admitted_on", on, lo, hi))
              for i, (_label, lo, hi) in enumerate(PARTY_AGE_BANDS)})
    c = rows.order_by().aggregate(**n)
    c["dv_nam"] = c["n"] - c["dv_nu"]
    c["dv_ton_giao_khac"] = c["dv_ton_giao"] - sum(c[f"dv_ton_giao_{i}"] for i in range(len(RELIGIONS)))
    c["dv_tuoi_duoi_18"] = c["n"] - sum(c[f"dv_tuoi_{i}"] for i in range(len(AGE_BANDS)))
    c["dv_tuoi_dang_chua_ro"] = c["n"] - sum(c[f"dv_tuoi_dang_{i}"] for i in range(len(PARTY_AGE_BANDS)))
    counts = rollup([unit], user, on).get(unit.pk)
    out = {i.code: c.get(i.code, 0) for i in STOCK}
    out.update(dv_tong=counts.total, dv_chinh_thuc=counts.official, dv_du_bi=counts.probationary)
    return out


def _stock(unit, user, period):
    return structure(unit, user, period.end)


CHANGE = [Indicator(f"bd_{key}", str(label), "Biến động") for key, label, _indent in member_changes.FIGURES]
REASONS = [Indicator(f"bd_ly_do_{value or 'chua_ghi'}", f"Ra khỏi danh sách: {label}", "Biến động")
           for value, label in LeaveReason.choices]


def _changes(unit, user, period):
    ch = member_changes.changes(unit, user, period.start, period.end)
    out = {f"bd_{k}": v for k, v in ch.figures.items()}
    out.update({f"bd_ly_do_{v or 'chua_ghi'}": n for v, _label, n in ch.reason_rows()})
    return out


def register_all() -> None:
    register("members", STOCK, _stock)
    register("changes", CHANGE + REASONS, _changes)

