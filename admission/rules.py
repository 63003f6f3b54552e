"""Statutory numbers of admission, probation and recognition, each with the regulation that sets it.

Sources: ../shared/domain/rules.md §1 and rules-2026.md §2. Confidence as those files mark it; what is
unsure is listed in UNSURE_NOTES and shown on the pages. Every number is read through `rule()`, so an
administrator overrides it in settings `RULES_OVERRIDES` ({"admission.DECISION_WORKING_DAYS": 60, …})
without a release: the regulations changed three times in 2025–2026.

The ages (18–60 counted in months, the provincial consent over 60), the probation (12 months) and the
re-admission rules are the member records' own (`members.rules`) and are read from there, not repeated.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from members.rules import add_months
from orgs.models import Kind

# The awareness-course certificate (Giấy chứng nhận bồi dưỡng nhận thức về Đảng, mẫu CN-NTVĐ) is valid 60
# months. HD 06-HD/TW 2025 §5.4 (likely; rules-2026.md §2).
CERTIFICATE_VALID_MONTHS = 60
# The application (đơn), the CV (lý lịch), the introductions and the comments of the mass organizations and of
# the place of residence are valid 12 months. Unit-level restatements (likely; rules.md §1, "Documents"); the
# central text was not seen.
DOSSIER_VALID_MONTHS = 12
# Each introducer is an official member who has worked, studied or lived with the applicant for at least 12
# months in the same unit. Điều lệ Đảng Điều 4 (certain as a paraphrase); 294-QĐ/TW Điều 4 §3.2.1 (likely).
INTRODUCER_KNOWN_MONTHS = 12
# The cell proposes with at least 2/3 of its official members in favour; the grassroots committee with at
# least 2/3 of its members (cấp ủy viên). Điều lệ Đảng Điều 4 §3 (certain, rules-2026.md §2).
VOTE_SHARE = (2, 3)
# After three votes without the 2/3, the matter goes up to the higher committee (rules.md §1, step 3: likely).
MAX_FAILED_VOTES = 3
# The competent committee decides within 60 working days of receiving the proposal, extendable once by at
# most 30. 29-QĐ/TW §4.3.1 (certain), 232-QĐ/TW §4.3.1 (likely unchanged in 294 and 208).
DECISION_WORKING_DAYS = 60
DECISION_EXTENSION_WORKING_DAYS = 30
# The cell holds the ceremony within 30 working days of receiving the decision. 232-QĐ/TW §4.1 (certain).
CEREMONY_WORKING_DAYS = 30
# The competent committee decides recognition within 30 working days of the cell's resolution, extendable by
# 30. 29-QĐ/TW (certain), likely kept (rules.md §1, "Probation and recognition").
RECOGNITION_DECISION_WORKING_DAYS = 30
RECOGNITION_EXTENSION_WORKING_DAYS = 30
# Minimum education: lower secondary (tốt nghiệp THCS); in the listed areas, completed primary school.
# HD 01-HD/TW 2021 (certain), likely the same in HD 06-HD/TW 2025 (rules.md §1, "Education").
MIN_GRADE = 9
MIN_GRADE_EXCEPTION = 5


@dataclass(frozen=True)
class Competent:
    """Who decides admission and recognition from `valid_from`: the standing committee of the nearest
    ancestor of the cell of one of `kinds` (searched upward, the cell itself excluded)."""

    valid_from: date
    description: str
    kinds: tuple[str, ...]
    source: str
    unsure: bool = False


# Who decides (rules.md §1 step 5; rules-2026.md §2). Dated: the newest entry whose day has come applies.
COMPETENT_BODY = [
    Competent(date(2016, 1, 1), "Ban Thường vụ cấp ủy cấp trên trực tiếp của tổ chức cơ sở đảng (huyện ủy)",
              (Kind.DISTRICT, Kind.UNDER_PROVINCE, Kind.PROVINCE), "Quy định 29-QĐ/TW, mục 4.3.2"),
    Competent(date(2025, 7, 1), "Ban Thường vụ Đảng ủy xã/phường (cấp trên trực tiếp của tổ chức cơ sở đảng)",
              (Kind.COMMUNE, Kind.UNDER_PROVINCE), "Quy định 294-QĐ/TW (thí điểm) và Điều lệ Đảng Điều 4.3",
              unsure=True),
    Competent(date(2026, 7, 26), "Ban Thường vụ Đảng ủy cơ sở (đảng ủy xã/phường là đảng bộ cơ sở)",
              (Kind.GRASSROOTS_COMMITTEE, Kind.COMMUNE, Kind.UNDER_PROVINCE), "Quy định 208-QĐ/TW ngày 26/7/2026",
              unsure=True),
]
# The grassroots organization whose committee reviews a cell's proposal: the nearest đảng bộ cơ sở above the
# cell (a commune đảng bộ counts as one: 208-QĐ/TW). A chi bộ cơ sở is itself grassroots: no such step.
GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.COMMUNE)

OVERRIDABLE = ("CERTIFICATE_VALID_MONTHS", "DOSSIER_VALID_MONTHS", "INTRODUCER_KNOWN_MONTHS", "VOTE_SHARE",
               "MAX_FAILED_VOTES", "DECISION_WORKING_DAYS", "DECISION_EXTENSION_WORKING_DAYS",
               "CEREMONY_WORKING_DAYS", "RECOGNITION_DECISION_WORKING_DAYS", "RECOGNITION_EXTENSION_WORKING_DAYS",
               "MIN_GRADE", "MIN_GRADE_EXCEPTION", "COMPETENT_BODY")


def rule(name: str):
    """The value in force of the rule `name`: the administrator's override, else this module's."""
    if name not in OVERRIDABLE:
        raise KeyError(name)
    return getattr(settings, "RULES_OVERRIDES", {}).get(f"admission.{name}", globals()[name])


def competent_on(on: date) -> Competent:
    """The entry of COMPETENT_BODY in force on `on` (an override may give plain dicts/lists)."""
    entries = [e if isinstance(e, Competent) else Competent(date.fromisoformat(str(e[0])), *e[1:])
               for e in rule("COMPETENT_BODY")]
    entries.sort(key=lambda e: e.valid_from)
    now = [e for e in entries if e.valid_from <= on]
    return now[-1] if now else entries[0]


def enough_votes(votes_for: int, eligible: int) -> bool:
    """At least the share VOTE_SHARE of `eligible` in favour (2/3 of 9 is 6; of 10, 7)."""
    num, den = rule("VOTE_SHARE")
    return eligible > 0 and votes_for * den >= eligible * num


def votes_needed(eligible: int) -> int:
    num, den = rule("VOTE_SHARE")
    return -(-eligible * num // den)


def valid_until(issued: date, months: int) -> date:
    """The last day a paper issued on `issued` and valid `months` months is still valid."""
    from datetime import timedelta

    return add_months(issued, months) - timedelta(days=1)


def grade_of(general_education: str) -> int | None:
    """The grade in today's 12-year system from “9/12” (12-year) or “7/10” (the old 10-year system, whose
    lower secondary ended at grade 7 and primary at grade 4); None if unreadable."""
    try:
        done, system = (int(x) for x in (general_education or "").split("/"))
    except ValueError:
        return None
    if system == 12:
        return done
    if system == 10:  # 10-year system: 1–4 primary, 5–7 lower secondary, 8–10 upper secondary
        return done + (0 if done <= 4 else 2)
    return None


VOTE_RULE = "Điều lệ Đảng Điều 4, khoản 3: ít nhất hai phần ba"
UNSURE_NOTES = [
    "Thẩm quyền quyết định kết nạp và công nhận đảng viên chính thức sau khi bỏ cấp huyện (Ban Thường vụ Đảng ủy "
    "xã/phường theo 294-QĐ/TW; Ban Thường vụ đảng ủy cơ sở theo 208-QĐ/TW) là quy định có ngày hiệu lực, cấu hình "
    "được; chưa đối chiếu toàn văn.",
    "Thời hạn giá trị 12 tháng của đơn, lý lịch, giấy giới thiệu, nhận xét lấy theo tài liệu của các đảng bộ, "
    "chưa thấy văn bản trung ương (HD 06-HD/TW 2025); giấy chứng nhận bồi dưỡng 60 tháng: khả năng cao.",
    "Quy tắc “sau ba lần biểu quyết không đủ hai phần ba thì báo cáo cấp trên” lấy từ nguồn thứ cấp.",
    "Trường hợp giới thiệu bằng Ban Chấp hành công đoàn cơ sở và một đảng viên chính thức (nơi không có tổ chức "
    "Đoàn) theo Điều lệ Đảng Điều 4 khoản 1.",
]
