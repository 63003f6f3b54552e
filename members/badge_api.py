"""Party badges over the API: who is due on an award date, and recording an award (members.badges).

Members come through `visible_to(request.user)`; a unit or member outside the caller's subtree answers 404.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from members import badges, privacy
from members.models import BadgeAward, Member
from orgs.api import UnitRef
from orgs.models import OrgUnit

router = Router(tags=["Huy hiệu Đảng"])
router.add_decorator(privacy.no_store, mode="view")


class DueOut(Schema):
    id: int
    full_name: str
    unit: UnitRef
    years: int = Field(description="Mốc Huy hiệu (năm tuổi đảng) đạt được trong đợt này.")
    party_age: str = Field(description="Tuổi đảng vào ngày trao, đã trừ thời gian gián đoạn.")


class DueList(Schema):
    on: date
    count: int
    items: list[DueOut]


class AwardIn(Schema):
    member_id: int
    years: int
    awarded_on: date
    decision_number: str
    early: BadgeAward.Early = BadgeAward.Early.NO
    early_reason: str = ""


class AwardOut(Schema):
    id: int
    member_id: int
    years: int
    awarded_on: date
    decision_number: str
    early: str


def members_in(request, unit: int | None):
    """The members the list covers: the caller's whole reach, or one unit's subtree within it (404 outside)."""
    if unit is None:
        return Member.objects.visible_to(request.user)
    target = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)
    return Member.objects.visible_subtree(request.user, target.path)


@router.get("", response=DueList, summary="Đảng viên đến hạn tặng Huy hiệu Đảng")
def due_list(request, on: str | None = None, unit: int | None = None):
    """Đảng viên đủ mốc tuổi đảng (30, 40, 45, 50 … 90 năm, đã trừ thời gian gián đoạn) trong khoảng từ sau ngày
    trao trước đến ngày trao `on` (YYYY-MM-DD; một trong các ngày 03/02, 19/05, 02/09, 07/11; mặc định là đợt
    trao tới), chưa được ghi nhận huy hiệu mốc đó. `unit`: chỉ cây con của tổ chức này."""
    day = badges.check_on(on)
    rows = badges.due_on(members_in(request, unit), day)
    items = [{"id": r.member.pk, "full_name": r.member.full_name, "years": r.years, "party_age": str(r.age),
              "unit": {"id": r.member.unit_id, "name": r.member.unit.name}} for r in rows]
    return {"on": day, "count": len(items), "items": items}


@router.post("", response={201: AwardOut}, summary="Ghi nhận Huy hiệu Đảng đã trao")
def record_award(request, data: AwardIn):
    """Ghi quyết định tặng Huy hiệu Đảng cho một đảng viên; trao sớm (ốm đau nặng, truy tặng) được kiểm tra
    theo quy định."""
    member = get_object_or_404(Member.objects.visible_to(request.user, "change").select_related("unit"),
                               pk=data.member_id)
    award = badges.record_award(member, years=data.years, awarded_on=data.awarded_on,
                                decision_number=data.decision_number, early=data.early,
                                early_reason=data.early_reason, by=request.user)
    return Status(201, award)
