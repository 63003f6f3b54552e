"""Party members over the API, minimal: who they are and where they are now.

Every row comes through `Member.objects.visible_to(request.user)`; a member or a unit outside the
user's subtree answers 404. The member-records issue extends the profile.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from core.api import PageParams, paginate
from core.tree import subtree_q
from members.models import Gender, Member, Status
from orgs.api import UnitRef
from orgs.models import OrgUnit

router = Router(tags=["Đảng viên"])


class MemberOut(Schema):
    id: int
    full_name: str
    gender: Gender
    birth_date: date
    ethnicity: str
    status: Status
    unit: UnitRef = Field(description="Chi bộ (tổ chức) đang sinh hoạt.")
    admitted_on: date | None = Field(description="Ngày vào Đảng.")


class MemberPage(Schema):
    count: int
    items: list[MemberOut]


class MemberFilters(Schema):
    unit: int | None = Field(None, description="Chỉ đảng viên thuộc cây con của tổ chức này.")
    q: str | None = Field(None, description="Tìm theo họ tên, không phân biệt dấu: “nguyen van a”.")
    status: Status | None = Field(None, description="Trạng thái, ví dụ du_bi (dự bị), chinh_thuc (chính thức).")


@router.get("", response=MemberPage, summary="Danh sách đảng viên")
def list_members(request, filters: Query[MemberFilters], page: Query[PageParams]):
    """Các đảng viên bạn được xem, theo thứ tự cây tổ chức."""
    rows = Member.objects.visible_to(request.user).select_related("unit")
    if filters.unit is not None:
        unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=filters.unit)
        rows = rows.filter(subtree_q("org_path", unit.path))
    if filters.q:
        rows = rows.search(filters.q)
    if filters.status:
        rows = rows.filter(status=filters.status)
    count, members = paginate(rows.order_by("org_path", "pk"), page)
    return {"count": count, "items": members}


@router.get("/{member_id}", response=MemberOut, summary="Chi tiết một đảng viên")
def get_member(request, member_id: int):
    """Một đảng viên (tối thiểu: họ tên, giới tính, ngày sinh, dân tộc, trạng thái, chi bộ, ngày vào Đảng)."""
    return get_object_or_404(Member.objects.visible_to(request.user).select_related("unit"), pk=member_id)
