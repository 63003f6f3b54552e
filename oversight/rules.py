"""The rules of inspection, supervision, discipline and petitions, each with its source.

Sources: ../shared/domain/rules.md §4 (discipline: forms, time limits, appeals, lapse) and §5 (kinds of
inspection and supervision); rules-2026.md §1 (Điều lệ 2011 Điều 35–40: who decides what, votes) and §4
(thời hiệu, automatic lapse, QĐ 69-QĐ/TW). Everything a page or a service uses is read through `rule()`, so an
administrator overrides it in settings `RULES_OVERRIDES` ({"oversight.LAPSE_MONTHS": 12, …}) without a release.
What the sources leave unsure is listed in `UNSURE_NOTES` and shown on the pages.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models

SOURCE_CHARTER = "Điều lệ Đảng 2011"
SOURCE_69 = "Quy định 69-QĐ/TW"


class CaseType(models.TextChoices):
    """rules.md §5 “Enumerations to model” (22-QĐ/TW, 296-QĐ/TW), plus the in-depth review (seed 000)."""

    COMPLIANCE = "kt_chap_hanh", "Kiểm tra chấp hành"
    SIGNS = "kt_dau_hieu", "Kiểm tra khi có dấu hiệu vi phạm"
    INSPECTION_WORK = "kt_nhiem_vu_ktgs", "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật đảng"
    FINANCE = "kt_tai_chinh", "Kiểm tra tài chính đảng"
    DENUNCIATION = "gq_to_cao", "Giải quyết tố cáo"
    APPEAL = "gq_khieu_nai", "Giải quyết khiếu nại kỷ luật"
    REGULAR = "gs_thuong_xuyen", "Giám sát thường xuyên"
    THEMATIC = "gs_chuyen_de", "Giám sát chuyên đề"
    REVIEW = "kiem_diem_sau", "Kiểm điểm sâu"


SUPERVISION = {CaseType.REGULAR, CaseType.THEMATIC}
INSPECTION = {CaseType.COMPLIANCE, CaseType.SIGNS, CaseType.INSPECTION_WORK, CaseType.FINANCE,
              CaseType.DENUNCIATION, CaseType.APPEAL}


class Form(models.TextChoices):
    REPRIMAND = "khien_trach", "Khiển trách"
    WARNING = "canh_cao", "Cảnh cáo"
    REMOVAL = "cach_chuc", "Cách chức"
    EXPULSION = "khai_tru", "Khai trừ"
    DISSOLUTION = "giai_tan", "Giải tán"


class SubjectKind(models.TextChoices):
    ORGANIZATION = "to_chuc", "Tổ chức đảng"
    OFFICIAL = "chinh_thuc", "Đảng viên chính thức"
    PROBATIONARY = "du_bi", "Đảng viên dự bị"


class Category(models.TextChoices):
    """What the violation was about: decides the cell's authority and the cases without a time limit."""

    QUALITY = "pham_chat", "Phẩm chất chính trị, tư tưởng, đạo đức, lối sống"
    ACTIVITY = "sinh_hoat", "Sinh hoạt đảng, nhiệm vụ đảng viên"
    FORBIDDEN = "dieu_cam", "Những điều đảng viên không được làm"
    HIGHER_TASK = "nhiem_vu_cap_tren", "Nhiệm vụ do cấp trên giao"
    LEADERSHIP = "lanh_dao", "Lãnh đạo, chỉ đạo, quản lý"
    LAW = "phap_luat", "Vi phạm pháp luật"
    FINANCE = "tai_chinh", "Tài chính đảng"
    INTERNAL_POLITICS = "chinh_tri_noi_bo", "Chính trị nội bộ"
    NATIONAL_INTEREST = "qp_an_dn", "Quốc phòng, an ninh, đối ngoại xâm hại lợi ích quốc gia"
    ILLEGAL_DIPLOMA = "van_bang", "Sử dụng văn bằng, chứng chỉ không hợp pháp"


# Forms by subject: Điều lệ Điều 35; QĐ 69 Điều 7 (rules.md §4, certain). Cách chức only for a member holding
# a post (checked against bodies.Post).
FORMS_BY_SUBJECT = {
    SubjectKind.ORGANIZATION: [Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION],
    SubjectKind.OFFICIAL: [Form.REPRIMAND, Form.WARNING, Form.REMOVAL, Form.EXPULSION],
    SubjectKind.PROBATIONARY: [Form.REPRIMAND, Form.WARNING],
}
FORMS_SOURCE = f"{SOURCE_CHARTER} Điều 35; {SOURCE_69} Điều 7"

