"""The demo province: the post-2025 shape, built through the real services so its history is real.

Before 01/7/2025: tỉnh Sơn Nam → huyện Sơn Tịnh → four old communes → village cells.
On 01/7/2025 the district level ends: the new xã An Hòa (A) takes over Tịnh An and Tịnh Hòa,
the new xã Bình Sơn (B) takes over Tịnh Bình and Tịnh Sơn (merges move their cells and members),
and the district closes. Each new commune also gets grassroots organizations with their cells.
About 2,000 members with Vietnamese names; users all with the password DEMO_PASSWORD.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from access.models import Grant
from access.rules import Role
from members import rules, tally
from members.models import EventKind, Gender, Member, MemberEvent, Status
from members.names import ethnicity, full_name
from members.services import rebuild_periods
from orgs.models import Kind, OrgUnit
from orgs.services import close_unit, create_unit, merge_units

DEMO_CODE = "DEMO-SN"
DEMO_PASSWORD = "demo-dangvu"
FOUNDED = date(2010, 1, 1)
REFORM = date(2025, 7, 1)

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


def _add_members(rng: random.Random, unit: OrgUnit, n: int, today: date) -> None:
    members = []
    for _ in range(n):
        female = rng.random() < 0.38
        age = min(95, max(19, int(rng.gauss(48, 14))))
        birth = today - timedelta(days=age * 365 + rng.randrange(365))
        if rng.random() < 0.06:  # about 5% are still on probation: admitted within the last year
            admitted = today - timedelta(days=rng.randint(20, 360))
        else:
            admitted = birth + timedelta(days=rng.randint(18 * 366, max(18 * 366, min(age - 1, 45) * 365)))
        official = rules.end_of_probation(admitted) <= today
        name = full_name(rng, female)
        address = f"{unit.short_name or unit.name}, tỉnh Sơn Nam"
        member = Member(
            full_name=name, gender=Gender.FEMALE if female else Gender.MALE, birth_date=birth,
            ethnicity=ethnicity(rng, 0.08), religion="Không", unit=unit,
            status=Status.OFFICIAL if official else Status.PROBATIONARY, admitted_on=admitted,
            recognized_on=rules.end_of_probation(admitted) if official else None,
            citizen_id=_cccd(rng, birth, female) if rng.random() < 0.9 else None,
            general_education="12/12" if rng.random() < 0.8 else "9/12",
            phone=f"09{rng.randrange(10**8):08d}" if rng.random() < 0.7 else "",
            hometown=f"xã {unit.name.split()[-1]}, tỉnh Sơn Nam",
            # Most records are complete; the gaps are what the data-quality page is for.
            permanent_address=address if rng.random() < 0.92 else "",
            current_address=address if rng.random() < 0.88 else "",
            party_card_number=f"{rng.randrange(10**8):08d}" if official and rng.random() < 0.85 else "",
        )
        if rules.over_admission_age(birth, admitted):  # admitted late in life: with the provincial consent
            member.over_age_consent_number, member.over_age_consent_on = "15-CV/TU", admitted - timedelta(days=20)
        member.fill_derived()
        members.append(member)
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


def _legacy_problems(commune: OrgUnit) -> None:
    """Two faults that records typed in before this system carry, for the data-quality page to find.

    A member entered twice, in two cells (a transfer never closed), and a CCCD typed with a digit
    missing. Written straight to the table, as an old import would have: the services refuse both.
    """
    cells = list(OrgUnit.objects.filter(path__startswith=commune.path, kind=Kind.CELL, valid_to__isnull=True)
                 .order_by("path")[:2])
    original = Member.objects.filter(unit=cells[0]).order_by("pk").first()
    twin = Member.objects.get(pk=original.pk)
    twin.pk, twin.unit, twin.org_path, twin.citizen_id = None, cells[1], cells[1].path, None
    twin.save()
    tally.apply([(tally.state(twin), 1)])
    MemberEvent.objects.bulk_create(_admission(twin, cells[1]))
    rebuild_periods([twin.pk])
    typo = Member.objects.filter(unit=cells[1], citizen_id__isnull=False).order_by("-pk").first()
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
    old = {}
    for commune, villages in OLD_COMMUNES.items():
        old[commune] = _unit(district, f"Đảng bộ xã {commune}", Kind.COMMUNE, FOUNDED, short_name=f"Xã {commune}",
                             issuer_abbr="ĐU", is_grassroots=True)
        for village in villages:
            cell = _unit(old[commune], f"Chi bộ {village}", Kind.CELL, FOUNDED, short_name=village, issuer_abbr="CB")
            _add_members(rng, cell, rng.randint(95, 165), today)

    units = {"province": province}
    for key, (name, short, merged) in NEW_COMMUNES.items():
        commune = _unit(province, name, Kind.COMMUNE, REFORM, short_name=short, issuer_abbr="ĐU")
        units[key] = commune
        for old_name in merged:
            merge_units(old[old_name], commune, on=REFORM, by=None,
                        note="Sắp xếp đơn vị hành chính cấp xã, thực hiện từ 01/7/2025")
        for org_name, kind, cells in GRASSROOTS[key]:
            org = _unit(commune, org_name, kind, REFORM, issuer_abbr="ĐU" if cells else "CB")
            for cell_name in cells:
                _add_members(rng, _unit(org, cell_name, Kind.CELL, REFORM, issuer_abbr="CB"), rng.randint(12, 30), today)
            if not cells:
                _add_members(rng, org, rng.randint(8, 25), today)
    close_unit(district, on=REFORM, by=None, note="Kết thúc hoạt động cấp huyện từ 01/7/2025")
    _legacy_problems(units["A"])
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
