"""Whether a candidate may be voted on by the cell on a given day: age, education, re-admission, the
awareness-course certificate, the dossier's papers and the introducers. Each failed rule is one
`DomainError` naming the rule and how to put it right; the cell's vote is refused while any is left.

The age rules and the re-admission rules are the member records' (`members.services.profile_problems`,
`readmission_problems`): the same checks the member's profile will pass when the candidate becomes one.
"""

from datetime import date

from django.utils import timezone

from admission import rules
from admission.models import Candidate, Exception_, Introduction
from core.errors import DomainError
from core.text import vn_date
from members.choices import Status
from members.models import MemberPeriod
from members.rules import add_months
from members.services import profile_problems, readmission_problems

# The member profile's fields named in its messages, as the candidate's form calls them.
_FIELDS = {"admitted_on": "on", "birth_date": "birth_date", "citizen_id": "citizen_id",
           "over_age_consent_number": "over_age_consent_number", "over_age_consent_on": "over_age_consent_on"}


def age_problems(c: Candidate, on: date) -> list[DomainError]:
    """18–60 counted in months on `on` (the cell's vote); over 60 only with the provincial consent recorded
    before that day (members.rules MIN/MAX_ADMISSION_AGE_YEARS)."""
    out = []
    for e in profile_problems(c.birth_date, c.gender, c.citizen_id or None, on, None, timezone.localdate(),
                              consent_number=c.over_age_consent_number, consent_on=c.over_age_consent_on):
        message = e.message.replace("Ngày vào Đảng", "Ngày chi bộ xét kết nạp")
        if e.field == "admitted_on":
            message += " (Điều lệ Đảng Điều 1; Quy định thi hành Điều lệ Đảng, mục 1: tuổi tính theo tháng.)"
        out.append(DomainError(message, field=_FIELDS.get(e.field, e.field)))
    return out


def education_problems(c: Candidate) -> list[DomainError]:
    grade = rules.grade_of(c.general_education)
    exception = bool(c.education_exception)
    need = rules.rule("MIN_GRADE_EXCEPTION" if exception else "MIN_GRADE")
    if grade is not None and grade >= need:
        return []
    level = "tốt nghiệp tiểu học" if exception else "tốt nghiệp trung học cơ sở"
    where = (f" (thuộc diện “{Exception_(c.education_exception).label}”)" if exception else
             "; ở miền núi, biên giới, hải đảo, vùng dân tộc thiểu số, vùng đặc biệt khó khăn hoặc với ngư dân "
             "thường xuyên trên biển, tối thiểu là tốt nghiệp tiểu học: khi đúng như vậy hãy chọn diện đó")
    typed = f"“{c.general_education}”" if c.general_education else "chưa ghi"
    return [DomainError(f"Trình độ giáo dục phổ thông {typed}: người vào Đảng phải {level}{where} "
                        "(Hướng dẫn thi hành Điều lệ Đảng, mục 1 về trình độ học vấn). Hãy ghi theo lý lịch, "
                        "ví dụ 9/12 hoặc 12/12.", field="general_education")]


def readmit_problems(c: Candidate, on: date) -> list[DomainError]:
    if c.former_member is None:
        return []
    return readmission_problems(list(c.former_member.events.all()), on, c.readmission_reason)


def _paper(label: str, field: str, issued: date | None, on: date, months: int, source: str) -> list[DomainError]:
    if issued is None:
        return [DomainError(f"Hồ sơ chưa có {label}; hãy ghi ngày của giấy đó.", field=field)]
    if issued > on:
        return [DomainError(f"{label[0].upper()}{label[1:]} ghi ngày {vn_date(issued)}, sau ngày chi bộ xét "
                            f"{vn_date(on)}; hãy kiểm tra lại ngày.", field=field)]
    if months and on > rules.valid_until(issued, months):
        return [DomainError(f"{label[0].upper()}{label[1:]} ngày {vn_date(issued)} chỉ có giá trị {months} tháng, "
                            f"đến hết ngày {vn_date(rules.valid_until(issued, months))} ({source}); hãy bổ sung "
                            "giấy mới trước khi chi bộ xét.", field=field)]
    return []


