"""Levels, score bands, the conditions of each level, the disqualifiers and the quota of the annual review.

Sources: rules-2026.md §3 (QĐ 366-QĐ/TW of 30/8/2025 Điều 11, HD 43-HD/BTCTW of 31/10/2025: certain unless
marked), rules.md §3 (the older levels, kept as they were: never mapped to the current ones). Every number is
read through `rule()`, so an administrator overrides it in `RULES_OVERRIDES` ("assessment.QUOTA_PERCENT": 20)
without a release.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models

from orgs.models import Kind

S366 = "QĐ 366-QĐ/TW (30/8/2025) Điều 11; HD 43-HD/BTCTW (31/10/2025)"


class Subject(models.TextChoices):
    MEMBERS = "members", "Đảng viên"
    ORGANIZATIONS = "organizations", "Tổ chức đảng"


class Level(models.TextChoices):
    """The four levels of QĐ 366 Điều 11 (the same four since 132-QĐ/TW 2018), for members and organizations."""

    EXCELLENT = "xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "tot", "Hoàn thành tốt nhiệm vụ"
    DONE = "hoan_thanh", "Hoàn thành nhiệm vụ"
    FAILED = "khong_hoan_thanh", "Không hoàn thành nhiệm vụ"


class LegacyLevel(models.TextChoices):
    """Levels of the earlier texts (HD 27-HD/BTCTW 2014, used until 2017), kept exactly as recorded.

    rules.md §3: "Do not auto-map; keep the raw legacy enum" — a "trong sạch, vững mạnh" is not a "xuất sắc"."""

    CLEAN_STRONG = "tsvm", "Trong sạch, vững mạnh"
    # Written in reports of organizations that were the best among "trong sạch, vững mạnh" (seed 003: "5 năm liền
    # trong sạch, vững mạnh tiêu biểu"); a title of its own there, not a level of the current rules (likely).
    CLEAN_STRONG_MODEL = "tsvm_tieu_bieu", "Trong sạch, vững mạnh tiêu biểu"
    ORG_GOOD = "tc_tot", "Hoàn thành tốt nhiệm vụ (tổ chức, trước 2018)"
    ORG_DONE = "tc_hoan_thanh", "Hoàn thành nhiệm vụ (tổ chức, trước 2018)"
    WEAK = "yeu_kem", "Yếu kém"
    M_EXCELLENT = "dtc_xuat_sac", "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"
    M_GOOD = "dtc_tot", "Đủ tư cách, hoàn thành tốt nhiệm vụ"
    M_DONE = "dtc_hoan_thanh", "Đủ tư cách, hoàn thành nhiệm vụ"
    M_VIOLATED = "vi_pham_tu_cach", "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ"


LEGACY_ORG = {LegacyLevel.CLEAN_STRONG, LegacyLevel.CLEAN_STRONG_MODEL, LegacyLevel.ORG_GOOD, LegacyLevel.ORG_DONE, LegacyLevel.WEAK}
LEGACY_MEMBER = {LegacyLevel.M_EXCELLENT, LegacyLevel.M_GOOD, LegacyLevel.M_DONE, LegacyLevel.M_VIOLATED}
# The four current levels apply from the 2018 reviews (132-QĐ/TW, HD 16-HD/BTCTW 24/9/2018: likely).
CURRENT_LEVELS_FROM_YEAR = 2018

LABELS = {**dict(Level.choices), **dict(LegacyLevel.choices)}
GOOD_OR_BETTER = (Level.EXCELLENT, Level.GOOD)
# Levels 3 and 4 ("mức 03, mức 4" in the reports of seed 004).
LOW = (Level.DONE, Level.FAILED)
LEVEL_NUMBER = {Level.EXCELLENT: 1, Level.GOOD: 2, Level.DONE: 3, Level.FAILED: 4}

# Score bands on the 100-point scale, lower bound inclusive, highest first (QĐ 366 Điều 11: certain for the
# first three; "< 50" for không hoàn thành is likely — the state analogue NĐ 335/2025 uses it).
SCORE_BANDS = [(Level.EXCELLENT, 90), (Level.GOOD, 70), (Level.DONE, 50), (Level.FAILED, 0)]
SCORE_MIN, SCORE_MAX = 0, 100

# Excellent at most QUOTA_PERCENT % of those rated good (HTTNV), within the peer group the deciding level
# chooses — by default the subjects one body decides for, in one year; up to QUOTA_EXCEPTION_PERCENT % where
# that body records an organization's outstanding achievements (QĐ 366 Điều 11, certain). The maximum is
# rounded down: 20 % of 12 = 2.4 -> 2.
QUOTA_PERCENT = 20
QUOTA_EXCEPTION_PERCENT = 25
QUOTA_SOURCE = ("QĐ 366-QĐ/TW Điều 11: số tập thể, cá nhân được xếp loại “Hoàn thành xuất sắc nhiệm vụ” không "
                "vượt quá 20% số được xếp loại “Hoàn thành tốt nhiệm vụ” (tối đa 25% khi cấp có thẩm quyền ghi "
                "nhận thành tích nổi trội)")
# Percentages in results are rounded to this many decimals, by largest remainder so they add up to 100.
PERCENT_DECIMALS = 2

# Streaks shown on the results page: N years running at the excellent level (HD 06-HD/TW §19.2: the superior
# standing committee's certificate and the provincial bằng khen are for 5 years running).
STREAK_YEARS = 5

OVERRIDABLE = {"SCORE_BANDS", "QUOTA_PERCENT", "QUOTA_EXCEPTION_PERCENT", "PERCENT_DECIMALS", "STREAK_YEARS"}


def rule(name: str):
    """The value in force of the rule `name`: the administrator's override, else this module's."""
    if name not in OVERRIDABLE:
        raise KeyError(name)
    return getattr(settings, "RULES_OVERRIDES", {}).get(f"assessment.{name}", globals()[name])


def band_of(score) -> str:
    """The level whose band holds `score` (0–100)."""
    score = Decimal(str(score))
    for level, low in rule("SCORE_BANDS"):
        if score >= low:
            return level
    return Level.FAILED


def band_text(level: str) -> str:
    bands = rule("SCORE_BANDS")
    for i, (lv, low) in enumerate(bands):
        if lv == level:
            high = bands[i - 1][1] if i else None
            if high is None:
                return f"từ {low} điểm trở lên"
            return f"dưới {high} điểm" if low == 0 else f"từ {low} đến dưới {high} điểm"
    return ""


def quota_max(good: int, exception: bool = False) -> int:
    """How many may be rated excellent when `good` are rated good: floor(percent × good / 100)."""
    percent = rule("QUOTA_EXCEPTION_PERCENT" if exception else "QUOTA_PERCENT")
    return (good * percent) // 100


@dataclass(frozen=True)
class Condition:
    code: str
    text: str
    applies: str  # "collective", "leader", "member" or "all"
    source: str = S366
    sure: bool = True


# What each level requires besides its score (QĐ 366 Điều 11): shown beside the decision form, for the
# deciding body to weigh; not computed from the records (the records hold no task lists).
CONDITIONS = {
    Level.EXCELLENT: [
        Condition("tasks_30", "100% nhiệm vụ hoàn thành đúng tiến độ, có chất lượng; ít nhất 30% vượt yêu cầu", "all"),
        Condition("no_discipline", "Không có tổ chức trực thuộc hay thành viên tập thể lãnh đạo bị kỷ luật", "collective"),
        Condition("fixed", "100% hạn chế, khuyết điểm được chỉ ra ở kỳ đánh giá trước đã khắc phục", "all"),
    ],
    Level.GOOD: [Condition("tasks_100", "100% nhiệm vụ hoàn thành đúng tiến độ, có chất lượng, hiệu quả", "all")],
    Level.DONE: [Condition("late_20", "Hoàn thành 100% nhiệm vụ; không quá 20% chậm tiến độ (tập thể)", "all")],
    Level.FAILED: [],
}

# The facts that make the level "không hoàn thành nhiệm vụ" whatever the score (QĐ 366 Điều 11). Self-reporting,
# or early detection and remedy, lets the competent level weigh the case: a decision above "không hoàn thành"
# with a disqualifier recorded needs the mitigation written in its reason.
DISQUALIFIERS = [
    Condition("personnel", "Có kết luận sai phạm trong công tác cán bộ, mất đoàn kết, cục bộ, chạy chức, chạy quyền",
              "collective"),
    Condition("member_disciplined", "Thành viên tập thể bị kỷ luật (khiển trách trở lên) do vi phạm khi thực hiện "
              "chức trách, nhiệm vụ (trừ vi phạm ở đơn vị cũ hoặc không liên quan trách nhiệm hiện tại)", "collective"),
    Condition("degradation", "Bị kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, "
              "“tự chuyển hóa”", "all"),
    Condition("tasks_70", "Đơn vị hoàn thành dưới 70% chỉ tiêu, nhiệm vụ, hoặc không đạt 5 chỉ tiêu kinh tế – xã hội "
              "cơ bản", "leader"),
    Condition("units_half", "Quá 50% đơn vị thuộc phạm vi phụ trách xếp loại không hoàn thành nhiệm vụ", "leader"),
    Condition("confidence", "Quá 50% phiếu tín nhiệm thấp khi lấy phiếu tín nhiệm trong năm", "leader"),
    Condition("disciplined", "Bị kỷ luật (khiển trách trở lên) do vi phạm khi thực hiện chức trách, nhiệm vụ, "
              "công vụ", "member"),
    Condition("corruption", "Để xảy ra tham nhũng, lãng phí, tiêu cực trong phạm vi trực tiếp phụ trách, bị xử lý "
              "kỷ luật", "leader"),
    Condition("forbidden", "Vi phạm những điều đảng viên không được làm, trách nhiệm nêu gương, gây ảnh hưởng xấu",
              "member"),
    Condition("tasks_half", "Quá 50% nhiệm vụ trong năm được đánh giá không hoàn thành", "member"),
]
DISQUALIFIER_CODES = {c.code: c for c in DISQUALIFIERS}

# Which bodies decide (HD 43: the standing committee of the level directly above decides an organization's
# level; members are decided by the grassroots party organization they belong to). A body of these kinds of
# an ancestor decides (the organization itself too, for its members). Simplified: the records cannot tell
# delegation within a committee apart, so any deciding body of an ancestor is accepted.
DECIDING_BODY_KINDS = {"cap_uy", "ban_thuong_vu", "thuong_truc", "chi_uy"}
# A cell under a grassroots committee (chi bộ trực thuộc) does not decide its members' level: its committee does.
NOT_DECIDING_UNIT_KINDS = {Kind.CELL, Kind.GROUP, Kind.SUB_COMMITTEE}

UNSURE_NOTES = [
    "Ngưỡng “dưới 50 điểm” của mức không hoàn thành nhiệm vụ theo tương tự NĐ 335/2025 (chưa thấy nguyên văn).",
    "Nhóm so sánh khi tính tỷ lệ xuất sắc mặc định là các đối tượng cùng một cơ quan quyết định trong năm.",
    "Các mức cũ (trước 2018) được lưu nguyên văn, không quy đổi sang bốn mức hiện hành.",
]
