"""Member workflows: create, edit the profile, record a life event, and follow restructurings.

Each public function: guard (rules, visibility) → change inside one transaction → audit entry →
re-check that the writer still sees the member. Status, unit and placements are derived from
the events by `members.history` and written in the same transaction as the event.
"""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Case, DateField, Q, Value, When
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from audit.services import record
from core.errors import DomainError, DomainErrors
from core.scoping import can
from core.text import vn_date
from members import collisions, history, rules, signals, tally
from members.models import EventKind, LeaveReason, Member, MemberEvent, MemberPeriod, Status
from orgs import lifespans
from orgs.models import OrgUnit

PROFILE_FIELDS = [
    "full_name", "birth_name", "alias", "gender", "birth_date", "birthplace", "hometown", "hometown_old",
    "permanent_address", "current_address", "ethnicity", "religion", "citizen_id", "phone", "email",
    "general_education", "professional_qualification", "degree", "academic_title", "political_theory",
    "state_management", "foreign_languages", "occupation", "workplace", "position", "party_card_number",
    "admission_place", "over_age_consent_number", "over_age_consent_on", "party_positions", "managed_by", "notes",
]
# A change writes only the columns whose values differ from the row as it was read: the same row as
# writing every column, without rewriting the index entries of those that did not change. Besides
# what a workflow sets, the columns `Member.fill_derived` recomputes on every save.
DERIVED_FIELDS = ["org_path", "folded_name", "sort_key", "education_level", "birth_md", "citizen_id"]
EVENT_FIELDS = ["status", "unit_id", "is_excused", "recognized_on", "left_party_months", *DERIVED_FIELDS]
EDIT_FIELDS = [*PROFILE_FIELDS, "admitted_on", "recognized_on", *DERIVED_FIELDS]


def snapshot(member: Member, fields=None) -> dict:
    """The values an audit entry keeps: dates as ISO text, the photo as its file's name (a new
    photo is a new file, so replacing or removing it shows as a change)."""
    out = {}
    for name in fields or [*PROFILE_FIELDS, "status", "unit_id", "admitted_on", "recognized_on", "photo"]:
        value = getattr(member, name)
        if isinstance(value, FieldFile):
            value = value.name.rsplit("/", 1)[-1] if value else ""
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def _check_can_change(by, unit: OrgUnit) -> None:
    if by is not None and not can(by, "change", unit.path):
        raise DomainError(f"Bạn không có quyền cập nhật đảng viên của “{unit.name}”.", field="unit")


def _check_open_unit(unit: OrgUnit) -> None:
    if not unit.is_open:
        raise DomainError(f"“{unit.name}” đã kết thúc hoạt động; hãy chọn tổ chức đang hoạt động.", field="unit")


def check_profile(member: Member, had_citizen_id: str | None = None) -> None:
    """Rules on the profile itself; raises DomainError naming the field.

    `had_citizen_id`: the CCCD the stored record already holds. The column is unique, so that one
    cannot belong to anyone else and is not looked up again (an edit of another field costs no query).
    """
    check_profile_values(member.birth_date, member.gender, member.citizen_id, member.admitted_on,
                         member.recognized_on, timezone.localdate(), **consent_of(member))
    if (member.citizen_id and member.citizen_id != had_citizen_id
            and Member.objects.filter(citizen_id=member.citizen_id).exclude(pk=member.pk).exists()):
        raise DomainError(f"Số CCCD {member.citizen_id} đã có trong hồ sơ của một đảng viên khác.", field="citizen_id")


def consent_of(member) -> dict:
    """The provincial consent to an admission over the age limit, as `profile_problems` takes it."""
    number = member.over_age_consent_number
    return {"consent_number": number if isinstance(number, str) else "", "consent_on": member.over_age_consent_on}


def check_profile_values(birth_date: date | None, gender: str, citizen_id: str | None, admitted_on: date | None,
                         recognized_on: date | None, today: date, **consent) -> None:
    """The profile rules that need no database (the national migration checks millions of rows with
    them); every one that fails is raised together (`DomainErrors`)."""
    DomainErrors.raise_any(profile_problems(birth_date, gender, citizen_id, admitted_on, recognized_on, today,
                                            **consent))


