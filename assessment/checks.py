"""The checks every step of a review shares: score, level against the score, who was in the unit during the
year, which body may decide, and the quota. Each raises a DomainError naming the rule and how to fix it."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from assessment import rules
from assessment.models import QuotaException, Rating, Round
from assessment.rules import Level, Subject
from bodies.models import Body
from core.errors import DomainError
from core.scoping import can
from core.text import vn_date
from members.models import Member, MemberPeriod
from orgs.models import OrgUnit

ACTION = "change"  # writing ratings: the officers who write member records (access.rules)


def allowed(by, unit: OrgUnit, what: str = "ghi kết quả đánh giá, xếp loại") -> None:
    if by is not None and not can(by, ACTION, unit.path):
        raise DomainError(f"Bạn không có quyền {what} của “{unit.name}”.")


def score(value, field: str = "score") -> Decimal | None:
    """A score on the 100-point scale (QĐ 366 Điều 11), or None when not given."""
    if value is None or value == "":
        return None
    try:
        s = Decimal(str(value))
    except InvalidOperation:
        raise DomainError("Điểm phải là một số từ 0 đến 100, ví dụ 85 hoặc 92,5.", field=field) from None
    if not (rules.SCORE_MIN <= s <= rules.SCORE_MAX) or s != s.quantize(Decimal("0.01")):
        raise DomainError(f"Điểm {value} nằm ngoài thang 100 điểm (QĐ 366-QĐ/TW Điều 11): hãy nhập một số từ "
                          f"{rules.SCORE_MIN} đến {rules.SCORE_MAX}, tối đa hai chữ số thập phân.", field=field)
    return s


def level_matches(level: str, value: Decimal | None, reason: str, field: str = "level",
                  disqualifiers=()) -> None:
    """A level outside the band of its score needs the reason written (a disqualifier, a mitigation)."""
    if level not in Level.values:
        raise DomainError("Hãy chọn một trong bốn mức xếp loại.", field=field)
    if disqualifiers and level != Level.FAILED and not reason.strip():
        raise DomainError("Đã ghi căn cứ “không hoàn thành nhiệm vụ” (QĐ 366-QĐ/TW Điều 11) nhưng chọn mức khác: "
                          "hãy ghi lý do cân nhắc (tự phát hiện, khắc phục kịp thời…) hoặc chọn mức không hoàn "
                          "thành nhiệm vụ.", field="reason")
    if value is None:
        return
    band = rules.band_of(value)
    if band != level and not reason.strip() and not (level == Level.FAILED and disqualifiers):
        raise DomainError(f"Mức “{Level(level).label}” không khớp với {value} điểm: theo QĐ 366-QĐ/TW Điều 11, "
                          f"{value} điểm thuộc mức “{Level(band).label}” ({rules.band_text(band)}). Hãy chọn mức "
                          "đó, hoặc ghi lý do xếp mức khác.", field=field)


def disqualifier_codes(codes) -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    unknown = [c for c in codes if c not in rules.DISQUALIFIER_CODES]
    if unknown:
        raise DomainError(f"Căn cứ không có trong QĐ 366-QĐ/TW Điều 11: {', '.join(unknown)}.", field="disqualifiers")
    return codes


def not_future(day: date, what: str, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(f"{what} {vn_date(day)} chưa đến; chỉ ghi việc đã diễn ra.", field=field)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def member_unit(round_: Round, member: Member) -> OrgUnit:
    """The unit of the round's subtree `member` was placed in during the year (their last placement there);
    a member who was in none is refused: they are rated where they were (HD 43 §7.6)."""
    start, end = year_bounds(round_.year)
    period = (MemberPeriod.objects.filter(member=member, unit__path__startswith=round_.unit.path,
                                          valid_from__lte=end)
              .exclude(valid_to__lt=start).select_related("unit").order_by("-valid_from").first())
    if period is None:
        raise DomainError(f"{member.full_name} không sinh hoạt trong “{round_.unit.name}” năm {round_.year} (theo quá "
                          "trình sinh hoạt đảng): chỉ đánh giá đảng viên của tổ chức trong năm đánh giá.",
                          field="member")
    return period.unit


def member_units(round_: Round, member_ids) -> dict[int, OrgUnit]:
    """`member_unit` for many members in one query: {member id: the unit of their last placement in the
    round's subtree during the year}; members placed nowhere there are missing."""
    start, end = year_bounds(round_.year)
    rows = (MemberPeriod.objects.filter(member_id__in=list(member_ids), unit__path__startswith=round_.unit.path,
                                        valid_from__lte=end)
            .exclude(valid_to__lt=start).select_related("unit").order_by("valid_from", "id"))
    return {p.member_id: p.unit for p in rows}  # the latest placement wins


def org_subject(round_: Round, unit: OrgUnit) -> OrgUnit:
    start, end = year_bounds(round_.year)
    if not unit.path.startswith(round_.unit.path):
        raise DomainError(f"“{unit.name}” không thuộc “{round_.unit.name}”.", field="unit")
    if unit.valid_from > end or (unit.valid_to is not None and unit.valid_to < start):
        raise DomainError(f"“{unit.name}” không hoạt động năm {round_.year}: không có gì để xếp loại.", field="unit")
    return unit


def not_twice(round_: Round, member: Member | None, unit: OrgUnit | None) -> None:
    rows = Rating.objects.filter(round=round_)
    rows = rows.filter(member=member) if member is not None else rows.filter(unit=unit)
    if rows.exists():
        who = member.full_name if member is not None else unit.name
        raise DomainError(f"{who} đã có phiếu đánh giá trong đợt “{round_}”: mỗi đối tượng chỉ được đánh giá một "
                          "lần trong một đợt; hãy mở phiếu đã có để sửa.", field="member" if member else "unit")


def may_decide(body: Body, rating: Rating, on: date) -> None:
    """HD 43: the level directly above decides an organization; the grassroots organization decides its
    members. Accepted: a deciding body (committee, standing committee, thường trực, chi ủy) of an ancestor —
    strictly above, for an organization — open on the decision day."""
    subject = rating.subject_unit
    ok = (body.kind in rules.DECIDING_BODY_KINDS and subject.path.startswith(body.unit.path)
          and (rating.member_id or body.unit_id != rating.unit_id)
          and (rating.unit_id or body.unit.kind not in rules.NOT_DECIDING_UNIT_KINDS))
    if not ok:
        whom = "đảng viên" if rating.member_id else "tổ chức đảng"
        raise DomainError(f"“{body.name}” không có thẩm quyền quyết định xếp loại {whom} “{rating.subject_name}” "
                          "(HD 43-HD/BTCTW: cấp ủy cấp trên trực tiếp quyết định xếp loại tổ chức đảng; tổ chức cơ "
                          "sở đảng quyết định xếp loại đảng viên). Hãy chọn cơ quan của cấp có thẩm quyền.",
                          field="body")
    if not body.is_open_on(on):
        raise DomainError(f"“{body.name}” không hoạt động ngày {vn_date(on)}.", field="body")


def quota(body: Body, year: int, subject: str, rating: Rating | None, level: str) -> None:
    """Excellent at most 20 % (25 % with the body's recorded exception) of those rated good, among the subjects
    `body` decides for in `year` (the default peer group). Call with the body row locked."""
    peers = Rating.objects.filter(body=body, round__year=year, round__subject=subject)
    if rating is not None and rating.pk:
        peers = peers.exclude(pk=rating.pk)
    good = peers.filter(decided_level=Level.GOOD).count() + (level == Level.GOOD)
    excellent = peers.filter(decided_level=Level.EXCELLENT).count() + (level == Level.EXCELLENT)
    was_good = rating is not None and rating.decided_level == Level.GOOD
    if level != Level.EXCELLENT and not (was_good and level != Level.GOOD):
        return  # the change adds no excellent and removes no good
    exception = QuotaException.objects.filter(body=body, year=year, subject=subject).exists()
    check_quota(body.name, year, subject, good, excellent, exception)


def check_quota(body_name: str, year: int, subject: str, good: int, excellent: int, exception: bool) -> None:
    most = rules.quota_max(good, exception)
    if excellent > most:
        percent = rules.rule("QUOTA_EXCEPTION_PERCENT" if exception else "QUOTA_PERCENT")
        raw = f"{good * percent / 100:g}".replace(".", ",")
        whom = Subject(subject).label.lower()
        raise DomainError(
            f"Vượt tỷ lệ “Hoàn thành xuất sắc nhiệm vụ”: năm {year}, “{body_name}” xếp loại {good} {whom} "
            f"“Hoàn thành tốt nhiệm vụ”, nên tối đa {percent}% × {good} = {raw} → {most} {whom} xuất sắc; quyết định "
            f"này sẽ thành {excellent}. Căn cứ: {rules.QUOTA_SOURCE}. Hãy chọn mức “Hoàn thành tốt nhiệm vụ”, hoặc "
            "ghi nhận thành tích nổi trội của cơ quan quyết định (tối đa 25%).", field="level")