# Time limits (thời hiệu) in years by form, counted from the violation (its end, if long-running) to the
# decision; None = no limit. QĐ 69-QĐ/TW Điều 4 (rules-2026.md §4, certain; 264-QĐ/TW 2025 not known to change it).
TIME_LIMIT_YEARS = {Form.REPRIMAND: 5, Form.WARNING: 10, Form.REMOVAL: 10, Form.EXPULSION: None,
                    Form.DISSOLUTION: None}
# Categories with no time limit whatever the form: same article; the diploma case is from 102-QĐ/TW (likely kept).
NO_LIMIT_CATEGORIES = [Category.INTERNAL_POLITICS, Category.NATIONAL_INTEREST, Category.ILLEGAL_DIPLOMA]
TIME_LIMIT_SOURCE = f"{SOURCE_69} Điều 4"

# Automatic lapse 12 months after announcement unless appealed, repeated or followed by a new violation; never
# for khai trừ or giải tán. QĐ 69-QĐ/TW Điều 2 khoản 5 (rules-2026.md §4, certain as quoted).
LAPSE_MONTHS = 12
NO_LAPSE_FORMS = [Form.EXPULSION, Form.DISSOLUTION]
LAPSE_SOURCE = f"{SOURCE_69} Điều 2 khoản 5"

# Appeal within one month of receiving the decision, to the level above; the decision stays in force meanwhile.
# Điều lệ Điều 39.7, 39.9 (certain); 296 Điều 25.1 says 30 days (likely). Counted here as one calendar month.
APPEAL_MONTHS = 1
APPEAL_SOURCE = f"{SOURCE_CHARTER} Điều 39 khoản 7 và 9"
# The appeal must be answered within 3 months (province level and below): Điều 39.8 (certain).
APPEAL_ANSWER_MONTHS = 3

# Votes: more than half of the đảng viên chính thức (or members) of the organization for khiển trách, cảnh cáo,
# cách chức; at least two thirds proposing for khai trừ and giải tán. Điều lệ Điều 38.3; QĐ 69 Điều 15 (certain).
MAJORITY_FORMS = [Form.REPRIMAND, Form.WARNING, Form.REMOVAL]
TWO_THIRDS_FORMS = [Form.EXPULSION, Form.DISSOLUTION]
VOTE_SOURCE = f"{SOURCE_CHARTER} Điều 38 khoản 3; {SOURCE_69} Điều 15"

# State bodies notify the managing party organization within 5 days of disciplining a member (296; rules.md §4).
STATE_NOTICE_DAYS = 5

# Petitions: how long the body has to settle one, in days (not in the sources read: a house default, UNSURE).
PETITION_DAYS = {"khieu_nai": 90, "to_cao": 90, "kien_nghi": 30, "phan_anh": 30}
# Anonymous denunciations are not settled; one with specific, checkable content is kept as a reference for
# inspection (22-QĐ/TW practice; not in the sources read: UNSURE).
ANONYMOUS_SETTLED = False

# Which level a commune's committee is, by date (rules-2026.md §2): before 01/7/2025 a grassroots committee
# (đảng ủy cơ sở); under 294-QĐ/TW (pilot, from 01/7/2025) the level directly above grassroots (certain); 208-QĐ/TW
# (26/7/2026) may make it a grassroots committee again (UNSURE, no official text seen): override to add that row.
COMMUNE_LEVEL_BY_DATE = [("1900-01-01", "co_so"), ("2025-07-01", "tren_co_so")]

OVERRIDABLE = ("FORMS_BY_SUBJECT", "TIME_LIMIT_YEARS", "NO_LIMIT_CATEGORIES", "LAPSE_MONTHS", "NO_LAPSE_FORMS",
               "APPEAL_MONTHS", "APPEAL_ANSWER_MONTHS", "MAJORITY_FORMS", "TWO_THIRDS_FORMS", "STATE_NOTICE_DAYS",
               "PETITION_DAYS", "ANONYMOUS_SETTLED", "COMMUNE_LEVEL_BY_DATE", "AUTHORITY")


def rule(name: str):
    """The value in force of the rule `name`: the administrator's override, else this module's."""
    if name not in OVERRIDABLE:
        raise KeyError(name)
    return getattr(settings, "RULES_OVERRIDES", {}).get(f"oversight.{name}", globals()[name])


# ---- The authority matrix (rules-2026.md §1, "Discipline matrix to implement") ----
# Deciders are levels, not rows of a table: the deciding organization's level (cell, grassroots, above grassroots)
# and the body that decides (the cell's own meeting, the full committee, its standing committee, its inspection
# commission). Subjects relative to the decider: "own_member" (a member of its subtree), "own_committee" (a
# member of its own committee: cấp ủy viên cùng cấp), "lower_committee" (a member of a committee directly
# below), "lower_org" (an organization directly below), "org_two_below" (one level further down).