def profile_problems(birth_date: date | None, gender: str, citizen_id: str | None, admitted_on: date | None,
                     recognized_on: date | None, today: date, *, consent_number: str = "",
                     consent_on: date | None = None) -> list[DomainError]:
    """Every rule of the profile that fails (the form, the API, the import and the national migration all
    call this). `consent_number`/`consent_on`: the provincial committee's written consent to an
    admission over the age limit; a caller that passes none has an over-age admission refused."""
    problems = []
    if birth_date and birth_date > today:
        problems.append(DomainError("Ngày sinh không được sau ngày hôm nay.", field="birth_date"))
        birth_date = None  # an age counted from it would only repeat the fault
    message = rules.check_cccd(citizen_id or "", birth_date, gender == "nu")
    if message:
        problems.append(DomainError(message, field="citizen_id"))
    if admitted_on:
        if admitted_on > today:
            problems.append(DomainError("Ngày vào Đảng không được sau ngày hôm nay.", field="admitted_on"))
        elif birth_date and rules.age_in_months(birth_date, admitted_on) < 12 * rules.rule("MIN_ADMISSION_AGE_YEARS"):
            problems.append(DomainError(f"Ngày vào Đảng {vn_date(admitted_on)} khi chưa đủ "
                                        f"{rules.rule('MIN_ADMISSION_AGE_YEARS')} tuổi (tính theo tháng).",
                                        field="admitted_on"))
        elif birth_date and rules.over_admission_age(birth_date, admitted_on):
            problems.extend(_consent_problems(birth_date, admitted_on, consent_number, consent_on, today))
    if recognized_on and admitted_on and recognized_on <= admitted_on:
        problems.append(DomainError("Ngày chính thức phải sau ngày vào Đảng.", field="recognized_on"))
    elif recognized_on and admitted_on and recognized_on < rules.end_of_probation(admitted_on):
        problems.append(DomainError(_early_message(recognized_on, admitted_on), field="recognized_on"))
    elif recognized_on and recognized_on > today:
        problems.append(DomainError(
            f"Ngày chính thức {vn_date(recognized_on)} chưa đến: đảng viên chỉ là chính thức từ ngày được công nhận "
            "(Điều lệ Đảng Điều 5). Hãy ghi trạng thái “Dự bị”, để trống ngày chính thức, và ghi sự kiện “Công nhận "
            "đảng viên chính thức” khi đến ngày.", field="recognized_on"))
    return problems


def _early_message(recognized_on: date, admitted_on: date) -> str:
    months = rules.rule("PROBATION_MONTHS")
    return (f"Ngày chính thức {vn_date(recognized_on)} chưa đủ {months} tháng dự bị kể từ ngày vào Đảng "
            f"{vn_date(admitted_on)} (Điều lệ Đảng Điều 5); sớm nhất là ngày "
            f"{vn_date(rules.end_of_probation(admitted_on))}.")


def _consent_problems(birth_date: date, admitted_on: date, number: str, on: date | None,
                      today: date) -> list[DomainError]:
    limit = rules.rule("MAX_ADMISSION_AGE_YEARS")
    why = (f"Người vào Đảng ngày {vn_date(admitted_on)} đã quá {limit} tuổi (tính theo tháng): phải có văn bản đồng ý "
           "của Ban Thường vụ Tỉnh ủy/Thành ủy (cấp ủy trực thuộc Trung ương) trước khi quyết định kết nạp "
           "(Quy định thi hành Điều lệ Đảng, mục 1).")
    problems = []
    if not (number or "").strip():
        problems.append(DomainError(f"{why} Hãy ghi số văn bản đồng ý.", field="over_age_consent_number"))
    if on is None:
        problems.append(DomainError(f"{why} Hãy ghi ngày của văn bản đồng ý.", field="over_age_consent_on"))
    elif on > admitted_on:
        problems.append(DomainError(f"Văn bản đồng ý kết nạp người trên {limit} tuổi ({vn_date(on)}) phải có trước "
                                    f"ngày quyết định kết nạp ({vn_date(admitted_on)}); hãy kiểm tra lại ngày.",
                                    field="over_age_consent_on"))
    return problems


