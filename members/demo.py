"""The demo province: the post-2025 shape, built through the real services so its history is real.

Before 01/7/2025: tỉnh Sơn Nam → huyện Sơn Tịnh → four old communes → village cells.
On 01/7/2025 the district level ends: the new xã An Hòa (A) takes over Tịnh An and Tịnh Hòa,
the new xã Bình Sơn (B) takes over Tịnh Bình and Tịnh Sơn (merges move their cells and members),
and the district closes. Each new commune also gets grassroots organizations with their cells.
About 2,000 members with Vietnamese names; users all with the password DEMO_PASSWORD.

Members live whole lives: some moved between cells, were excused, left (transferred out, struck off,
expelled, resigned, died), one struck off came back (re-admitted once, 36 months on). Those events go
through `members.services.record_event`, so histories, placements and tallies follow as in real use.
A few members of each new commune reach 30, 40 and 50 years of party age just before the next badge award
date; one of them has the badge on record. Dates keep to the rules: admitted aged 18 to 60, official exactly 12 months on, nothing in the future.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from access.models import Grant
from access.rules import Role
from members import rules, tally
from members.badges import record_award
from members.choices import age_on, years_before
from members.models import EventKind, Gender, Member, MemberEvent, Status
from members.names import ethnicity, full_name
from members.services import rebuild_periods, record_event
from orgs.models import Kind, OrgUnit
from orgs.services import close_unit, create_unit, merge_units

DEMO_CODE = "DEMO-SN"
DEMO_PASSWORD = "demo-dangvu"
# Early enough for every demo member's admission: what happened in a unit falls on a day it existed.
FOUNDED = date(1945, 1, 1)
REFORM = date(2025, 7, 1)
PAST_TERM = (date(2015, 1, 1), date(2020, 6, 30))  # life of a cell of the 2015–2020 term, closed since

OLD_COMMUNES = {
    "Tịnh An": ["Thôn An Phú", "Thôn An Lộc", "Thôn An Thạnh", "Thôn An Mỹ"],
    "Tịnh Hòa": ["Thôn Hòa Bình", "Thôn Hòa Tân", "Thôn Hòa Hiệp"],
    "Tịnh Bình": ["Thôn Bình Đông", "Thôn Bình Tây", "Thôn Bình Nam"],
    "Tịnh Sơn": ["Thôn Sơn Thượng", "Thôn Sơn Hạ", "Thôn Sơn Trung", "Thôn Sơn Long"],
}
NEW_COMMUNES = {
    "A": ("Đảng bộ xã An Hòa", "Xã An Hòa", ["Tịnh An", "Tịnh Hòa"]),
    "B": ("Đảng bộ xã Bình Sơn", "Xã Bình Sơn", ["Tịnh Bình", "Tịnh Sơn"]),
}
GRASSROOTS = {
    "A": [("Đảng bộ Trường THPT An Hòa", Kind.GRASSROOTS_COMMITTEE, ["Chi bộ Giáo viên Tự nhiên", "Chi bộ Giáo viên Xã hội"]),
          ("Chi bộ Trạm Y tế xã An Hòa", Kind.GRASSROOTS_CELL, [])],
    "B": [("Đảng bộ Công ty CP Nông sản Bình Sơn", Kind.GRASSROOTS_COMMITTEE, ["Chi bộ Sản xuất", "Chi bộ Văn phòng"]),
          ("Chi bộ Công an xã Bình Sơn", Kind.GRASSROOTS_CELL, [])],
}
USERS = [
    ("tinh", "Cán bộ Ban Tổ chức Tỉnh ủy", "province", Role.ORGANIZATION),
    ("xa_a", "Cán bộ tổ chức xã An Hòa", "A", Role.ORGANIZATION),
    ("xa_b", "Cán bộ tổ chức xã Bình Sơn", "B", Role.ORGANIZATION),
    ("kiemtra_a", "Cán bộ UBKT xã An Hòa", "A", Role.INSPECTION),
    ("chibo_a1", "Bí thư Chi bộ thôn An Phú", "A1", Role.CELL_SECRETARY),
    ("admin", "Quản trị hệ thống", "province", Role.ADMIN),
]


def demo_exists() -> bool:
    return OrgUnit.objects.filter(code=DEMO_CODE).exists()


def _unit(parent, name, kind, on, **kw):
    return create_unit(parent, kind=kind, name=name, on=on, by=None, **kw)


# Where members live, after 01/7/2025 (no district level): each old commune's villages are now in the
# new commune that took it over. Some were born elsewhere in the country.
OTHER_HOMETOWNS = ["xã Nghĩa Hành, tỉnh Quảng Ngãi", "phường Hoài Nhơn, tỉnh Gia Lai", "xã Điện Bàn, thành phố Đà Nẵng",
                   "xã Đức Phổ, tỉnh Quảng Ngãi", "phường Tam Kỳ, thành phố Đà Nẵng", "xã Quế Sơn, thành phố Đà Nẵng"]
OCCUPATIONS = {  # by the kind of cell: (occupation, workplace)
    "village": [("Nông dân", ""), ("Buôn bán", ""), ("Công nhân", ""), ("Giáo viên", ""), ("Cán bộ thôn", "")],
    "Đảng bộ Trường THPT An Hòa": [("Giáo viên", "Trường THPT An Hòa")],
    "Chi bộ Trạm Y tế xã An Hòa": [("Y sĩ", "Trạm Y tế xã An Hòa"), ("Điều dưỡng", "Trạm Y tế xã An Hòa")],
    "Đảng bộ Công ty CP Nông sản Bình Sơn": [("Kỹ sư nông nghiệp", "Công ty CP Nông sản Bình Sơn"),
                                             ("Kế toán", "Công ty CP Nông sản Bình Sơn")],
    "Chi bộ Công an xã Bình Sơn": [("Công an", "Công an xã Bình Sơn")],
}


def _years_later(day: date, years: int) -> date:
    """The same day `years` on; 1 March for 29 February, so that a full 12 months have passed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _day_between(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _add_members(rng: random.Random, unit: OrgUnit, n: int, today: date, villages: list[str], commune: str,
                 old_commune: str | None = None, jobs: str = "village") -> None:
    """`n` members admitted in `unit`, living in `villages` of xã `commune` (before 01/7/2025: xã `old_commune`)."""
    members = []
    for _ in range(n):
        female = rng.random() < 0.38
        age = min(95, max(19, int(rng.gauss(48, 14))))
        birth = today - timedelta(days=age * 365 + rng.randrange(365))
        if age < 58 and rng.random() < 0.06:  # about 5% are still on probation: admitted within the last year
            admitted = today - timedelta(days=rng.randint(20, 360))
        else:  # aged 18 to 45 when admitted (over 60 needs the province's consent: none such in the demo)
            admitted = birth + timedelta(days=rng.randint(18 * 366, max(18 * 366, min(age - 1, 45) * 365)))
        recognized = rules.end_of_probation(admitted)  # probation: 12 months from admission (Điều lệ Điều 5)
        official = recognized <= today
        name = full_name(rng, female)
        home = f"{rng.choice(villages)}, {commune}, tỉnh Sơn Nam"
        local = rng.random() < 0.85
        occupation, workplace = rng.choice(OCCUPATIONS[jobs])
        if jobs == "village" and age >= 62:
            occupation = "Hưu trí"
        member = Member(
            full_name=name, gender=Gender.FEMALE if female else Gender.MALE, birth_date=birth,
            ethnicity=ethnicity(rng, 0.08), religion="Không", unit=unit,
            status=Status.OFFICIAL if official else Status.PROBATIONARY, admitted_on=admitted,
            recognized_on=recognized if official else None,
            citizen_id=_cccd(rng, birth, female) if rng.random() < 0.9 else None,
            general_education="12/12" if rng.random() < 0.8 else "9/12",
            phone=f"09{rng.randrange(10**8):08d}" if rng.random() < 0.7 else "",
            hometown=f"{commune}, tỉnh Sơn Nam" if local else rng.choice(OTHER_HOMETOWNS),
            hometown_old=f"xã {old_commune}, huyện Sơn Tịnh, tỉnh Sơn Nam" if local and old_commune else "",
            occupation=occupation, workplace=workplace,
            # Most records are complete; the gaps are what the data-quality page is for.
            permanent_address=home if rng.random() < 0.92 else "",
            current_address=home if rng.random() < 0.88 else "",
            party_card_number=f"{rng.randrange(10**8):08d}" if official and rng.random() < 0.85 else "",
        )
        member.fill_derived()
        members.append(member)
    _store(members, unit)


def _store(members: list[Member], unit: OrgUnit) -> None:
    """Write new members of `unit` with their admission histories, placements and tallies."""
    Member.objects.bulk_create(members)
    tally.apply((tally.state(m), 1) for m in members)
    MemberEvent.objects.bulk_create([e for m in members for e in _admission(m, unit)])
    rebuild_periods([m.pk for m in members])


def _admission(m: Member, unit: OrgUnit) -> list[MemberEvent]:
    """The history of a demo member: admitted in `unit`, recognized there a year later if official."""
    events = [MemberEvent(member=m, kind=EventKind.ADMITTED, on=m.admitted_on, unit=unit, org_path=unit.path,
                          status_after=Status.PROBATIONARY)]
    if m.recognized_on:
        events.append(MemberEvent(member=m, kind=EventKind.RECOGNIZED, on=m.recognized_on, unit=unit,
                                  org_path=unit.path, status_after=Status.OFFICIAL))
    return events


ELSEWHERE = ["Đảng bộ thành phố Đà Nẵng", "Đảng bộ tỉnh Quảng Ngãi", "Đảng bộ Thành phố Hồ Chí Minh",
             "Đảng bộ tỉnh Gia Lai", "Đảng bộ Công an tỉnh Sơn Nam"]
# (event, how many, note) of the lives the demo records in each old commune before 01/7/2025.
LIVES = [
    (EventKind.DECEASED, 4, "Từ trần"),
    (EventKind.TRANSFERRED_OUT, 4, ""),
    (EventKind.STRUCK_OFF, 2, "Bỏ sinh hoạt đảng ba tháng trong năm không có lý do chính đáng"),
    (EventKind.EXPELLED, 1, "Vi phạm kỷ luật nghiêm trọng"),
    (EventKind.RESIGNED, 1, "Xin ra khỏi Đảng"),
    (EventKind.MOVED, 2, "Chuyển nơi cư trú trong xã"),
    (EventKind.EXCUSED, 3, "Tuổi cao, sức yếu"),
    (EventKind.TEMP_OUT, 1, "Đi học tập trung dài hạn"),
]


RECENT_LIVES = [(EventKind.DECEASED, 1, "Từ trần"), (EventKind.TRANSFERRED_OUT, 1, ""),
                (EventKind.MOVED, 1, "Chuyển nơi cư trú trong xã"), (EventKind.EXCUSED, 1, "Tuổi cao, sức yếu")]


def _in_address(short_name: str) -> str:
    """"Xã An Hòa" as written inside an address: "xã An Hòa"."""
    return short_name[0].lower() + short_name[1:]


def _record(member: Member, kind: str, on: date, rng: random.Random, unit: OrgUnit | None = None, note: str = "",
            issuer: str = "ĐU") -> None:
    number = f"{rng.randint(10, 480)}-QĐ/{issuer}" if kind not in (EventKind.DECEASED, EventKind.TEMP_BACK) else ""
    record_event(member, kind, on=on, by=None, unit=unit, decision_number=number, note=note)


def _earliest(member: Member, since: date) -> date:
    return max(since, member.recognized_on + timedelta(days=30))


def _lives(rng: random.Random, cells: list[OrgUnit], since: date, until: date, lives=LIVES) -> None:
    """Members of `cells` who moved, were excused, or left between `since` and `until`, each through
    `record_event` (one life per member, dated after all their other events). The oldest die or are
    excused; the youngest go to study; the rest are picked at random among official members."""
    pool = list(Member.objects.filter(unit__in=cells, status=Status.OFFICIAL, recognized_on__lt=until)
                .select_related("unit").order_by("pk"))
    rng.shuffle(pool)
    by_age = sorted(pool, key=lambda m: m.birth_date)
    used: set[int] = set()
    for kind, count, note in lives:
        if kind in (EventKind.DECEASED, EventKind.EXCUSED):
            candidates = [m for m in by_age if age_on(m.birth_date, until) >= 70]
        elif kind == EventKind.TEMP_OUT:
            candidates = [m for m in reversed(by_age) if age_on(m.birth_date, until) < 35]
        else:
            candidates = pool
        # A course away takes two years: begun early enough to be back by `until`.
        hi = until - timedelta(days=800) if kind == EventKind.TEMP_OUT else until
        for member in [m for m in candidates if m.pk not in used and _earliest(m, since) <= hi][:count]:
            used.add(member.pk)
            on = _day_between(rng, _earliest(member, since), hi)
            target = None
            if kind == EventKind.MOVED:
                target = rng.choice([c for c in cells if c.pk != member.unit_id])
            if kind == EventKind.TRANSFERRED_OUT:
                note = f"Chuyển sinh hoạt đảng chính thức đến {rng.choice(ELSEWHERE)}"
            _record(member, kind, on, rng, unit=target, note=note)
            if kind == EventKind.TEMP_OUT and (back := _years_later(on, 2)) < until:
                _record(member, EventKind.TEMP_BACK, back, rng, note="Hoàn thành khóa học, trở về sinh hoạt")


def _second_chance(rng: random.Random, cells: list[OrgUnit], until: date) -> None:
    """One member struck off in 2016 and re-admitted, once, 36 months on (232-QĐ/TW §3.5), then official
    after a new 12 months of probation. Struck off, not resigned: one who asked to leave never comes back."""
    member = (Member.objects.filter(unit__in=cells, status=Status.OFFICIAL, recognized_on__lt=date(2015, 6, 1),
                                    birth_date__gt=date(1975, 1, 1)).select_related("unit").order_by("pk").first())
    struck = _day_between(rng, date(2016, 1, 1), date(2016, 6, 30))
    _record(member, EventKind.STRUCK_OFF, struck, rng, note="Không đóng đảng phí ba tháng trong năm")
    readmitted = _years_later(struck, 3) + timedelta(days=rng.randint(30, 200))
    _record(member, EventKind.READMITTED, readmitted, rng, note="Kết nạp lại sau khi khắc phục khuyết điểm")
    recognized = _years_later(readmitted, 1)
    if recognized <= until:
        _record(member, EventKind.RECOGNIZED, recognized, rng)


BADGE_YEARS = (30, 40, 50)


def _badges(rng: random.Random, communes: list[OrgUnit], today: date) -> None:
    """In each commune, members who reach 30, 40 and 50 years of party age a few days before the next
    award date, so the "Huy hiệu Đảng" page has its list; the first of commune A has the award on record."""
    on = rules.next_award_date(today)
    for commune in communes:
        cell = OrgUnit.objects.filter(path__startswith=commune.path, kind=Kind.CELL, valid_to__isnull=True).order_by("path")[0]
        members = []
        for i, years in enumerate(BADGE_YEARS):
            admitted = years_before(on, years) - timedelta(days=10 + 9 * i)
            female = rng.random() < 0.4
            birth = admitted - timedelta(days=rng.randint(20 * 365, 28 * 365))
            member = Member(full_name=full_name(rng, female), gender=Gender.FEMALE if female else Gender.MALE,
                            birth_date=birth, ethnicity="Kinh", religion="Không", unit=cell, status=Status.OFFICIAL,
                            admitted_on=admitted, recognized_on=rules.end_of_probation(admitted),
                            occupation="Hưu trí", hometown=f"{_in_address(commune.short_name)}, tỉnh Sơn Nam")
            member.fill_derived()
            members.append(member)
        _store(members, cell)
    first = Member.objects.filter(org_path__startswith=communes[0].path, admitted_on=years_before(on, 30) - timedelta(days=10))
    record_award(first.order_by("pk")[0], years=30, awarded_on=on, decision_number="215-QĐ/TU", by=None)


def _legacy_problems(commune: OrgUnit) -> None:
    """Two faults that records typed in before this system carry, for the data-quality page to find.

    A member entered twice, in two cells (a transfer never closed), and a CCCD typed with a digit
    missing. Written straight to the table, as an old import would have: the services refuse both.
    """
    cells = list(OrgUnit.objects.filter(path__startswith=commune.path, kind=Kind.CELL, valid_to__isnull=True)
                 .order_by("path")[:2])
    original = Member.objects.active().filter(unit=cells[0]).order_by("pk").first()
    twin = Member.objects.get(pk=original.pk)
    twin.pk, twin.unit, twin.org_path, twin.citizen_id = None, cells[1], cells[1].path, None
    twin.save()
    tally.apply([(tally.state(twin), 1)])
    MemberEvent.objects.bulk_create(_admission(twin, cells[1]))
    rebuild_periods([twin.pk])
    typo = Member.objects.active().filter(unit=cells[1], citizen_id__isnull=False).order_by("-pk").first()
    Member.objects.filter(pk=typo.pk).update(citizen_id=typo.citizen_id[:11])


def _assign_codes(unit: OrgUnit, code: str) -> None:
    """Short codes officers type in spreadsheets ("Mã chi bộ"): AH, AH01, AH05-1 …"""
    OrgUnit.objects.filter(pk=unit.pk).update(code=code)
    for i, child in enumerate(unit.children.filter(valid_to__isnull=True).order_by("path"), start=1):
        _assign_codes(child, f"{code}{i:02d}" if unit.depth < 2 else f"{code}-{i}")


def _cccd(rng: random.Random, birth: date, female: bool) -> str:
    # 051 = the birth-registration province code used for the demo; then century/gender, year, serial.
    century_digit = 2 * ((birth.year - 1900) // 100) + (1 if female else 0)
    return f"051{century_digit}{birth.year % 100:02d}{rng.randrange(10**6):06d}"


@transaction.atomic
def load_demo(seed: int = 2025) -> dict:
    """Build the demo province once; returns the created users' usernames."""
    rng = random.Random(seed)
    today = date.today()
    province = _unit(None, "Đảng bộ tỉnh Sơn Nam", Kind.PROVINCE, FOUNDED, short_name="Tỉnh Sơn Nam",
                     code=DEMO_CODE, issuer_abbr="TU")
    district = _unit(province, "Đảng bộ huyện Sơn Tịnh", Kind.DISTRICT, FOUNDED, short_name="Huyện Sơn Tịnh",
                     issuer_abbr="HU")
    new_of = {old_name: _in_address(short) for _n, short, merged in NEW_COMMUNES.values() for old_name in merged}
    old = {}
    for commune, villages in OLD_COMMUNES.items():
        old[commune] = _unit(district, f"Đảng bộ xã {commune}", Kind.COMMUNE, FOUNDED, short_name=f"Xã {commune}",
                             issuer_abbr="ĐU", is_grassroots=True)
        cells = []
        for village in villages:
            cell = _unit(old[commune], f"Chi bộ {village}", Kind.CELL, FOUNDED, short_name=village, issuer_abbr="CB")
            _add_members(rng, cell, rng.randint(95, 165), today, [village], new_of[commune], commune)
            cells.append(cell)
        if commune == "Tịnh Sơn":
            _second_chance(rng, cells, REFORM)
        if commune == "Tịnh An":  # a cell of the 2015–2020 term, closed since: old figures have a place
            create_unit(old[commune], kind=Kind.CELL, name="Chi bộ Thôn Tân An", short_name="Thôn Tân An",
                        on=PAST_TERM[0], valid_to=PAST_TERM[1], by=None, decision_number="12-QĐ/ĐU",
                        decision_date=PAST_TERM[0], decision_body="BTVĐU xã Tịnh An")
        _lives(rng, cells, date(2014, 1, 1), REFORM - timedelta(days=1))
    # The school, the health station, the company and the police were organizations of the old communes
    # before the reform: their members were admitted there, and the merges carry them to the new communes.
    grassroots = {}
    for key, (_name, _short, merged) in NEW_COMMUNES.items():
        for org_name, kind, cells in GRASSROOTS[key]:
            org = _unit(old[merged[0]], org_name, kind, FOUNDED, issuer_abbr="ĐU" if cells else "CB")
            grassroots[org_name] = (org, [_unit(org, c, Kind.CELL, FOUNDED, issuer_abbr="CB") for c in cells])

    units = {"province": province}
    for key, (name, short, merged) in NEW_COMMUNES.items():
        commune = _unit(province, name, Kind.COMMUNE, REFORM, short_name=short, issuer_abbr="ĐU")
        units[key] = commune
        for old_name in merged:
            merge_units(old[old_name], commune, on=REFORM, by=None,
                        note="Sắp xếp đơn vị hành chính cấp xã, thực hiện từ 01/7/2025")
        villages = [v for old_name in merged for v in OLD_COMMUNES[old_name]]
        for org_name, _kind, cells in GRASSROOTS[key]:
            org, org_cells = grassroots[org_name]
            for unit in (org, *org_cells):  # the merge gave them their paths under the new commune
                unit.refresh_from_db()
            for cell in org_cells:
                _add_members(rng, cell, rng.randint(12, 30), today, villages, _in_address(short), jobs=org_name)
            if not cells:
                _add_members(rng, org, rng.randint(8, 25), today, villages, _in_address(short), jobs=org_name)
    close_unit(district, on=REFORM, by=None, note="Kết thúc hoạt động cấp huyện từ 01/7/2025")
    for key in NEW_COMMUNES:  # since the reform: fewer, and in the new communes
        cells = list(OrgUnit.objects.filter(path__startswith=units[key].path, kind__in=[Kind.CELL, Kind.GRASSROOTS_CELL],
                                            valid_to__isnull=True).order_by("path"))
        _lives(rng, cells, REFORM + timedelta(days=1), today, RECENT_LIVES)
    _legacy_problems(units["A"])
    _badges(random.Random(seed + 15), [units["A"], units["B"]], today)
    _assign_codes(units["A"], "AH")
    _assign_codes(units["B"], "BS")
    units["A1"] = OrgUnit.objects.filter(parent=units["A"], kind=Kind.CELL).order_by("path").first()

    User = get_user_model()
    for username, display, key, role in USERS:
        user = User.objects.create_user(username, password=DEMO_PASSWORD, first_name=display)
        Grant.objects.create(user=user, unit=units[key], role=role)
        if username == "admin":
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
    return {"members": Member.objects.active().filter(org_path__startswith=province.path).count(),
            "users": [u[0] for u in USERS]}
