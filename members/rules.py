"""Statutory numbers and checks for member records, each with the regulation that sets it.

Sources are in ../shared/domain/rules.md (§1 admission, §2 party age and badges) and
rules-2026.md. Where rules.md marks a value unsure, the page that uses it says so.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

# Admission age: at least 18 years, counted in months, when the chi bộ considers admission.
# Điều lệ Đảng 2011 Điều 1; 232-QĐ/TW §1 (certain).
MIN_ADMISSION_AGE_YEARS = 18
# Over 60 (counted in months) only with the written consent of the BTV of the cấp ủy trực thuộc Trung ương,
# i.e. the provincial committee, given before the decision: 232-QĐ/TW §1 and HD 01-HD/TW 2016 (certain),
# 294-QĐ/TW Điều 1 §1.1 (likely the same; rules.md §1, rules-2026.md §2). The record keeps its number and date.
MAX_ADMISSION_AGE_YEARS = 60

# Probation lasts 12 months from the admission ceremony (Điều lệ Đảng Điều 5; certain). The record holds the
# date of the admission decision, not of the ceremony, which follows it by at most 30 working days (232-QĐ/TW
# §4.1): counted from the decision, the check refuses a recognition that is surely early and may let one
# that is up to those 30 working days early through. Recognition takes effect the day the 12 months end
# even if decided later (29-QĐ/TW, kept by 208-QĐ/TW; rules.md §1, rules-2026.md §2).
PROBATION_MONTHS = 12

# The chi bộ considers recognition within 30 working days after the 12 months of probation end; late, the
# member is still official from the day they ended. 29-QĐ/TW (certain), likely kept by 232-QĐ/TW and
# 294-QĐ/TW (rules.md §1, "Probation and recognition"). The work list counts it with calendars.workdays.
RECOGNITION_CONSIDER_WORKING_DAYS = 30

# Re-admission: at least 36 months after leaving; only once. 232-QĐ/TW §3.5 (certain).
READMISSION_WAIT_MONTHS = 36
# Leaving for one of these reasons bars re-admission for good; leaving at one's own request (xin ra khỏi Đảng)
# bars it unless the reason was an extremely difficult family situation. 232-QĐ/TW §3.5 (certain; rules.md §1,
# "Re-admission"). Values of members.choices.LeaveReason.
NEVER_READMIT = {"tu_y_bo_sinh_hoat", "gay_mat_doan_ket", "tham_nhung", "toi_nghiem_trong"}
RESIGNATION_READMIT = {"hoan_canh_gia_dinh"}

# Xóa tên and khai trừ are decisions of the competent committee (the chi bộ proposes, the committee decides:
# Điều lệ Đảng Điều 8; rules.md §1 "xóa tên … decided by the competent committee" and §4, certain), so
# recording one on the page or the API needs the decision's number. Ra khỏi Đảng (at one's own request) is
# also decided by the committee as far as we know, but rules.md does not say so: not required (unsure).
# Values of members.choices.EventKind.
EXIT_DECISION_REQUIRED = {"xoa_ten", "khai_tru"}

# Names of the numbers above that an administrator may override without a release, in settings
# RULES_OVERRIDES {"members.PROBATION_MONTHS": 12, …} (env RULES_OVERRIDES as JSON): the regulations
# changed three times in 2025–2026. Code reads them through `rule()`, never the constant directly.
OVERRIDABLE = ("MIN_ADMISSION_AGE_YEARS", "MAX_ADMISSION_AGE_YEARS", "PROBATION_MONTHS", "READMISSION_WAIT_MONTHS",
               "NEVER_READMIT", "RESIGNATION_READMIT", "BADGE_MILESTONES", "DUES_EXEMPT_PARTY_AGE_YEARS",
               "BADGE_AWARD_DAYS", "BADGE_EARLY_ILLNESS_MONTHS", "BADGE_EARLY_ILLNESS_LONG_MONTHS",
               "BADGE_EARLY_ILLNESS_LONG_FROM", "BADGE_EARLY_POSTHUMOUS_MONTHS",
               "RECOGNITION_CONSIDER_WORKING_DAYS", "EXIT_DECISION_REQUIRED")


def rule(name: str):
    """The value in force of the rule `name`: the administrator's override, else this module's."""
    if name not in OVERRIDABLE:
        raise KeyError(name)
    return getattr(settings, "RULES_OVERRIDES", {}).get(f"members.{name}", globals()[name])

# Party badge milestones in years of party age. HD 01-HD/TW 2021 §18 (certain; 06-HD/TW 2025 not seen).
BADGE_MILESTONES = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]

# Badges are awarded on the anniversaries 3/2, 19/5, 2/9 and 7/11, as (day, month); other occasions and
# special cases are the provincial standing committee's to decide, outside this list. HD 01-HD/TW 2021 §18
# on trao tặng Huy hiệu Đảng (certain; rules.md §2).
BADGE_AWARD_DAYS = [(3, 2), (19, 5), (2, 9), (7, 11)]
# Early award, same source (certain): a seriously ill member up to 12 months before the milestone for 30–65
# years, up to 24 months from 70 years on; a deceased member (truy tặng) up to 12 months.
BADGE_EARLY_ILLNESS_MONTHS = 12
BADGE_EARLY_ILLNESS_LONG_MONTHS = 24
BADGE_EARLY_ILLNESS_LONG_FROM = 70
BADGE_EARLY_POSTHUMOUS_MONTHS = 12
BADGE_RULE = "Hướng dẫn 01-HD/TW năm 2021 về Huy hiệu Đảng"

# Dues exemption from 50 years of party age. QĐ 01-QĐ/TW 03/02/2026 (certain).
DUES_EXEMPT_PARTY_AGE_YEARS = 50

# Citizen ID (căn cước công dân): 12 digits; the first 3 are the province code of birth registration,
# the 4th encodes century and gender (0/1: 20th century male/female, 2/3: 21st, 4/5: 22nd …).
# Thông tư 59/2021/TT-BCA Điều 7 (format; likely).
CCCD_RE = re.compile(r"^\d{12}$")
CCCD_PROVINCE_CODES = {
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
    "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
    "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
}


def check_cccd(value: str, birth_date: date | None = None, female: bool | None = None) -> str | None:
    """None if `value` is a plausible CCCD, else a Vietnamese message saying what is wrong."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        return "Số CCCD chỉ gồm chữ số (12 chữ số), không có chữ cái, dấu cách hay dấu chấm."
    if not CCCD_RE.match(value):
        return f"Số CCCD phải có đúng 12 chữ số (đang có {len(value)})."
    if value[:3] not in CCCD_PROVINCE_CODES:
        return f"Ba chữ số đầu của CCCD ({value[:3]}) không phải mã tỉnh nơi đăng ký khai sinh."
    if birth_date is not None:
        century_digit = int(value[3])
        century = 1900 + 100 * (century_digit // 2)
        if not century <= birth_date.year < century + 100:
            return "Chữ số thứ 4 của CCCD (thế kỷ sinh) không khớp với năm sinh."
        if value[4:6] != f"{birth_date.year % 100:02d}":
            return "Chữ số thứ 5–6 của CCCD phải là hai số cuối của năm sinh."
        if female is not None and bool(century_digit % 2) != female:
            return "Chữ số thứ 4 của CCCD (giới tính) không khớp với giới tính đã khai."
    return None


def age_in_months(birth: date, on: date) -> int:
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - (1 if on.day < birth.day else 0)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it has no such day: 31/01 + 1 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _month_days(year, month)))