ID_CHUNK = 2_000  # members named in one statement (SQLite allows 32,766 parameters)


def rebuild_periods(member_ids) -> None:
    """Rewrite the placements of these members from their events (the events are the truth).

    Any number of members: they are read and written ID_CHUNK at a time, so memory stays flat
    and no statement carries more ids than the database accepts.
    """
    member_ids = list(member_ids)
    for i in range(0, len(member_ids), ID_CHUNK):
        _rebuild_chunk(member_ids[i:i + ID_CHUNK])


def _rebuild_chunk(member_ids: list[int]) -> None:
    events: dict[int, list] = {mid: [] for mid in member_ids}
    for e in MemberEvent.objects.filter(member_id__in=member_ids).order_by("on", "id"):
        events[e.member_id].append(e)
    MemberPeriod.objects.filter(member_id__in=member_ids).delete()
    MemberPeriod.objects.bulk_create(
        MemberPeriod(member_id=mid, unit_id=unit_id, status=status, valid_from=start, valid_to=end)
        for mid, evs in events.items()
        for unit_id, status, start, end in history.periods(evs)
    )


def _follow_last_event(member: Member, was_active: bool, unit: OrgUnit, status: str, on: date) -> None:
    """Bring the placements in step with one new event dated on or after all the member's others.

    What `rebuild_periods` would write, without rereading the member's whole history: the open
    placement ends the day before (or disappears, if it began that day) and, if the member is still
    active, one opens in the new unit with the new status (`history.periods` step by step). A member
    recorded as active without an open placement has placements out of step with the events: those
    are rebuilt from the events instead.

    Every event runs this, so it is plain statements on the narrow placement table: through the ORM
    these three took a third of an event's time.
    """
    table = MemberPeriod._meta.db_table
    last_day = on - timedelta(days=1)
    with connection.cursor() as c:
        c.execute(f"SELECT id, unit_id, status, valid_from > %s FROM {table} WHERE member_id = %s AND valid_to IS NULL",
                  [last_day, member.pk])
        current = c.fetchone()
        if current is None and was_active:
            rebuild_periods([member.pk])
            return
        if current is not None:
            period_id, unit_id, current_status, began_after = current
            if (unit_id, current_status) == (unit.pk, status):
                return
            if began_after:  # it would end before it began
                c.execute(f"DELETE FROM {table} WHERE id = %s", [period_id])
            else:
                c.execute(f"UPDATE {table} SET valid_to = %s WHERE id = %s", [last_day, period_id])
        if status in history.ACTIVE:
            c.execute(f"INSERT INTO {table} (member_id, unit_id, status, valid_from) VALUES (%s, %s, %s, %s)",
                      [member.pk, unit.pk, status, max(on, unit.valid_from)])


def _initial_events(member: Member, status: str, recognized_on: date | None) -> list[MemberEvent]:
    unit = member.unit
    if member.admitted_on is None:
        raise DomainError("Hãy nhập ngày vào Đảng (ngày ký quyết định kết nạp).", field="admitted_on")
    events = [MemberEvent(member=member, kind=EventKind.ADMITTED, on=member.admitted_on, unit=unit,
                          org_path=unit.path, status_after=Status.PROBATIONARY)]
    if status == Status.OFFICIAL:
        on = recognized_on or rules.end_of_probation(member.admitted_on)
        events.append(MemberEvent(member=member, kind=EventKind.RECOGNIZED, on=on, unit=unit, org_path=unit.path,
                                  status_after=Status.OFFICIAL))
    elif status != Status.PROBATIONARY:
        raise DomainError("Đảng viên mới phải là dự bị hoặc chính thức.", field="status")
    return events


