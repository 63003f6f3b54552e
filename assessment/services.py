"""The steps of a review: guard -> atomic change -> audit. Nothing is written when a step is refused.

Steps: a round is opened for a subtree and year; each subject self-assesses (which opens its rating);
the cell (for members) or the collective proposes; the competent body decides under the quota; the round is
published. `record_results` writes a year's decided results at once (the paper results of past years, the
demo), through the same checks.
"""

from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessment import checks, rules
from assessment.models import QuotaException, Rating, Round, Summary
from assessment.rules import LegacyLevel, Level, Subject
from audit.services import record
from bodies.models import Body
from core.errors import DomainError, DomainErrors
from core.text import vn_date
from members.models import Member
from orgs.models import OrgUnit


def _mentions(rating: Rating):
    return [(rating.member, rating.member.org_path)] if rating.member_id else []


def _audit(action: str, rating: Rating, by, before: dict | None = None) -> None:
    record(f"assessment.rating.{action}", actor=by, obj=rating, unit_path=rating.subject_unit.path,
           unit_name=rating.subject_unit.name, before=before, after=rating.snapshot(), mentions=_mentions(rating))


def bump(counts: Counter, year: int, subject: str) -> None:
    """Add `counts` {(unit_id, level): delta} to the summary rows, in one order (no deadlocks): the rows are
    made first (ignored when there), then incremented in place, so two deciders never race on a new row."""
    keys = sorted(k for k, d in counts.items() if d)
    if not keys:
        return
    Summary.objects.bulk_create([Summary(unit_id=u, year=year, subject=subject, level=lv, count=0) for u, lv in keys],
                                ignore_conflicts=True)
    for (unit_id, level) in keys:
        Summary.objects.filter(unit_id=unit_id, year=year, subject=subject, level=level).update(
            count=F("count") + counts[(unit_id, level)])


@transaction.atomic
def create_round(unit: OrgUnit, *, year: int, subject: str, by, title: str = "", self_due: date | None = None,
                 proposal_due: date | None = None, decision_due: date | None = None) -> Round:
    checks.allowed(by, unit, "mở đợt đánh giá, xếp loại")
    if subject not in Subject.values:
        raise DomainError("Hãy chọn đối tượng: đảng viên hoặc tổ chức đảng.", field="subject")
    if year < 1930 or year > timezone.localdate().year:
        raise DomainError(f"Năm {year} không hợp lệ: chỉ đánh giá năm đã qua hoặc năm nay.", field="year")
    dues = [d for d in (self_due, proposal_due, decision_due) if d]
    if dues != sorted(dues):
        raise DomainError("Các hạn phải theo thứ tự: tự đánh giá, rồi đề xuất, rồi quyết định.", field="proposal_due")
    if Round.objects.filter(unit=unit, year=year, subject=subject).exists():
        raise DomainError(f"“{unit.name}” đã có đợt đánh giá {Subject(subject).label.lower()} năm {year}.", field="year")
    round_ = Round.objects.create(unit=unit, year=year, subject=subject, title=title.strip(), self_due=self_due,
                                  proposal_due=proposal_due, decision_due=decision_due)
    record("assessment.round.created", actor=by, obj=round_, unit_path=unit.path, unit_name=unit.name,
           after={"year": year, "subject": subject, "self_due": str(self_due or ""),
                  "proposal_due": str(proposal_due or ""), "decision_due": str(decision_due or "")})
    return round_


def _open(round_: Round) -> None:
    if not round_.is_open:
        raise DomainError(f"Đợt “{round_}” đã công bố kết quả ngày {vn_date(round_.published_on)}: không sửa được.")


def _subject(round_: Round, member: Member | None, unit: OrgUnit | None) -> OrgUnit:
    if round_.subject == Subject.MEMBERS:
        if member is None:
            raise DomainError("Hãy chọn đảng viên.", field="member")
        return checks.member_unit(round_, member)
    if unit is None:
        raise DomainError("Hãy chọn tổ chức đảng.", field="unit")
    return checks.org_subject(round_, unit)


@transaction.atomic
def self_assess(round_: Round, *, by, score, level: str, member: Member | None = None, unit: OrgUnit | None = None,
                text: str = "", reason: str = "", on: date | None = None) -> Rating:
    """The subject's self-assessment (forms 2A/2B/2C for a member, 01 for a collective): opens its rating."""
    # Read afresh and locked: the caller's copy may predate a publication, and one opening per subject at a time.
    round_ = Round.objects.select_for_update(of=("self",)).select_related("unit").get(pk=round_.pk)
    _open(round_)
    subject_unit = _subject(round_, member, unit)
    checks.allowed(by, subject_unit)
    value = checks.score(score)
    checks.level_matches(level, value, reason)
    on = on or timezone.localdate()
    checks.not_future(on, "Ngày tự đánh giá", "on")
    checks.not_twice(round_, member, unit if member is None else None)
    rating = Rating.objects.create(round=round_, member=member if round_.subject == Subject.MEMBERS else None,
                                   unit=unit if round_.subject == Subject.ORGANIZATIONS else None,
                                   subject_unit=subject_unit, self_score=value, self_level=level,
                                   self_text=text.strip(), self_reason=reason.strip(), self_on=on)
    _audit("self_assessed", rating, by)
    return rating


