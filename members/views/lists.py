"""The member list of the user's subtree, and the same list exported to Excel and Word.

The filters are `members.filters.MemberFilterForm`, shared with the API, so the page, its two
exports and `GET /api/v1/members` always agree on who is in the list. Typing in the name box
refreshes only the results (htmx asks for the `results` partial of the same view).

The list masks the CCCD for everyone; the Excel export holds the sensitive columns as
`members.privacy` allows, and is written to the audit log when it does (members.privacy).
"""

from functools import cached_property

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.htmx import login_required, partial_or_page
from core.scoping import can_anywhere
from members import privacy
from members.choices import Status
from members.exporter import export_docx
from members.filters import MemberFilterForm
from members.models import Member
from members.privacy import mask_cccd, no_store
from members.views.base import DOCX, XLSX, download
from orgs.models import OrgUnit, OrgUnitVersion

PAGE_SIZE = 30


class MemberPaginator(Paginator):
    """Pages of the filtered list: its length from the tallies when no filter narrows it, each page
    read the cheaper way for its size (`MemberFilterForm.counted_total` and `walks_names`)."""

    def __init__(self, form: MemberFilterForm, per_page: int):
        self.form = form
        super().__init__(form.apply().select_related("unit"), per_page)

    @cached_property
    def count(self) -> int:
        total = self.form.counted_total()
        return self.object_list.count() if total is None else total

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if self.form.walks_names(self.count, top):
            rows = self.form.apply(walk_names=True).select_related("unit")
        return self._get_page(rows[bottom:top], number, self)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


@login_required
@no_store
def member_list(request):
    user = request.user
    form = MemberFilterForm(request.GET, user=user)
    page = MemberPaginator(form, PAGE_SIZE).get_page(request.GET.get("trang"))
    for member in page:
        member.cccd_masked = mask_cccd(member.citizen_id)
    if form.past_day:
        _as_they_were(form, list(page), user)
    else:
        Member.mark_probation_overdue(page.object_list, timezone.localdate())
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "can_change": can_anywhere(user, "change"),
    }
    return render(request, partial_or_page(request, "members/list.html", "results"), context)


def _as_they_were(form: MemberFilterForm, members: list, user) -> None:
    """On a past day's list: each member's unit and status of that day, and a link to the record only
    for those in the user's reach today (someone since gone elsewhere is named, not opened)."""
    day = form.past_day
    then = {p.member_id: p for p in form.placements_then().filter(member_id__in=[m.pk for m in members])}
    names = {uid: short or name for uid, name, short in OrgUnitVersion.objects.on(day)
             .filter(unit_id__in={p.unit_id for p in then.values()}).values_list("unit_id", "name", "short_name")}
    reachable = set(Member.objects.visible_to(user).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True))
    for member in members:
        placement = then.get(member.pk)
        if placement is not None:
            member.unit_then = names.get(placement.unit_id, "")
            member.status_then = Status(placement.status).label
        member.unreachable = member.pk not in reachable


def _checked_filters(request) -> MemberFilterForm | None:
    form = MemberFilterForm(request.GET, user=request.user)
    if form.is_valid():
        return form
    # An export must hold exactly the list the page shows; with a wrong filter the page shows
    # what is wrong, so send the user there instead of exporting a different list.
    messages.error(request, "Bộ lọc có giá trị chưa đúng; hãy sửa theo hướng dẫn bên dưới rồi xuất lại.")
    return None


@login_required
def export_list_xlsx(request):
    form = _checked_filters(request)
    if form is None:
        return redirect(f"{reverse('members-list')}?{_query_without_page(request)}")
    content = privacy.export_xlsx(request.user, form.apply(), "trang danh sách", note=_query_without_page(request))
    return download(content, "danh-sach-dang-vien.xlsx", XLSX)


@login_required
def export_list_docx(request):
    """The "danh sách đảng viên" in the party's document layout, headed by the unit filtered on
    (or the user's highest unit)."""
    form = _checked_filters(request)
    if form is None:
        return redirect(f"{reverse('members-list')}?{_query_without_page(request)}")
    unit = form.cleaned_data.get("unit") or OrgUnit.objects.tops_for(request.user).order_by("path").first()
    if unit is None:
        raise Http404("Bạn chưa được phân quyền ở tổ chức nào.")
    content = export_docx(form.apply(), unit, on=timezone.localdate())
    return download(content, "danh-sach-dang-vien.docx", DOCX)
