"""Statutory numbers of transfers of party activity (chuyển sinh hoạt đảng), each with its source.

Sources: ../shared/domain/rules.md §8 and rules-2026.md §2. Read them through `rule()`; an administrator
overrides any of them in settings `RULES_OVERRIDES` ({"transfers.START_WORKING_DAYS": 60, …}) without a
release. What rules.md marks unsure is listed in `UNSURE` and shown on the pages.
"""

from django.conf import settings

# An official transfer (chính thức) must be started within 60 working days of the decision taking effect
# (transfer, retirement, resignation, demobilisation) or of the move of residence. 294-QĐ/TW §6.3.1, in
# force from 01/7/2025 (rules.md §8, certain); kept by 208-QĐ/TW 2026 per a quiz bank (rules-2026.md §2,
# unsure). The text says "must": a later start is refused, naming the rule.
START_WORKING_DAYS = 60
START_RULE = "Quy định 294-QĐ/TW, mục 6.3.1"

# The member presents the introduction letter (giấy giới thiệu) to the receiving chi ủy within 30 working
# days of being introduced; late, the member or the organisation reports the reasons and the competent
# committee handles it. 294-QĐ/TW §6.3.1 (rules.md §8, certain). A late presentation is therefore
# recorded, with its reasons required, not refused.
PRESENT_WORKING_DAYS = 30
PRESENT_RULE = "Quy định 294-QĐ/TW, mục 6.3.1"

# No rule found on how long the receiving unit may take to accept a presented letter: a house default for
# the work list only (nothing is refused by it). UNSURE.
ACCEPT_WORKING_DAYS = 10

# A temporary transfer (tạm thời): a change of residence or workplace for 3 months to under 1 year;
# full-time study in Viet Nam for 3 months to 2 years. 29-QĐ/TW and HD 01-HD/TW 2016 (certain), likely kept
# by 294-QĐ/TW (rules.md §8, "likely kept"): UNSURE for the current text.
TEMPORARY_MIN_MONTHS = 3
TEMPORARY_MAX_MONTHS = 12  # exclusive: "dưới 1 năm"
TEMPORARY_STUDY_MAX_MONTHS = 24  # inclusive: "đến 2 năm"
TEMPORARY_RULE = "Quy định 29-QĐ/TW, Hướng dẫn 01-HD/TW (chuyển sinh hoạt đảng tạm thời)"

# A temporarily transferred member is not counted in the receiving organisation's đảng số: the home chi bộ
# keeps them (rules.md §8, certain for 29-QĐ/TW). This is how the members are recorded (TEMP_OUT keeps the
# member's unit), not a number to override.

OVERRIDABLE = ("START_WORKING_DAYS", "PRESENT_WORKING_DAYS", "ACCEPT_WORKING_DAYS", "TEMPORARY_MIN_MONTHS",
               "TEMPORARY_MAX_MONTHS", "TEMPORARY_STUDY_MAX_MONTHS")

# Shown on the pages: what rules.md does not state for certain.
UNSURE = [
    "Thời hạn 60 ngày làm việc để làm thủ tục chuyển sinh hoạt chính thức: Quy định 294-QĐ/TW (chắc chắn); "
    "Quy định 208-QĐ/TW năm 2026 được cho là giữ nguyên (chưa thấy văn bản chính thức).",
    "Thời hạn chuyển sinh hoạt tạm thời (3 tháng đến dưới 1 năm; đi học: đến 2 năm) theo Quy định 29-QĐ/TW, "
    "Hướng dẫn 01-HD/TW; chưa đối chiếu văn bản hiện hành.",
    "Thời hạn tiếp nhận (10 ngày làm việc sau khi nộp giấy giới thiệu) chỉ là mặc định của phần mềm để nhắc "
    "việc, không có căn cứ trong quy định.",
]


def rule(name: str):
    """The value in force of the rule `name`: the administrator's override, else this module's."""
    if name not in OVERRIDABLE:
        raise KeyError(name)
    return getattr(settings, "RULES_OVERRIDES", {}).get(f"transfers.{name}", globals()[name])