@transaction.atomic
def propose(rating: Rating, *, by, level: str, score=None, note: str = "", reason: str = "",
            on: date | None = None) -> Rating:
    """The cell's (or collective's) proposed level, after reviewing the self-assessment."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related("round", "subject_unit", "member", "unit").get(pk=rating.pk)
    _open(rating.round)
    checks.allowed(by, rating.subject_unit)
    if rating.result:
        raise DomainError("Cấp có thẩm quyền đã quyết định xếp loại: không đề xuất lại được.", field="level")
    value = checks.score(score)
    checks.level_matches(level, value if value is not None else rating.self_score, reason)
    on = on or timezone.localdate()
    checks.not_future(on, "Ngày đề xuất", "on")
    if rating.self_on and on < rating.self_on:
        raise DomainError(f"Ngày đề xuất ({vn_date(on)}) trước ngày tự đánh giá ({vn_date(rating.self_on)}).", field="on")
    before = rating.snapshot()
    rating.proposed_level, rating.proposed_score, rating.proposed_on = level, value, on
    rating.proposal_note, rating.proposal_reason = note.strip(), reason.strip()
    rating.save(update_fields=["proposed_level", "proposed_score", "proposed_on", "proposal_note", "proposal_reason"])
    _audit("proposed", rating, by, before)
    return rating


@transaction.atomic
def decide(rating: Rating, *, by, level: str, body: Body, on: date, score=None, reason: str = "",
           disqualifiers=()) -> Rating:
    """The competent level's decision: checked against the score, the body's competence and the quota, and
    counted in the summary in the same transaction."""
    rating = Rating.objects.select_for_update(of=("self",)).select_related("round", "subject_unit", "member", "unit").get(pk=rating.pk)
    round_ = rating.round
    _open(round_)
    if not rating.proposed_level:
        raise DomainError(f"{rating.subject_name} chưa có đề xuất của chi bộ / tập thể: cấp có thẩm quyền chỉ quyết "
                          "định sau khi có đề xuất (HD 43-HD/BTCTW: tự đánh giá → đề xuất → quyết định).", field="level")
    body = Body.objects.select_for_update(of=("self",)).select_related("unit").get(pk=body.pk)  # the peer group's lock
    checks.allowed(by, body.unit, "quyết định xếp loại")
    checks.may_decide(body, rating, on)
    checks.not_future(on, "Ngày quyết định", "on")
    if rating.proposed_on and on < rating.proposed_on:
        raise DomainError(f"Ngày quyết định ({vn_date(on)}) trước ngày đề xuất ({vn_date(rating.proposed_on)}).",
                          field="on")
    value = checks.score(score)
    known = value if value is not None else rating.proposed_score if rating.proposed_score is not None else rating.self_score
    codes = checks.disqualifier_codes(disqualifiers)
    checks.level_matches(level, known, reason, disqualifiers=codes)
    checks.quota(body, round_.year, round_.subject, rating, level)
    before = rating.snapshot()
    counts = Counter()
    if rating.result:
        counts[(rating.subject_unit_id, rating.result)] -= 1
    counts[(rating.subject_unit_id, level)] += 1
    rating.decided_level, rating.decided_score, rating.body, rating.decided_on = level, value, body, on
    rating.reason, rating.disqualifiers, rating.result = reason.strip(), codes, level
    rating.save(update_fields=["decided_level", "decided_score", "body", "decided_on", "reason", "disqualifiers",
                               "result"])
    bump(counts, round_.year, round_.subject)
    _audit("decided", rating, by, before)
    return rating


@transaction.atomic
def record_exception(body: Body, *, year: int, subject: str, reason: str, by, decision: str = "") -> QuotaException:
    """The deciding body records an organization's outstanding achievements: its quota becomes 25 %."""
    checks.allowed(by, body.unit, "ghi nhận thành tích nổi trội")
    if not reason.strip():
        raise DomainError("Hãy ghi thành tích nổi trội làm căn cứ nâng tỷ lệ lên 25% (QĐ 366-QĐ/TW Điều 11).",
                          field="reason")
    if QuotaException.objects.filter(body=body, year=year, subject=subject).exists():
        raise DomainError(f"“{body.name}” đã ghi nhận thành tích nổi trội năm {year}.", field="year")
    exc = QuotaException.objects.create(body=body, year=year, subject=subject, reason=reason.strip(),
                                        decision=decision.strip())
    record("assessment.quota_exception.created", actor=by, obj=exc, unit_path=body.unit.path, unit_name=body.unit.name,
           after={"body": body.pk, "year": year, "subject": subject, "reason": exc.reason})
    return exc


