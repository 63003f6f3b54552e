"""The bodies of the demo province (members/demo.py), written through the real services.

Tỉnh ủy Sơn Nam (TU) with its standing committee (BTVTU), inspection commission (UBKTTU) and boards,
terms 2020–2025 and 2025–2030 from their congresses; the district's committee (HU), ended 30/6/2025; the communes An Hòa (A) and Bình Sơn (B) with
committees designated (chỉ định) on 01/7/2025; A has held its 2025–2030 congress and re-elected them,
B has not yet; cell A1 has held its congress and elected its chi ủy, cell A2 has not. Run once: a second
run finds the province's committee and does nothing.
"""

from datetime import date, timedelta

from django.db import transaction

from bodies import congresses, services
from bodies.models import Body
from bodies.rules import BodyKind, How, Title
from members.demo import DEMO_CODE, REFORM
from members.models import Member
from orgs.models import Kind, OrgUnit

PROVINCE_CONGRESSES = [("2020–2025", date(2020, 10, 14), date(2020, 10, 16)),
                       ("2025–2030", date(2025, 10, 13), date(2025, 10, 15))]
A_CONGRESS = ("2025–2030", date(2025, 8, 20), date(2025, 8, 21))
A1_CONGRESS = ("2025–2030", date(2025, 7, 25), date(2025, 7, 25))
DESIGNATED = "Quyết định chỉ định của Ban Thường vụ Tỉnh ủy ngày 30/6/2025"


class _Pick:
    """Members of a unit's subtree active on a day, each given at most one seat per run."""

    def __init__(self):
        self.used: set[int] = set()

    def __call__(self, unit: OrgUnit, on: date, n: int) -> list[Member]:
        out = []
        rows = (Member.objects.active().filter(org_path__startswith=unit.path, admitted_on__lt=on - timedelta(days=400))
                .exclude(pk__in=self.used).order_by("pk"))
        for m in rows.iterator(chunk_size=200):
            if services._was_member(m, unit, on):
                out.append(m)
                self.used.add(m.pk)
                if len(out) == n:
                    break
        return out


def _body(unit, kind, name, symbol, since, size=None, until=None):
    return services.create_body(unit, kind=kind, name=name, symbol=symbol, size=size, valid_from=since,
                                valid_to=until, by=None)


def _seat(body, people_titles, on, how, decision, until=None, congress=None):
    for member, title in people_titles:
        services.add_post(body, member, title=title, how=how, from_on=on, to_on=until, decision=decision,
                          congress=congress, by=None)


def _leaders(people):
    """Titles for a committee's members: secretary, two deputies, standing members, then the rest."""
    titles = [Title.SECRETARY, Title.DEPUTY, Title.DEPUTY, Title.STANDING_MEMBER, Title.STANDING_MEMBER]
    return [(m, titles[i] if i < len(titles) else Title.COMMITTEE_MEMBER) for i, m in enumerate(people)]