def create_member(*, unit: OrgUnit, by, status: str = Status.PROBATIONARY, relatives=(), **fields) -> Member:
    """A member already admitted (their record is being entered): admission and, if official,
    recognition events are written with the dates of the profile."""
    _check_open_unit(unit)
    _check_can_change(by, unit)
    # Before the transaction: a CCCD held out of the writer's reach is recorded even though refused.
    collisions.guard(by, unit, fields.get("citizen_id"), via="thêm hồ sơ")
    return _create_member(unit=unit, by=by, status=status, relatives=relatives, **fields)


@transaction.atomic
def _create_member(*, unit: OrgUnit, by, status: str, relatives, **fields) -> Member:
    member = Member(unit=unit, status=status, **fields)
    if member.status == Status.OFFICIAL and member.recognized_on is None and member.admitted_on:
        member.recognized_on = rules.end_of_probation(member.admitted_on)
    check_profile(member)
    events = _initial_events(member, status, member.recognized_on)
    DomainErrors.raise_any(unit_date_problems(events, lifespans.of_units([unit]), PROFILE_DATES))
    member.save()
    MemberEvent.objects.bulk_create(events)
    # A new member's placements follow from these events alone: no history to reread.
    MemberPeriod.objects.bulk_create(
        MemberPeriod(member=member, unit_id=unit_id, status=st, valid_from=start, valid_to=end)
        for unit_id, st, start, end in history.periods(events))
    tally.change(None, tally.state(member))
    for relative in relatives:
        member.relatives.create(**relative)
    if by is not None:
        record("members.member.created", actor=by, obj=member, unit_path=unit.path, unit_name=unit.name,
               after=snapshot(member))
    return member


def update_member(member: Member, changes: dict, *, by) -> Member:
    """Edit profile fields (not status or unit: those change only through events)."""
    _check_can_change(by, member.unit)
    if changes.get("citizen_id") and changes["citizen_id"] != member.citizen_id:
        # Before the transaction: a CCCD held out of the writer's reach is recorded even though refused.
        collisions.guard(by, member.unit, changes["citizen_id"], member, via="sửa hồ sơ")
    return _update_member(member, changes, by=by)


@transaction.atomic
def _update_member(member: Member, changes: dict, *, by) -> Member:
    unknown = set(changes) - set(PROFILE_FIELDS) - {"admitted_on", "recognized_on", "photo"}
    if unknown:
        raise DomainError(f"Không sửa trực tiếp được: {', '.join(sorted(unknown))}; hãy ghi sự kiện tương ứng.")
    before = snapshot(member)
    read = {name: getattr(member, name) for name in EDIT_FIELDS}  # callers pass the record as they just read it
    counted = tally.state(member)
    for name, value in changes.items():
        setattr(member, name, value)
    check_profile(member, had_citizen_id=before["citizen_id"])
    member.fill_derived()
    written = [name for name in read if getattr(member, name) != read[name]] + (["photo"] if "photo" in changes else [])
    member.save(update_fields=[*written, "updated_at"])
    tally.change(counted, tally.state(member))
    _sync_dates_to_events(member)
    if "admitted_on" in written and member.left_party_months is not None:  # a former member's age moves with it
        member.fill_left_party_months(list(member.events.all()))
        Member.objects.filter(pk=member.pk).update(left_party_months=member.left_party_months)
    after = snapshot(member)
    if before != after:
        record("members.member.updated", actor=by, obj=member, unit_path=member.org_path,
               unit_name=member.unit.name, before=before, after=after)
    return member


