"""Documents of the demo province (members/demo.py), written through the real services.

Kết luận 21-KL/TW (Central Committee, outside the system) → the province's plan 82-KH/TU → the old
district's 111-KH/HU (2022, before the district closed) and commune A's plan, numbered by the system in A's
2025–2030 term; commune B has no plan yet (the lineage lists it). Most cells of A have disseminated the plan,
one has not. A's resolution on admissions has its sơ kết due within the month, another is overdue. Run once.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from documents import services
from documents.models import Document
from members.demo import DEMO_CODE
from members.models import Member
from orgs.models import CELL_KINDS, Kind, OrgUnit

KL21 = "Kết luận của Hội nghị Trung ương 4 khóa XIII về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị"


@transaction.atomic
def demo() -> None:
    province = OrgUnit.objects.filter(code=DEMO_CODE).first()
    if province is None or Document.objects.filter(issuer="TW", doc_type="KL", number=21).exists():
        return
    kl = services.register(unit=None, issuer="TW", doc_type="KL", number=21, issued_on=date(2021, 10, 25),
                           title=KL21, by=None)
    plan = services.register(unit=province, issuer="TU", doc_type="KH", number=82, issued_on=date(2022, 1, 20),
                             title="Kế hoạch thực hiện Kết luận 21-KL/TW của Trung ương", implements=kl, by=None,
                             review_due=date(2024, 1, 31), final_review_due=date(2026, 12, 31))
    Document.objects.filter(pk=plan.pk).update(reviewed_on=date(2024, 1, 25))
    district = OrgUnit.objects.filter(parent=province, kind=Kind.DISTRICT).first()
    if district is not None:
        services.register(unit=district, issuer="HU", doc_type="KH", number=111, issued_on=date(2022, 3, 2),
                          title="Kế hoạch thực hiện Kế hoạch 82-KH/TU của Tỉnh ủy", implements=plan, by=None)
    communes = list(OrgUnit.objects.filter(parent=province, kind=Kind.COMMUNE, valid_to__isnull=True).order_by("path"))
    if not communes:
        return
    a = communes[0]
    today = timezone.localdate()
    own = services.issue(unit=a, doc_type="KH", on=date(2025, 9, 15), by=None, implements=plan,
                         title="Kế hoạch thực hiện Kết luận 21-KL/TW, giai đoạn 2025–2030")
    services.update(own, {"final_review_due": date(2030, 6, 30)}, by=None)
    soon = services.issue(unit=a, doc_type="NQ", on=date(2025, 10, 1), by=None,
                          title="Nghị quyết về công tác phát triển đảng viên năm 2026")
    services.update(soon, {"review_due": today + timedelta(days=20)}, by=None)
    late = services.issue(unit=a, doc_type="NQ", on=date(2025, 10, 2), by=None,
                          title="Nghị quyết về nâng cao chất lượng sinh hoạt chi bộ")
    services.update(late, {"review_due": today - timedelta(days=5)}, by=None)
    cells = list(OrgUnit.objects.filter(path__startswith=a.path, kind__in=CELL_KINDS, valid_to__isnull=True)
                 .order_by("path"))
    held = date(2025, 10, 5)
    services.disseminate(own, unit=a, held_on=date(2025, 9, 25), attended=21, total=23, by=None,
                         note="Hội nghị Ban Chấp hành Đảng bộ")
    for i, cell in enumerate(cells[:-1]):  # the last cell has not held it yet
        total = Member.objects.active().filter(org_path__startswith=cell.path).count() or 1
        services.disseminate(own, unit=cell, held_on=held + timedelta(days=i % 10), total=total,
                             attended=max(total - 1 - i % 4, 0), by=None, form="sinh_hoat_chi_bo")