def _month_days(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


def end_of_probation(admitted_on: date) -> date:
    """The first day a member admitted on `admitted_on` may be official: the probation months after it."""
    return add_months(admitted_on, rule("PROBATION_MONTHS"))


def over_admission_age(birth: date, admitted_on: date) -> bool:
    """Past the admission age limit on the day of admission, counted in months: "đủ 60 tuổi" is 720 months;
    a month more is over it."""
    return age_in_months(birth, admitted_on) > 12 * rule("MAX_ADMISSION_AGE_YEARS")


@dataclass(frozen=True)
class PartyAge:
    """Party age as years and months; `total_months` for sorting and filters."""

    total_months: int

    @property
    def years(self) -> int:
        return self.total_months // 12

    @property
    def months(self) -> int:
        return self.total_months % 12

    def __str__(self) -> str:
        if self.total_months <= 0:
            return "chưa có"
        if self.months == 0:
            return f"{self.years} năm"
        return f"{self.years} năm {self.months} tháng" if self.years else f"{self.months} tháng"


def _span(start: date, end: date) -> tuple[int, int]:
    """Whole months and leftover days from start to end (end exclusive)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    anchor_month = start.month - 1 + months
    anchor_year = start.year + anchor_month // 12
    anchor_month = anchor_month % 12 + 1
    day = min(start.day, _month_days(anchor_year, anchor_month))
    return months, (end - date(anchor_year, anchor_month, day)).days


def party_age(intervals: list[tuple[date, date | None]], on: date) -> PartyAge:
    """Party age on `on` from the intervals inside the Party, per rules §2.

    Counts from the first admission decision, minus the time outside the Party (struck off,
    expelled, lost contact, transfer gaps): the sum of the active intervals [start, end) up to
    `on`. Each interval contributes whole months; with two or more intervals their leftover days
    are added up and every 30 of them make a month (29-QĐ/TW §4.5, 24-QĐ/TW §4.5.1; certain on what counts, the day-carry is
    our convention and configurable).
    """
    months = days = pieces = 0
    for start, end in intervals:
        stop = min(end or on, on)
        if stop <= start:
            continue
        m, d = _span(start, stop)
        months += m
        days += d
        pieces += 1
    # One unbroken membership is its whole months: carrying its 30 leftover days in a 31-day month
    # would reach a milestone the day before its anniversary.
    return PartyAge(months + (days // 30 if pieces > 1 else 0))


def duration_text(months: int, days: int = 0) -> str:
    """"4 năm 1 tháng 11 ngày": the parts that are not zero."""
    parts = [(months // 12, "năm"), (months % 12, "tháng"), (days, "ngày")]
    return " ".join(f"{n} {unit}" for n, unit in parts if n) or "0 ngày"


def badge_day(intervals: list[tuple[date, date | None]], on: date, years: int) -> date | None:
    """The first day party age reaches `years`, if the membership runs on from `on` without a break;
    None when it does not run (the last interval is closed).

    Found by bisection over `party_age` itself, so the day-carry convention is applied exactly as on
    the profile: the remainder is `_span(on, that day)`, never a rounded difference of months."""
    if not intervals or intervals[-1][1] is not None:
        return None
    target = years * 12
    low = on
    high = max(on, intervals[-1][0]) + timedelta(days=years * 366 + 31)  # the open interval alone suffices
    if party_age(intervals, low).total_months >= target:
        return on
    while high - low > timedelta(days=1):  # invariant: below the target on `low`, reached on `high`
        middle = low + timedelta(days=(high - low).days // 2)
        if party_age(intervals, middle).total_months >= target:
            high = middle
        else:
            low = middle
    return high


def remaining(on: date, until: date) -> str:
    """The time from `on` to `until` in whole years, months and leftover days."""
    return duration_text(*_span(on, until))


def probation_overdue(started: date | None, on: date) -> bool:
    """The probation that began on `started` has ended by `on` (the same day as the recognition rule:
    `end_of_probation`), so a member still dự bị is owed the cell's recognition vote."""
    return started is not None and on >= end_of_probation(started)


def next_badge(age: PartyAge) -> int | None:
    """The next badge milestone (years) not yet reached."""
    for years in rule("BADGE_MILESTONES"):
        if age.total_months < years * 12:
            return years
    return None

def award_days() -> list[tuple[int, int]]:
    """The award days in force, (day, month) in calendar order (an override may come as JSON lists)."""
    return sorted((tuple(d) for d in rule("BADGE_AWARD_DAYS")), key=lambda d: (d[1], d[0]))


def award_days_text() -> str:
    days = [f"{d:02d}/{m:02d}" for d, m in award_days()]
    return ", ".join(days[:-1]) + " và " + days[-1] if len(days) > 1 else days[0]


def check_award_date(day: date) -> str | None:
    """None if `day` is an award date, else the Vietnamese message naming the rule."""
    if (day.day, day.month) in award_days():
        return None
    return (f"Ngày {day:%d/%m/%Y} không phải ngày trao Huy hiệu Đảng: theo {BADGE_RULE}, huy hiệu được trao vào "
            f"các ngày {award_days_text()} hằng năm. Hãy chọn một trong các ngày đó.")


def next_award_date(on: date) -> date:
    """The first award date on or after `on`."""
    for year in (on.year, on.year + 1):
        for d, m in award_days():
            if date(year, m, d) >= on:
                return date(year, m, d)
    raise ValueError("no award days configured")


def previous_award_date(on: date) -> date:
    """The last award date strictly before `on`."""
    for year in (on.year, on.year - 1):
        for d, m in reversed(award_days()):
            if date(year, m, d) < on:
                return date(year, m, d)
    raise ValueError("no award days configured")


def early_award_months(years: int, posthumous: bool) -> int:
    """How many months before the milestone `years` an early award may be made (rules §2)."""
    if posthumous:
        return rule("BADGE_EARLY_POSTHUMOUS_MONTHS")
    if years >= rule("BADGE_EARLY_ILLNESS_LONG_FROM"):
        return rule("BADGE_EARLY_ILLNESS_LONG_MONTHS")
    return rule("BADGE_EARLY_ILLNESS_MONTHS")

# CCCD collisions one user may meet in a day (an entered CCCD already held by a member of a unit they
# cannot change) before their imports and new records are refused until the next day. Not statutory:
# the duplicate must be refused (one CCCD, one person), but each refusal tells that the person is a
# party member elsewhere, and personal data law (Nghị định 13/2023/NĐ-CP; Luật Bảo vệ dữ liệu cá nhân
# 2025) forbids that kind of disclosure. A commune officer meets a handful in honest work (someone who
# moved in without a transfer, a typo); dozens a day is a lookup, which the level above should settle.
CCCD_COLLISIONS_PER_DAY = 20