def _sync_dates_to_events(member: Member) -> None:
    # The admission and recognition dates live on the profile and in the events; keep them equal, in
    # one statement (every edit of a profile runs this). The profile's recognition date is the latest
    # (record_event writes it): a member re-admitted and recognized again keeps the date of their
    # first recognition on that event, so only the latest recognition event follows the profile.
    dates, differ = {}, Q()
    if member.admitted_on is not None:
        dates[EventKind.ADMITTED] = member.admitted_on
        differ |= Q(kind=EventKind.ADMITTED) & ~Q(on=member.admitted_on)
    if member.recognized_on is not None:
        dates[EventKind.RECOGNIZED] = member.recognized_on
        latest = member.events.filter(kind=EventKind.RECOGNIZED).order_by("-on", "-id").values("pk")[:1]
        differ |= Q(pk__in=latest) & ~Q(on=member.recognized_on)
    if not dates:
        return
    changed = member.events.filter(differ).update(
        on=Case(*(When(kind=kind, then=Value(value)) for kind, value in dates.items()), output_field=DateField()))
    if changed:
        events = list(member.events.all())
        history.replay(events)  # the new dates must still make a valid history, in units that existed then
        DomainErrors.raise_any(unit_date_problems(events, lifespans.load({e.unit_id for e in events}), PROFILE_DATES))
        rebuild_periods([member.pk])


@transaction.atomic
def record_event(member: Member, kind: str, *, on: date, by, unit: OrgUnit | None = None,
                 decision_number: str = "", note: str = "", status_after: str = "", reason: str = "") -> MemberEvent:
    """Record one event of the member's party life and bring the member's current state in step."""
    # Lock the member's row only: locking its unit too would queue every change in the cell behind this one.
    member = Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=member.pk)
    _check_can_change(by, member.unit)
    target = unit or member.unit
    if kind in (EventKind.MOVED, EventKind.TRANSFERRED_IN):
        if unit is None:
            raise DomainError("Hãy chọn chi bộ nơi đảng viên sinh hoạt.", field="unit")
        _check_open_unit(unit)
        _check_can_change(by, unit)
        if kind == EventKind.MOVED and unit.pk == member.unit_id:
            raise DomainError("Đảng viên đang sinh hoạt ở chính tổ chức này.", field="unit")
    if on > timezone.localdate():
        raise DomainError("Ngày của sự kiện không được sau ngày hôm nay.", field="on")
    DomainErrors.raise_any(unit_date_problems([history.EventRow(kind, on, target.pk)], lifespans.of_units([target])))
    last = member.events.order_by("-on").values_list("on", flat=True).first()
    if last and on < last:
        raise DomainError(f"Ngày {vn_date(on)} trước sự kiện gần nhất ({vn_date(last)}); hãy ghi theo thứ tự thời gian.",
                          field="on")
    history.check_transition(member.status, kind)
    if reason and kind not in (*history.EXITS, EventKind.READMITTED):
        raise DomainError("Lý do ra khỏi Đảng chỉ ghi với sự kiện ra khỏi Đảng (xóa tên, khai trừ, xin ra) hoặc kết "
                          "nạp lại; hãy bỏ trống ô này.", field="reason")
    if kind == EventKind.READMITTED:
        _check_readmission(member, on, reason)
    if kind == EventKind.RECOGNIZED:
        _check_probation_served(member, on)
    before = snapshot(member, ["status", "unit_id", "is_excused"])
    read = {name: getattr(member, name) for name in EVENT_FIELDS}
    before_path, was_active = member.org_path, member.is_active
    counted = tally.state(member)
    new_status = history.status_after(kind, member.status, status_after)
    came_from = member.unit if kind in (EventKind.MOVED, EventKind.TRANSFERRED_IN) else None
    event = MemberEvent.objects.create(member=member, kind=kind, on=on, unit=target, org_path=target.path,
                                       from_unit=came_from, status_after=new_status, decision_number=decision_number,
                                       note=note, reason=reason)
    member.status, member.unit = new_status, target
    if kind in (EventKind.EXCUSED, EventKind.RESUMED):
        member.is_excused = kind == EventKind.EXCUSED
    if kind == EventKind.RECOGNIZED:
        member.recognized_on = on
    if kind in history.EXITS or kind == EventKind.READMITTED:  # the party age a former member keeps
        member.fill_left_party_months(list(member.events.all()))
    member.fill_derived()
    member.save(update_fields=[name for name in EVENT_FIELDS if getattr(member, name) != read[name]] + ["updated_at"])
    _follow_last_event(member, was_active, target, new_status, on)  # dated after every other event (checked above)
    tally.change(counted, tally.state(member))
    if was_active and not member.is_active:  # posts held in party bodies end with the membership (bodies)
        signals.member_left.send(sender=Member, member=member, on=on, kind=kind)
    record(f"members.member.{kind}", actor=by, obj=member, unit_path=target.path,
           unit_path_2=before_path if before_path != target.path else "", unit_name=target.name, before=before, after=snapshot(member, ["status", "unit_id", "is_excused"]),
           note=" ".join(x for x in (decision_number, note) if x))
    # The member's row now carries the target's path: the same test `visible_to` makes, without a query.
    if by is not None and not can(by, "view", member.org_path):
        raise DomainError("Sau thay đổi, đảng viên sẽ nằm ngoài phạm vi quản lý của bạn; đã hủy thao tác.")
    return event


