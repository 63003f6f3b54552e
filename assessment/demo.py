"""Review results of the demo province (members/demo.py, bodies/demo.py), written through the real services.

- 2021–2025: each commune's members (An Hòa A, Bình Sơn B) and every organization of the province, decided
  within the quota; a few members and cells excellent five years running (streaks show), a few at levels 3
  and 4 each year (seed 004: "01 đảng viên mức 03, 01 đảng viên mức 4"). Before the 2025 reform there was no
  commune committee of A or B in the records, so the province's standing committee is taken as the deciding
  body for those years (a simplification of the demo only).
- 2016: the organizations with the levels of that time ("trong sạch, vững mạnh"), stored as they were.
- This year: commune A's members round open, the self-assessment deadline passed (overdue on the work list),
  some self-assessments and proposals in; commune B's organizations round with its steps still ahead.
- Commendations of the 2025 results (17, seed 000) and ten "Dân vận khéo" models (seed 004).
Run once: a second run finds the 2025 organizations round and does nothing.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from assessment import awards, rules, services
from assessment.models import AwardKind, ModelStatus, RecognitionLevel, Round
from assessment.rules import LegacyLevel, Level, Subject
from bodies.models import Body
from bodies.rules import BodyKind
from members.demo import DEMO_CODE, REFORM
from members.models import Member, MemberPeriod
from orgs.models import Kind, OrgUnit

YEARS = range(2021, 2026)
SCORES = {Level.EXCELLENT: (90, 98), Level.GOOD: (72, 89), Level.DONE: (52, 68), Level.FAILED: (30, 48)}


def _score(rng, level) -> int:
    return rng.randint(*SCORES[level])


def _levels(rng: random.Random, keys: list, stars: set, lows: int = 2) -> dict:
    """Levels for `keys`: `lows` of them at levels 3 and 4, the most excellent the quota allows (20 % of the
    good, rounded down) — `stars` first, so they keep their streak — and the rest good."""
    rest = [k for k in keys if k not in stars]
    rng.shuffle(rest)
    low, rest = rest[:lows], rest[lows:]
    order = [k for k in keys if k in stars] + rest
    n = len(order)
    best = 0
    while best < n and best + 1 <= rules.quota_max(n - best - 1):
        best += 1
    levels = {k: Level.EXCELLENT if i < best else Level.GOOD for i, k in enumerate(order)}
    for i, k in enumerate(low):
        levels[k] = Level.FAILED if i == 0 and lows > 1 else Level.DONE
    return levels


def _members_in(unit: OrgUnit, year: int) -> list[int]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return sorted(set(MemberPeriod.objects.filter(unit__path__startswith=unit.path, valid_from__lte=end)
                      .exclude(valid_to__lt=start).values_list("member_id", flat=True)))


def _units_in(province: OrgUnit, year: int) -> list[OrgUnit]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return list(OrgUnit.objects.filter(path__startswith=province.path, valid_from__lte=end)
                .exclude(pk=province.pk).exclude(valid_to__lt=start).exclude(kind=Kind.GROUP).order_by("path"))


def _deciding(unit: OrgUnit) -> Body | None:
    return Body.objects.filter(unit=unit, kind=BodyKind.STANDING).select_related("unit").first()


def _member_rounds(rng, communes, btv_tinh):
    stars: dict[int, set] = {}
    for year in YEARS:
        for commune in communes:
            ids = _members_in(commune, year)
            if commune.pk not in stars:  # the same few excellent every year: members there since 2021
                since = set(_members_in(commune, 2021)) & set(_members_in(commune, 2025))
                stars[commune.pk] = set(sorted(since)[:3])
            body = _deciding(commune) if year >= REFORM.year else btv_tinh
            round_ = services.create_round(commune, year=year, subject=Subject.MEMBERS, by=None,
                                           self_due=date(year, 12, 5), proposal_due=date(year, 12, 12),
                                           decision_due=date(year, 12, 25))
            levels = _levels(rng, ids, stars[commune.pk])
            members = Member.objects.only("id", "full_name", "org_path", "unit_id").in_bulk(ids)
            rows = [{"member": members[i], "level": lv, "score": _score(rng, lv)} for i, lv in levels.items()]
            services.record_results(round_, rows, body=body, decided_on=date(year, 12, 20), by=None)
            services.publish(round_, by=None, on=date(year, 12, 28))


def _org_rounds(rng, province, btv_tinh):
    star_cells = None
    for year in YEARS:
        units = _units_in(province, year)
        if star_cells is None:
            lasting = {u.pk for u in _units_in(province, 2025)} & {u.pk for u in units}
            star_cells = set(sorted(u.pk for u in units if u.pk in lasting and u.kind == Kind.CELL)[:2])
        round_ = services.create_round(province, year=year, subject=Subject.ORGANIZATIONS, by=None,
                                       self_due=date(year, 12, 10), proposal_due=date(year, 12, 15),
                                       decision_due=date(year, 12, 28))
        # After the reform a commune's standing committee decides its cells and grassroots organizations;
        # the province's decides the communes (and, before, everything: see the module's note).
        groups: dict[int, list[OrgUnit]] = {}
        bodies = {btv_tinh.pk: btv_tinh}
        for u in units:
            body = btv_tinh
            if year >= REFORM.year and u.parent_id and u.parent.kind == Kind.COMMUNE and u.parent.valid_to is None:
                body = _deciding(u.parent) or btv_tinh
            if year >= REFORM.year and u.parent_id and u.parent.parent_id and u.parent.parent.kind == Kind.COMMUNE:
                body = _deciding(u.parent.parent) or btv_tinh
            bodies[body.pk] = body
            groups.setdefault(body.pk, []).append(u)
        for body_pk, members in groups.items():
            levels = _levels(rng, [u.pk for u in members], star_cells, lows=1 if len(members) > 8 else 0)
            rows = [{"unit": u, "level": levels[u.pk], "score": _score(rng, levels[u.pk])} for u in members]
            services.record_results(round_, rows, body=bodies[body_pk], decided_on=date(year, 12, 27), by=None)
        services.publish(round_, by=None, on=date(year, 12, 30))


def _legacy(rng, province):
    units = [u for u in _units_in(province, 2016) if u.kind in (Kind.CELL, Kind.COMMUNE)]
    if not units:
        return
    round_ = services.create_round(province, year=2016, subject=Subject.ORGANIZATIONS, by=None)
    choices = [LegacyLevel.CLEAN_STRONG, LegacyLevel.ORG_GOOD, LegacyLevel.ORG_GOOD, LegacyLevel.ORG_DONE]
    services.record_results(round_, [{"unit": u, "level": rng.choice(choices)} for u in units], body=None,
                            decided_on=date(2016, 12, 28), by=None)
    services.publish(round_, by=None, on=date(2016, 12, 30))


def _open_rounds(commune_a, commune_b):
    """This year's rounds: A's members with the self-assessment overdue and a few steps done; B's organizations
    with every deadline ahead."""
    today = timezone.localdate()
    year = today.year
    members = services.create_round(commune_a, year=year, subject=Subject.MEMBERS, by=None,
                                    title=f"Kiểm điểm, đánh giá, xếp loại đảng viên năm {year}",
                                    self_due=today - timedelta(days=5), proposal_due=today + timedelta(days=5),
                                    decision_due=today + timedelta(days=20))
    cell = OrgUnit.objects.filter(parent=commune_a, kind=Kind.CELL, valid_to__isnull=True).order_by("path").first()
    if cell is not None:
        people = Member.objects.active().filter(unit=cell).order_by("pk")[:8]
        for i, m in enumerate(people):
            level = Level.EXCELLENT if i < 2 else Level.GOOD
            rating = services.self_assess(members, member=m, score=93 if i < 2 else 82, level=level, by=None,
                                          text="Tự kiểm điểm theo mẫu 2B.", on=today - timedelta(days=7))
            if i < 4:
                services.propose(rating, level=level, by=None, on=today - timedelta(days=2),
                                 note="Chi bộ nhất trí đề xuất.")
    services.create_round(commune_b, year=year, subject=Subject.ORGANIZATIONS, by=None,
                          self_due=today + timedelta(days=6), proposal_due=today + timedelta(days=12),
                          decision_due=today + timedelta(days=25))


class _Everything:
    """Reads the whole demo province (the demo loader acts for nobody)."""

    is_authenticated = is_active = is_superuser = True


MODELS = [  # seed 004: ten "Dân vận khéo" models
    ("Tổ hợp tác trồng rau an toàn", "kinh_te", True, "Tổ hợp tác rau an toàn thôn An Phú"),
    ("Con đường bích họa", "van_hoa_xa_hoi", True, "Đoàn Thanh niên xã"),
    ("Camera an ninh thôn xóm", "quoc_phong_an_ninh", True, "Công an xã và Ban Công tác Mặt trận thôn"),
    ("Dân hiến đất làm đường", "he_thong_chinh_tri", True, "Ban Công tác Mặt trận thôn"),
    ("Nuôi heo đất giúp hội viên nghèo", "kinh_te", True, "Chi hội Phụ nữ thôn"),
    ("Mái ấm cho hộ nghèo", "van_hoa_xa_hoi", False, "Đảng viên Nguyễn Văn Thành"),
    ("Tiếp dân cuối tuần", "he_thong_chinh_tri", True, "Đảng ủy xã"),
    ("Ngày chủ nhật xanh", "van_hoa_xa_hoi", True, "Chi đoàn thôn"),
    ("Tổ liên gia an toàn phòng cháy", "quoc_phong_an_ninh", True, "Tổ dân phố"),
    ("Hợp tác xã dịch vụ nông nghiệp", "kinh_te", False, "Đảng viên Trần Thị Hoa"),
]


def _awards(province, communes):
    """Seed 000: certificates to 17 collectives and individuals, following the suggestions of the 2025 results;
    seed 004: ten "Dân vận khéo" models at each step."""
    everyone = _Everything()
    done = 0
    for s in awards.suggestions(province, everyone, 2025):
        if done == 17:
            break
        if s.kind != AwardKind.CERTIFICATE:
            continue
        member = Member.objects.get(pk=s.member_id) if s.member_id else None
        unit = OrgUnit.objects.get(pk=s.unit_id) if s.unit_id else None
        awards.commend(by=None, kind=s.kind, issuer=s.issuer, decision_number=f"{100 + done}-QĐ/ĐU",
                       decided_on=date(2026, 1, 15), reason=s.ground, member=member, unit=unit, year=2025,
                       streak=s.years if s.years > 1 else None)
        done += 1
    cells = list(OrgUnit.objects.filter(path__startswith=province.path, kind=Kind.CELL, valid_to__isnull=True)
                 .order_by("path"))
    for i, (name, field, collective, owner) in enumerate(MODELS):
        unit = communes[i % 2] if i % 3 == 0 or not cells else cells[i % len(cells)]
        m = awards.register_model(unit, by=None, name=name, field=field, owner=owner, year=2025,
                                  collective=collective, registered_on=date(2025, 3, 1) + timedelta(days=i),
                                  evidence="Báo cáo kết quả thực hiện mô hình.")
        if i % 3 != 2:
            awards.advance_model(m, by=None, status=ModelStatus.ASSESSED, on=date(2025, 10, 15))
        if i % 3 == 0:
            awards.advance_model(m, by=None, status=ModelStatus.RECOGNIZED, on=date(2025, 11, 20),
                                 level=RecognitionLevel.GRASSROOTS if i else RecognitionLevel.PROVINCE)


@transaction.atomic
def demo() -> None:
    province = OrgUnit.objects.filter(code=DEMO_CODE).first()
    if province is None or Round.objects.filter(unit=province, year=2025, subject=Subject.ORGANIZATIONS).exists():
        return
    btv_tinh = _deciding(province)
    communes = list(OrgUnit.objects.filter(parent=province, kind=Kind.COMMUNE, valid_to__isnull=True).order_by("path"))
    if btv_tinh is None or len(communes) < 2:
        return  # the bodies' demo did not run: nothing can decide
    rng = random.Random(2025)
    _member_rounds(rng, communes, btv_tinh)
    _org_rounds(rng, province, btv_tinh)
    _legacy(rng, province)
    _open_rounds(*communes[:2])
    _awards(province, communes[:2])