def dossier_problems(c: Candidate, on: date) -> list[DomainError]:
    """The papers the cell needs on the day of its vote, each still valid (admission.rules)."""
    cert, dossier = rules.rule("CERTIFICATE_VALID_MONTHS"), rules.rule("DOSSIER_VALID_MONTHS")
    cert_src, doc_src = "Hướng dẫn 06-HD/TW 2025, mục 5.4", "hướng dẫn về hồ sơ kết nạp đảng viên"
    out = _paper("giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng", "certificate_on", c.certificate_on, on,
                 cert, cert_src)
    out += _paper("đơn xin vào Đảng", "application_on", c.application_on, on, dossier, doc_src)
    out += _paper("lý lịch người xin vào Đảng", "cv_on", c.cv_on, on, dossier, doc_src)
    out += _paper("tổng hợp nhận xét của đoàn thể", "mass_comment_on", c.mass_comment_on, on, dossier, doc_src)
    out += _paper("nhận xét của chi ủy nơi cư trú", "residence_comment_on", c.residence_comment_on, on, dossier,
                  doc_src)
    out += _paper("kết quả thẩm tra lý lịch", "verified_on", c.verified_on, on, 0, "")
    out += _paper("giấy giới thiệu người vào Đảng", "introduction_on", c.introduction_on, on, dossier, doc_src)
    return out


def _official_on(member, on: date) -> bool:
    return MemberPeriod.objects.filter(member=member, status=Status.OFFICIAL).on(on).exists()


def introducer_problems(c: Candidate, on: date) -> list[DomainError]:
    """Two official members, or the youth union (trade union where there is none) and one official member;
    each introducer official on the day of the vote and having worked with the candidate for at least
    INTRODUCER_KNOWN_MONTHS (Điều lệ Đảng Điều 4)."""
    months = rules.rule("INTRODUCER_KNOWN_MONTHS")
    source = "Điều lệ Đảng Điều 4; Quy định thi hành Điều lệ Đảng, mục 3.2.1"
    slots = [(c.introducer_1, c.introducer_1_since, "introducer_1", "introducer_1_since")]
    if c.introduction == Introduction.TWO_MEMBERS:
        slots.append((c.introducer_2, c.introducer_2_since, "introducer_2", "introducer_2_since"))
    out = []
    for member, since, field, since_field in slots:
        if member is None:
            need = "hai đảng viên chính thức" if c.introduction == Introduction.TWO_MEMBERS else "một đảng viên chính thức"
            out.append(DomainError(f"Cần {need} giới thiệu ({Introduction(c.introduction).label.lower()}); hãy chọn "
                                   "người giới thiệu.", field=field))
            continue
        if not _official_on(member, on):
            out.append(DomainError(f"{member.full_name} không phải đảng viên chính thức vào ngày {vn_date(on)}: người "
                                   f"giới thiệu phải là đảng viên chính thức ({source}). Hãy chọn người khác.",
                                   field=field))
        if since is None:
            out.append(DomainError(f"Hãy ghi từ ngày nào {member.full_name} cùng công tác, học tập hoặc cư trú với "
                                   "người vào Đảng.", field=since_field))
        elif add_months(since, months) > on:
            out.append(DomainError(f"{member.full_name} mới cùng công tác với người vào Đảng từ {vn_date(since)}, chưa đủ "
                                   f"{months} tháng đến ngày {vn_date(on)} ({source}); sớm nhất ngày "
                                   f"{vn_date(add_months(since, months))}, hoặc chọn người giới thiệu khác.",
                                   field=since_field))
    if c.introduction == Introduction.TWO_MEMBERS and c.introducer_1 and c.introducer_1 == c.introducer_2:
        out.append(DomainError("Hai người giới thiệu phải là hai đảng viên khác nhau.", field="introducer_2"))
    return out


def problems(c: Candidate, on: date) -> list[DomainError]:
    """Every rule the cell's vote on `on` needs that fails."""
    return (age_problems(c, on) + education_problems(c) + readmit_problems(c, on) + dossier_problems(c, on)
            + introducer_problems(c, on))