def _check_readmission(member: Member, on: date, reason: str = "") -> None:
    DomainErrors.raise_any(readmission_problems(list(member.events.all()), on, reason))


def readmission_problems(events, on: date, reason: str = "") -> list[DomainError]:
    """Why a re-admission on `on` after `events` (each with kind, on and reason; those before it) is refused; the same
    rules for an event recorded on the page or the API and for a history loaded by the national migration.

    At most once, at least READMISSION_WAIT_MONTHS after leaving, never after leaving for a reason
    of NEVER_READMIT, and after a resignation only for a reason of RESIGNATION_READMIT (members.rules).
    The reason is the one recorded with the exit; `reason` (given with the re-admission, from its
    file) stands in for it when the exit was recorded without one.
    """
    before = list(events)  # the events before the re-admission
    if any(e.kind == EventKind.READMITTED for e in before):
        return [DomainError("Chỉ được kết nạp lại một lần (Quy định 232-QĐ/TW, mục 3.5).", field="kind")]
    exits = [e for e in before if e.kind in history.EXITS]
    if not exits:
        return []
    left = max(exits, key=lambda e: e.on)
    why = getattr(left, "reason", "") or reason
    wait = rules.rule("READMISSION_WAIT_MONTHS")
    problems = []
    if rules.age_in_months(left.on, on) < wait:
        problems.append(DomainError(f"Chưa đủ {wait} tháng kể từ khi ra khỏi Đảng ({vn_date(left.on)}); kết nạp lại "
                                    f"sớm nhất ngày {vn_date(rules.add_months(left.on, wait))} (Quy định 232-QĐ/TW, "
                                    "mục 3.5).", field="on"))
    if why in rules.rule("NEVER_READMIT"):
        problems.append(DomainError(f"Không kết nạp lại người đã ra khỏi Đảng vì “{LeaveReason(why).label.lower()}” "
                                    "(Quy định 232-QĐ/TW, mục 3.5).", field="reason"))
    elif left.kind == EventKind.RESIGNED and why not in rules.rule("RESIGNATION_READMIT"):
        problems.append(DomainError(
            "Người đã xin ra khỏi Đảng chỉ được kết nạp lại nếu đã xin ra vì hoàn cảnh gia đình đặc biệt khó khăn "
            "(Quy định 232-QĐ/TW, mục 3.5). Nếu đúng như vậy, hãy chọn lý do đó ở ô “Lý do ra khỏi Đảng”.",
            field="reason"))
    return problems


def history_problems(events) -> list[DomainError]:
    """The rules `record_event` applies one event at a time, over a whole history in date order (the
    national migration loads histories at once): each re-admission (`readmission_problems`) and each
    recognition after the probation of the admission or re-admission before it."""
    problems, began = [], None
    for i, e in enumerate(events):
        if e.kind in history.ENTRIES:
            if e.kind == EventKind.READMITTED:
                problems += readmission_problems(events[:i], e.on, getattr(e, "reason", ""))
            began = e.on
        elif e.kind == EventKind.RECOGNIZED and began and e.on < rules.end_of_probation(began):
            problems.append(DomainError(_early_message(e.on, began), field="recognized_on"))
    return problems