def _province(province, pick):
    tu = _body(province, BodyKind.COMMITTEE, "Tỉnh ủy Sơn Nam", "TU", province.valid_from, size=11)
    btv = _body(province, BodyKind.STANDING, "Ban Thường vụ Tỉnh ủy Sơn Nam", "BTVTU", province.valid_from, size=5)
    ubkt = _body(province, BodyKind.INSPECTION, "Ủy ban Kiểm tra Tỉnh ủy Sơn Nam", "UBKTTU", province.valid_from, size=5)
    btc = _body(province, BodyKind.BOARD, "Ban Tổ chức Tỉnh ủy Sơn Nam", "BTCTU", province.valid_from)
    _body(province, BodyKind.BOARD, "Văn phòng Tỉnh ủy Sơn Nam", "VPTU", province.valid_from)
    _body(province, BodyKind.BOARD, "Ban Tuyên giáo Tỉnh ủy Sơn Nam", "BTGTU", province.valid_from,
          until=date(2025, 2, 28))
    _body(province, BodyKind.BOARD, "Ban Dân vận Tỉnh ủy Sơn Nam", "BDVTU", province.valid_from, until=date(2025, 2, 28))
    _body(province, BodyKind.BOARD, "Ban Tuyên giáo và Dân vận Tỉnh ủy Sơn Nam", "BTGDVTU", date(2025, 3, 1))
    (old_label, f0, t0), (label, f1, t1) = PROVINCE_CONGRESSES
    old = congresses.save_congress(province, term_label=old_label, held_from=f0, held_to=t0, delegates_summoned=300,
                                   delegates_present=297, by=None)
    start_old = t0 + timedelta(days=1)
    [former] = pick(province, start_old, 1)  # the secretary of the past term, retired at its end
    _seat(tu, [(former, Title.SECRETARY)], start_old, How.ELECTED, "", until=t1, congress=old)
    _seat(btv, [(former, Title.SECRETARY)], start_old, How.ELECTED, "", until=t1, congress=old)
    new = congresses.save_congress(province, term_label=label, planned_on=f1, held_from=f1, held_to=t1,
                                   delegates_summoned=300, delegates_present=296, by=None)
    start = t1 + timedelta(days=1)
    committee = pick(province, start, 10)  # 10 of 11 seats: one vacancy shows
    _seat(tu, _leaders(committee), start, How.ELECTED, "", congress=new)
    _seat(btv, _leaders(committee[:5]), start, How.ELECTED, "", congress=new)
    inspectors = [committee[5]] + pick(province, start, 3)
    _seat(ubkt, list(zip(inspectors, [Title.INSPECTION_CHAIR, Title.INSPECTION_DEPUTY, Title.INSPECTION_MEMBER,
                                      Title.INSPECTION_MEMBER], strict=True)), start, How.ELECTED, "", congress=new)
    _seat(btc, [(committee[4], Title.HEAD)], start, How.APPOINTED, "Quyết định của Ban Thường vụ Tỉnh ủy")
    return btv


def _district(province, pick):
    """The district level's bodies, ended with it on 30/6/2025: history that old documents name."""
    district = OrgUnit.objects.filter(parent=province, kind=Kind.DISTRICT).first()
    if district is None:
        return
    hu = _body(district, BodyKind.COMMITTEE, "Huyện ủy Sơn Tịnh", "HU", district.valid_from, size=9)
    btv = _body(district, BodyKind.STANDING, "Ban Thường vụ Huyện ủy Sơn Tịnh", "BTVHU", district.valid_from, size=3)
    _body(district, BodyKind.INSPECTION, "Ủy ban Kiểm tra Huyện ủy Sơn Tịnh", "UBKTHU", district.valid_from, size=3)
    start = date(2020, 8, 1)
    term = congresses.create_term(district, label="2020–2025", starts_on=start, ends_on=district.valid_to, by=None)
    leaders = pick(district, start, 3)
    _seat(hu, _leaders(leaders), start, How.ELECTED, "", until=term.ends_on)
    _seat(btv, _leaders(leaders), start, How.ELECTED, "", until=term.ends_on)


