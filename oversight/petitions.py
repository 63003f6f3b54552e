"""Petitions (đơn thư) and the notices of state bodies: guard -> atomic change -> audit, as in services."""

from datetime import date, timedelta

from django.db import transaction

from audit.services import record
from bodies.models import Body
from core.errors import DomainError
from core.text import vn_date
from members.models import Member
from orgs.models import OrgUnit
from oversight.models import Case, Handling, Outcome, Petition, PetitionKind, StateNotice
from oversight.rules import rule
from oversight.services import _allowed, _not_future, subject_snapshot


@transaction.atomic
def receive_petition(body: Body, *, kind: str, received_on: date, content: str, by, member: Member | None = None,
                     subject_unit: OrgUnit | None = None, anonymous: bool = False, sender: str = "") -> Petition:
    unit = body.unit
    _allowed(by, unit)
    subject = member or subject_unit
    if subject is None:
        raise DomainError("Đơn thư phải có đối tượng: chọn đảng viên hoặc tổ chức đảng bị khiếu nại, tố cáo, "
                          "kiến nghị.", field="member")
    if kind not in PetitionKind.values:
        raise DomainError("Hãy chọn loại đơn.", field="kind")
    _not_future(received_on, "Ngày nhận", "received_on")
    if not content.strip():
        raise DomainError("Hãy ghi nội dung đơn.", field="content")
    if not anonymous and not sender.strip():
        raise DomainError("Hãy ghi người gửi đơn, hoặc đánh dấu đơn giấu tên.", field="sender")
    snap = subject_snapshot(subject)
    if anonymous and kind == PetitionKind.DENUNCIATION and not rule("ANONYMOUS_SETTLED"):
        # Anonymous denunciations are not settled; kept for reference to inspection (rules.UNSURE_NOTES).
        handling, due = Handling.REFERENCE, None
    else:
        handling, due = Handling.ACCEPTED, received_on + timedelta(days=rule("PETITION_DAYS")[kind])
    p = Petition.objects.create(kind=kind, anonymous=anonymous, sender="" if anonymous else sender.strip(),
                                received_on=received_on, due_on=due, body=body, unit_path=unit.path, member=member,
                                unit=subject_unit, subject_name=snap["name"], subject_unit_name=snap["unit_name"],
                                subject_path=snap["path"], content=content.strip(), handling=handling)
    record("oversight.petition.received", actor=by, obj=p, unit_path=snap["path"], unit_path_2=unit.path,
           unit_name=snap["unit_name"], after={"kind": kind, "anonymous": anonymous, "subject": snap["name"],
                                               "received_on": received_on.isoformat(), "handling": handling})
    return p


@transaction.atomic
def close_petition(petition: Petition, *, outcome: str, closed_on: date, by, case: Case | None = None,
                   routed_to: str = "") -> Petition:
    _allowed(by, petition.body.unit)
    p = Petition.objects.select_for_update().get(pk=petition.pk)
    if p.closed_on:
        raise DomainError(f"Đơn này đã kết thúc ngày {vn_date(p.closed_on)}.", field="closed_on")
    if outcome not in Outcome.values or not outcome:
        raise DomainError("Hãy chọn kết quả giải quyết.", field="outcome")
    if closed_on < p.received_on:
        raise DomainError("Ngày kết thúc trước ngày nhận đơn.", field="closed_on")
    _not_future(closed_on, "Ngày kết thúc", "closed_on")
    p.outcome, p.closed_on, p.case = outcome, closed_on, case or p.case
    if routed_to.strip():
        p.handling, p.routed_to = Handling.ROUTED, routed_to.strip()
    p.save(update_fields=["outcome", "closed_on", "case", "handling", "routed_to"])
    record("oversight.petition.closed", actor=by, obj=p, unit_path=p.subject_path, unit_path_2=p.unit_path,
           after={"outcome": outcome, "closed_on": closed_on.isoformat(), "case": p.case_id})
    return p


@transaction.atomic
def record_state_notice(member: Member, *, issuer: str, measure: str, decided_on: date, received_on: date, by,
                        note: str = "") -> StateNotice:
    _allowed(by, member.unit)
    if not issuer.strip() or not measure.strip():
        raise DomainError("Hãy ghi cơ quan thông báo và hình thức, biện pháp.", field="issuer")
    _not_future(received_on, "Ngày nhận", "received_on")
    if received_on < decided_on:
        raise DomainError("Ngày nhận thông báo trước ngày quyết định.", field="received_on")
    snap = subject_snapshot(member)
    n = StateNotice.objects.create(member=member, subject_name=snap["name"], subject_unit_name=snap["unit_name"],
                                   subject_path=snap["path"], issuer=issuer.strip(), measure=measure.strip(),
                                   decided_on=decided_on, received_on=received_on, note=note.strip())
    record("oversight.state_notice.received", actor=by, obj=n, unit_path=snap["path"],
           after={"issuer": n.issuer, "measure": n.measure, "decided_on": decided_on.isoformat(),
                  "received_on": received_on.isoformat(), "days_late": n.days_late})
    return n