# The profile's dates date these events: a fault in one is shown at the profile's field.
PROFILE_DATES = {EventKind.ADMITTED: "admitted_on", EventKind.RECOGNIZED: "recognized_on"}


def unit_date_problems(events, spans: dict, fields: dict | None = None) -> list[DomainError]:
    """Each event (kind, on, unit_id) dated on a day its unit did not exist (`spans`: `orgs.lifespans`, of
    every unit the events name, read once). A member's placements follow from the events
    (`history.periods`), so a history that passes keeps them within their units' lifespans too; the form,
    the API, the import and the national migration all call this. `fields`: the field each kind of
    event is shown at (default "on")."""
    problems = []
    for e in events:
        life = spans.get(e.unit_id)
        if life is None or life.covers(e.on):
            continue
        what = dict(EventKind.choices).get(e.kind, e.kind).lower()
        hint = (" Nếu đảng viên được kết nạp ở tổ chức khác, hãy ghi hồ sơ ở tổ chức đó rồi ghi sự kiện chuyển "
                "sinh hoạt." if e.kind == EventKind.ADMITTED else "")
        problems.append(DomainError(
            f"“{life.name}” chỉ hoạt động {life.text()}; ngày {vn_date(e.on)} ({what}) không hợp lệ: hãy sửa ngày "
            f"hoặc chọn tổ chức đảng viên sinh hoạt vào ngày đó.{hint}", field=(fields or {}).get(e.kind, "on")))
    return problems


def _check_probation_served(member: Member, on: date) -> None:
    # Recognition ends the probation that began with the latest admission or re-admission (Điều lệ Đảng Điều 5).
    entries = [e.on for e in member.events.all() if e.kind in history.ENTRIES]
    began = max(entries, default=member.admitted_on)
    if began and on < rules.end_of_probation(began):
        raise DomainError(_early_message(on, began), field="on")


def move_members(members, source: OrgUnit, unit: OrgUnit, on: date, note: str) -> int:
    """Move members of `source` to `unit` from day `on`, as part of a restructuring (no audit of
    its own: the restructuring writes the one entry).

    Members active before `on` get a MOVED event. Events recorded at `source` from `on` on (a
    member admitted after the effective date of a back-dated merge) are re-pointed at `unit`,
    since `source` no longer existed then. Members who have left follow their unit too, so
    that no record points at a closed unit.

    The members are those of `members` when the move starts, ID_CHUNK at a time: a unit may hold
    more members than one statement can name.
    """
    ids = list(members.values_list("pk", flat=True))
    if not ids:
        return 0
    groups = tally.groups_of(members)
    for i in range(0, len(ids), ID_CHUNK):
        _move_chunk(ids[i:i + ID_CHUNK], source, unit, on, note)
    tally.shift(groups, source.path, unit.path)
    return len(ids)


def _move_chunk(ids: list[int], source: OrgUnit, unit: OrgUnit, on: date, note: str) -> None:
    MemberEvent.objects.filter(member_id__in=ids, unit=source, on__gte=on).update(unit=unit, org_path=unit.path)
    state: dict[int, str] = {}
    had_history: set[int] = set()
    for mid, day, status in (MemberEvent.objects.filter(member_id__in=ids, on__lte=on)
                             .order_by("member_id", "on", "id").values_list("member_id", "on", "status_after")):
        state[mid] = status
        if day < on:
            had_history.add(mid)
    MemberEvent.objects.bulk_create(
        (MemberEvent(member_id=mid, kind=EventKind.MOVED, on=on, unit=unit, org_path=unit.path, from_unit=source,
                     status_after=state[mid], note=note[:255])
         for mid in ids if mid in had_history and state[mid] in history.ACTIVE),
        batch_size=1000,
    )
    Member.objects.filter(pk__in=ids).update(unit=unit, org_path=unit.path)
    _rebuild_chunk(ids)