@transaction.atomic
def publish(round_: Round, *, by, on: date | None = None) -> Round:
    round_ = Round.objects.select_for_update(of=("self",)).select_related("unit").get(pk=round_.pk)
    checks.allowed(by, round_.unit, "công bố kết quả")
    _open(round_)
    on = on or timezone.localdate()
    checks.not_future(on, "Ngày công bố", "on")
    pending = round_.ratings.filter(result="").count()
    if pending:
        raise DomainError(f"Còn {pending} phiếu chưa có quyết định xếp loại: hãy quyết định hết trước khi công bố.")
    round_.published_on = on
    round_.save(update_fields=["published_on"])
    round_.ratings.update(published=True)
    record("assessment.round.published", actor=by, obj=round_, unit_path=round_.unit.path, unit_name=round_.unit.name,
           after={"published_on": on.isoformat()})
    return round_


@transaction.atomic
def record_results(round_: Round, rows: list[dict], *, body: Body | None, decided_on: date, by) -> int:
    """Write a year's decided results at once (paper results of past years): each row is {"member" or "unit",
    "score" (optional), "level"}; a year before 2018 takes the levels of its time (`LegacyLevel`), stored as
    they were. Every row is checked as the steps check it (membership, duplicates, score and level, the
    body, the quota over the whole group); one refused row refuses the file, with each row's message.
    One audit entry, mentioning every member."""
    round_ = Round.objects.select_for_update(of=("self",)).select_related("unit").get(pk=round_.pk)
    checks.allowed(by, round_.unit)
    _open(round_)
    checks.not_future(decided_on, "Ngày quyết định", "decided_on")
    legacy = round_.year < rules.CURRENT_LEVELS_FROM_YEAR
    if body is None and not legacy and any(r.get("level") in Level.values for r in rows):
        raise DomainError("Hãy chọn cơ quan quyết định.", field="body")
    if body is not None:
        body = Body.objects.select_for_update(of=("self",)).select_related("unit").get(pk=body.pk)
    members = round_.subject == Subject.MEMBERS
    taken = set(Rating.objects.filter(round=round_).values_list("member_id" if members else "unit_id", flat=True))
    errors, new, seen = [], [], set()
    placed = checks.member_units(round_, [r["member"].pk for r in rows if r.get("member") is not None]) if members \
        else {}
    for i, row in enumerate(rows, 1):
        subject = row.get("member") if members else row.get("unit")
        try:
            key = subject.pk if subject is not None else None
            if key in taken or key in seen:
                raise DomainError(f"{getattr(subject, 'full_name', getattr(subject, 'name', ''))} đã có kết quả trong "
                                  "đợt này.")
            if members and subject is not None and subject.pk in placed:
                subject_unit = placed[subject.pk]  # read for all rows at once
            else:
                subject_unit = _subject(round_, row.get("member"), row.get("unit"))  # refuses with the reason
            value = checks.score(row.get("score"))
            level, reason = row["level"], row.get("reason", "")
            allowed_legacy = rules.LEGACY_MEMBER if members else rules.LEGACY_ORG
            # A record in an older wording (even after 2018, reports kept writing "trong sạch, vững mạnh") is
            # kept as it was written; a year before 2018 has only those.
            as_legacy = legacy or level in allowed_legacy
            if as_legacy and level not in allowed_legacy:
                raise DomainError(f"Năm {round_.year} dùng các mức của quy định cũ: "
                                  f"{', '.join(LegacyLevel(v).label for v in allowed_legacy)}.", field="level")
            if not as_legacy:
                checks.level_matches(level, value, reason)
            rating = Rating(round=round_, member=row.get("member") if members else None,
                            unit=None if members else row.get("unit"), subject_unit=subject_unit, self_score=value,
                            proposed_score=value, decided_score=value, body=body, decided_on=decided_on,
                            reason=reason, result=level,
                            **({"legacy_level": level} if as_legacy else
                               {"self_level": level, "proposed_level": level, "decided_level": level}))
            if body is not None:
                checks.may_decide(body, rating, decided_on)
        except DomainError as exc:
            errors.append(DomainError(f"Dòng {i}: {exc.message}", field=exc.field))
            continue
        seen.add(key)
        new.append(rating)
    DomainErrors.raise_any(errors)
    if body is not None and any(r.decided_level for r in new):
        peers = Rating.objects.filter(body=body, round__year=round_.year, round__subject=round_.subject)
        good = peers.filter(decided_level=Level.GOOD).count() + sum(r.decided_level == Level.GOOD for r in new)
        excellent = (peers.filter(decided_level=Level.EXCELLENT).count()
                     + sum(r.decided_level == Level.EXCELLENT for r in new))
        exception = QuotaException.objects.filter(body=body, year=round_.year, subject=round_.subject).exists()
        checks.check_quota(body.name, round_.year, round_.subject, good, excellent, exception)
    Rating.objects.bulk_create(new, batch_size=500)
    bump(Counter((r.subject_unit_id, r.result) for r in new), round_.year, round_.subject)
    record("assessment.results.recorded", actor=by, obj=round_, unit_path=round_.unit.path, unit_name=round_.unit.name,
           after={"rows": len(new), "levels": dict(Counter(r.result for r in new)),
                  "body": body.pk if body else None, "decided_on": decided_on.isoformat()},
           mentions=[(r.member, r.member.org_path) for r in new if r.member is not None])
    return len(new)