def _commune(commune, letter, pick, btv_province, held):
    name = commune.name.replace("Đảng bộ ", "Đảng ủy ")
    du = _body(commune, BodyKind.COMMITTEE, name, "ĐU", REFORM, size=9)
    btv = _body(commune, BodyKind.STANDING, f"Ban Thường vụ {name}", "BTVĐU", REFORM, size=3)
    ubkt = _body(commune, BodyKind.INSPECTION, f"Ủy ban Kiểm tra {name}", "UBKTĐU", REFORM, size=3)
    _body(commune, BodyKind.BOARD, f"Văn phòng {name}", "VPĐU", REFORM)
    _body(commune, BodyKind.BOARD, f"Ban Xây dựng Đảng {name}", "BXDĐĐU", REFORM)
    people = pick(commune, REFORM, 7)
    titles = [Title.SECRETARY, Title.DEPUTY, Title.STANDING_MEMBER, Title.COMMITTEE_MEMBER, Title.COMMITTEE_MEMBER]
    first = list(zip(people[:5], titles, strict=True))
    inspectors = list(zip(people[5:7], [Title.INSPECTION_CHAIR, Title.INSPECTION_MEMBER], strict=True))
    until = held[2] if held else None
    _seat(du, first, REFORM, How.DESIGNATED, DESIGNATED, until=until)
    _seat(btv, first[:3], REFORM, How.DESIGNATED, DESIGNATED, until=until)
    _seat(ubkt, inspectors, REFORM, How.DESIGNATED, DESIGNATED, until=until)
    services.mark_managed(people[0], btv_province, from_on=REFORM, by=None)
    if held:
        label, f, t = held
        c = congresses.save_congress(commune, term_label=label, planned_on=f, held_from=f, held_to=t,
                                     delegates_summoned=120, delegates_present=118, by=None)
        start = t + timedelta(days=1)
        _seat(du, first, start, How.ELECTED, "", congress=c)
        _seat(btv, first[:3], start, How.ELECTED, "", congress=c)
        _seat(ubkt, inspectors, start, How.ELECTED, "", congress=c)
    else:
        congresses.save_congress(commune, term_label="2025–2030", planned_on=date(2027, 3, 15), by=None)


def _cells(commune, pick):
    cells = list(OrgUnit.objects.filter(parent=commune, kind=Kind.CELL, valid_to__isnull=True).order_by("path")[:2])
    for i, cell in enumerate(cells):
        chi_uy = _body(cell, BodyKind.CELL_COMMITTEE, f"Chi ủy {cell.name}", "CB", REFORM, size=3)
        if i == 0:  # A1 held its congress; A2 has not
            label, f, t = A1_CONGRESS
            c = congresses.save_congress(cell, term_label=label, held_from=f, held_to=t, delegates_summoned=40,
                                         delegates_present=38, by=None)
            start = t + timedelta(days=1)
            _seat(chi_uy, list(zip(pick(cell, start, 2), [Title.SECRETARY, Title.DEPUTY], strict=True)), start,
                  How.ELECTED, "", congress=c)
        else:
            congresses.save_congress(cell, term_label="2025–2030", planned_on=date(2027, 1, 20), by=None)
            [legacy] = pick(cell, REFORM, 1)  # typed before this system, matched to no post: the quality page lists it
            Member.objects.filter(pk=legacy.pk).update(party_positions="Phó bí thư chi bộ (nhiệm kỳ 2020–2022)")


@transaction.atomic
def load_bodies_demo() -> bool:
    """Add the bodies to the demo province; False if there is no demo or it has them already."""
    province = OrgUnit.objects.filter(code=DEMO_CODE).first()
    if province is None or Body.objects.filter(unit=province).exists():
        return False
    pick = _Pick()
    btv = _province(province, pick)
    _district(province, pick)
    communes = {c.short_name: c for c in OrgUnit.objects.filter(parent=province, kind=Kind.COMMUNE, valid_to__isnull=True)}
    _commune(communes["Xã An Hòa"], "A", pick, btv, A_CONGRESS)
    _commune(communes["Xã Bình Sơn"], "B", pick, btv, None)
    _cells(communes["Xã An Hòa"], pick)
    _planned_soon(communes["Xã An Hòa"], communes["Xã Bình Sơn"])
    return True


def _planned_soon(commune_a, commune_b):
    """Congresses around the day the demo is loaded, so the work lists of xa_a and xa_b show one each: a cell
    of A whose planned day has passed (overdue), a cell of B planned ten days ahead."""
    today = date.today()
    for commune, index, day in ((commune_a, 2, today - timedelta(days=5)), (commune_b, 0, today + timedelta(days=10))):
        cells = list(OrgUnit.objects.filter(parent=commune, kind=Kind.CELL, valid_to__isnull=True).order_by("path"))
        if len(cells) > index:
            congresses.save_congress(cells[index], term_label="2025–2030", planned_on=day, by=None)
