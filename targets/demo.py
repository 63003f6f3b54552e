"""The targets of the demo province (members/demo.py), written through the real services.

Conclusion 21-KL/TW, the province's plan 82-KH/TU implementing it and commune An Hòa's plan implementing
that, as the documents app's demo registers them (each found, or created by issuer, type and number if that
demo is not there); Bình Sơn has no plan yet, so its parts belong to the province's plan. The province sets five targets for 2025–2026
in four groups, gives admissions to A and B by allocation and the 95% of grassroots organizations as the
same threshold; the communes report 2025 (A above its part, B below) and A part of 2026. Members as % of
population and A's admissions are computed from the records. Run once: a second run finds the province's
targets and does nothing.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from documents.demo import demo as documents_demo
from documents.models import Document
from members import stats
from members.demo import DEMO_CODE
from orgs.models import Kind as UnitKind
from orgs.models import OrgUnit
from targets import computed, services
from targets.models import Target, TargetGroup
from targets.rules import Direction, Kind, Mode, Source

KL21_TITLE = ("Kết luận Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XIII về đẩy mạnh xây dựng, chỉnh đốn "
              "Đảng và hệ thống chính trị; kiên quyết ngăn chặn, đẩy lùi, xử lý nghiêm cán bộ, đảng viên suy thoái "
              "về tư tưởng chính trị, đạo đức, lối sống, biểu hiện “tự diễn biến”, “tự chuyển hóa”")


def document(unit, doc_type: str, number: int, issuer: str, on: date, title: str, implements=None) -> Document:
    """The document as the documents demo registers it, or a new one with these parts."""
    doc, _ = Document.objects.get_or_create(unit=unit, doc_type=doc_type, number=number, issuer=issuer,
                                            defaults={"issued_on": on, "title": title, "implements": implements})
    return doc


def _documents(province, a):
    """21-KL/TW, the province's 82-KH/TU and commune A's plan implementing it, as the documents demo registers
    them (run first: it does nothing once 21-KL/TW exists); commune B has no plan yet, so its parts belong to
    the province's plan."""
    documents_demo()
    kl21 = document(None, "KL", 21, "TW", date(2021, 10, 25), KL21_TITLE)
    plan = document(province, "KH", 82, "TU", date(2022, 1, 20),
                    "Kế hoạch thực hiện Kết luận 21-KL/TW của Trung ương", kl21)
    plan_a = (Document.objects.filter(unit=a, doc_type="KH", implements=plan).order_by("issued_on", "id").first()
              or document(a, "KH", 25, "ĐU", date(2025, 9, 15), "Kế hoạch thực hiện Kết luận 21-KL/TW, giai đoạn "
                          "2025–2030", plan))
    return plan, plan_a


def _population(unit, share: str) -> None:
    """A population that puts the unit's members at about `share` % of it (the demo's members are few)."""
    members = stats.rollup([unit], computed.EVERYTHING)[unit.pk].total or 1
    services.record_population(unit, on=date(2025, 12, 31), value=int(members * 100 / Decimal(share)),
                               source="Chi cục Thống kê tỉnh, niên giám 2025", by=None)


@transaction.atomic
def load_targets_demo() -> bool:
    """Add the target set to the demo province; False if there is no demo or it has its targets already."""
    province = OrgUnit.objects.filter(code=DEMO_CODE).first()
    if province is None or Target.objects.filter(unit=province).exists():
        return False
    communes = {c.short_name: c for c in OrgUnit.objects.filter(parent=province, kind=UnitKind.COMMUNE,
                                                                   valid_to__isnull=True)}
    a, b = communes["Xã An Hòa"], communes["Xã Bình Sơn"]
    plan, plan_a = _documents(province, a)
    group = {g.code: g for g in TargetGroup.objects.all()}

    def target(unit, doc, code, name, kind, plans, direction=Direction.AT_LEAST, **kw):
        return services.create_target(document=doc, unit=unit, group=group[code], name=name, kind=kind,
                                      direction=direction, plans=plans, by=None, **kw)

    def value(t, v, year=2025, end=None, evidence="Báo cáo tổng kết năm 2025"):
        services.enter_value(t, value=v, year=year, period_end=end, evidence=evidence, by=None)

    admissions = target(province, plan, "xay_dung_dang", "Kết nạp đảng viên mới", Kind.COUNT, {2025: 80, 2026: 90},
                        measure="đảng viên")
    adm_a, adm_b = services.cascade(admissions, mode=Mode.ALLOCATE, parts=[(a, {2025: 45, 2026: 50}),
                                                                           (b, {2025: 35, 2026: 40})],
                                    documents={a.pk: plan_a}, by=None)
    value(adm_a, 47)
    value(adm_b, 30)
    value(adm_a, 38, year=2026, end=date(2026, 9, 30), evidence="Báo cáo 9 tháng năm 2026")
    good = target(province, plan, "xay_dung_dang", "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
                  Kind.PERCENT, {2025: 95, 2026: 95}, measure="%")
    good_a, good_b = services.cascade(good, mode=Mode.THRESHOLD, parts=[(a, None), (b, None)],
                                      documents={a.pk: plan_a}, by=None)
    value(good, "93,5")
    value(good_a, 96)
    value(good_b, 90)
    target(province, plan, "xay_dung_dang", "Tỷ lệ đảng viên so với dân số", Kind.POPULATION_SHARE, {2026: 4},
           from_year=2025, measure="%", source=Source.COMPUTED, computed_key="dang_vien_dan_so")
    target(a, plan_a, "xay_dung_dang", "Số đảng viên kết nạp trong năm (theo hồ sơ)", Kind.COUNT, {2025: 10, 2026: 10},
           measure="đảng viên", source=Source.COMPUTED, computed_key="ket_nap")
    income = target(province, plan, "kinh_te", "Thu nhập bình quân đầu người", Kind.COUNT, {2025: 75, 2026: 82},
                    measure="triệu đồng")
    value(income, 78)
    poor = target(province, plan, "van_hoa_xa_hoi", "Tỷ lệ hộ nghèo", Kind.PERCENT, {2025: "2,5", 2026: 2},
                  direction=Direction.AT_MOST, measure="%")
    value(poor, "2,8")
    draft = target(province, plan, "quoc_phong_an_ninh", "Hoàn thành 100% chỉ tiêu tuyển chọn, gọi công dân nhập ngũ",
                   Kind.YES_NO, {2025: "có", 2026: "có"})
    value(draft, "có")
    for unit, share in ((province, "3.9"), (a, "4.2"), (b, "3.6")):
        _population(unit, share)
    return True