@dataclass(frozen=True)
class Authority:
    decider: str  # "<level>:<body>", e.g. "chi_bo:hop_chi_bo", "tren_co_so:ubkt"
    subject: str
    forms: tuple
    source: str
    sure: bool = True
    note: str = ""


KT_CC = (Form.REPRIMAND, Form.WARNING)
ALL_MEMBER = (Form.REPRIMAND, Form.WARNING, Form.REMOVAL, Form.EXPULSION)
AUTHORITY = [
    Authority("chi_bo:hop_chi_bo", "own_member", KT_CC, f"{SOURCE_CHARTER} Điều 36 khoản 1",
              note="trừ vi phạm nhiệm vụ do cấp trên giao (đề nghị cấp trên quyết định)"),
    Authority("co_so:cap_uy", "own_member", KT_CC, f"{SOURCE_CHARTER} Điều 36 khoản 2"),
    Authority("co_so:cap_uy", "lower_committee", (Form.REPRIMAND, Form.WARNING, Form.REMOVAL),
              f"{SOURCE_CHARTER} Điều 36 khoản 2",
              note="khiển trách, cảnh cáo như mọi đảng viên; cách chức cấp ủy viên cấp dưới (chi ủy viên, đảng ủy viên bộ phận)"),
    Authority("tren_co_so:cap_uy", "own_member", ALL_MEMBER, f"{SOURCE_CHARTER} Điều 36 khoản 3", sure=False,
              note="cấp ủy huyện trước đây; cấp tương đương sau 2025 là suy luận"),
    Authority("tren_co_so:cap_uy", "own_committee", KT_CC, f"{SOURCE_CHARTER} Điều 36 khoản 3", sure=False),
    Authority("tren_co_so:ban_thuong_vu", "own_member", ALL_MEMBER, f"{SOURCE_CHARTER} Điều 36 khoản 3", sure=False),
    Authority("tren_co_so:ubkt", "own_member", ALL_MEMBER, f"{SOURCE_CHARTER} Điều 36 khoản 4", sure=False,
              note="trừ cấp ủy viên cùng cấp"),
    Authority("tren_co_so:ubkt", "lower_committee", KT_CC, f"{SOURCE_CHARTER} Điều 36 khoản 4", sure=False),
    Authority("tren_co_so:cap_uy", "lower_org", KT_CC, f"{SOURCE_CHARTER} Điều 37 khoản 1"),
    Authority("tren_co_so:ban_thuong_vu", "lower_org", KT_CC, "Quy định 296-QĐ/TW Điều 11", sure=False),
    Authority("co_so:cap_uy", "lower_org", KT_CC, f"{SOURCE_CHARTER} Điều 37 khoản 1"),
    Authority("tren_co_so:cap_uy", "org_two_below", (Form.DISSOLUTION,), f"{SOURCE_CHARTER} Điều 37 khoản 2",
              sure=False, note="cấp ủy cấp trên cách một cấp, theo đề nghị của cấp trên trực tiếp"),
]


def authorities() -> list[Authority]:
    rows = rule("AUTHORITY")
    return [r if isinstance(r, Authority) else Authority(**r) for r in rows]


def commune_level(on: date) -> str:
    level = "co_so"
    for start, value in sorted(rule("COMMUNE_LEVEL_BY_DATE")):
        if date.fromisoformat(start) <= on:
            level = value
    return level


UNSURE_NOTES = [
    "Cấp của đảng ủy xã sau 01/7/2025 (cấp trên trực tiếp cơ sở theo Quy định 294-QĐ/TW; Quy định 208-QĐ/TW năm "
    "2026 có thể đưa về đảng bộ cơ sở) được cấu hình theo ngày; thẩm quyền kỷ luật của cấp ủy, ban thường vụ, ủy ban "
    "kiểm tra cấp xã suy từ Điều lệ (cấp huyện trước đây), chưa đối chiếu văn bản hướng dẫn.",
    "Đảng ủy cơ sở được ủy quyền kết nạp có thể khai trừ (Điều lệ Điều 36): chưa ghi việc ủy quyền, nên khai trừ "
    "phải do cấp trên cơ sở quyết định.",
    "Thời hạn khiếu nại tính một tháng theo lịch (Điều lệ Điều 39.7; Quy định 296 ghi 30 ngày).",
    "Thời hạn giải quyết đơn thư (90 ngày khiếu nại, tố cáo; 30 ngày kiến nghị, phản ánh) và cách xử lý đơn tố cáo "
    "giấu tên là mặc định của phần mềm, chưa đối chiếu văn bản.",
    "Tự động chấm dứt hiệu lực sau 12 tháng (Quy định 69-QĐ/TW Điều 2 khoản 5): chưa rõ Quy định 296 có giữ hay không.",
]
