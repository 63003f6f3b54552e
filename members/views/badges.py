"""The "Huy hiệu Đảng" page: members due for a badge on an award date in a unit's subtree, the same
list in Word and Excel, and recording an award (members.badges). Members and units come through
`visible_to`; a unit or member outside the user's subtree answers 404.
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.forms import VnDateField, show_error, unit_choice
from core.htmx import login_required
from core.scoping import can_anywhere
from members import badges, rules
from members.models import BadgeAward, Member
from members.privacy import no_store
from members.views.base import DOCX, XLSX, download
from orgs.models import OrgUnit


class DueForm(forms.Form):
    """Which unit's subtree and which award date the list is for."""

    don_vi = forms.ModelChoiceField(OrgUnit.objects.none(), required=False)
    ngay = VnDateField(label="Ngày trao", required=False,
                       help_text=f"Một trong các ngày {rules.award_days_text()}; để trống là đợt trao tới.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"] = unit_choice(OrgUnit.objects.visible_to(user), "Tổ chức (cả các tổ chức trực thuộc)",
                                            required=False)

    def clean_ngay(self) -> date:
        day = self.cleaned_data.get("ngay")
        if day is None:
            return rules.next_award_date(timezone.localdate())
        problem = rules.check_award_date(day)
        if problem:
            raise forms.ValidationError(problem)
        return day


class AwardForm(forms.Form):
    member = forms.IntegerField(label="Mã số đảng viên (số trong địa chỉ trang hồ sơ)", min_value=1)
    years = forms.TypedChoiceField(label="Huy hiệu", coerce=int, choices=())
    awarded_on = VnDateField(label="Ngày trao")
    decision_number = forms.CharField(label="Số quyết định tặng", max_length=60)
    early = forms.ChoiceField(label="Trao sớm", choices=BadgeAward.Early.choices, required=False)
    early_reason = forms.CharField(label="Lý do trao sớm", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"].choices = [(y, f"{y} năm tuổi Đảng") for y in rules.rule("BADGE_MILESTONES")]


def _chosen(request) -> tuple[DueForm, OrgUnit | None, date | None]:
    form = DueForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return form, None, None
    data = form.cleaned_data if form.is_bound else {}
    unit = data.get("don_vi") or OrgUnit.objects.tops_for(request.user).order_by("path").first()
    day = data.get("ngay") or rules.next_award_date(timezone.localdate())
    if not form.is_bound:  # show what the list is for
        form.fields["don_vi"].initial = unit.pk if unit else None
        form.fields["ngay"].initial = day
    return form, unit, day


def _rows(request, unit: OrgUnit, day: date) -> list[badges.Due]:
    return badges.due_on(Member.objects.visible_subtree(request.user, unit.path), day)


@login_required
@no_store
def due_list(request):
    form, unit, day = _chosen(request)
    rows = _rows(request, unit, day) if unit and day else []
    context = {"form": form, "unit": unit, "day": day, "rows": rows, "query": request.GET.urlencode(),
               "can_change": can_anywhere(request.user, "change"), "award_form": AwardForm(),
               "rule": rules.BADGE_RULE, "days": rules.award_days_text()}
    return render(request, "members/badges.html", context)


def _export(request, kind: str):
    form, unit, day = _chosen(request)
    if day is None:
        messages.error(request, "Ngày trao hoặc tổ chức chưa đúng; hãy sửa theo hướng dẫn bên dưới rồi xuất lại.")
        return redirect(f"{reverse('members-badges')}?{request.GET.urlencode()}")
    if unit is None:
        raise Http404("Bạn chưa được phân quyền ở tổ chức nào.")
    rows = _rows(request, unit, day)
    name = f"huy-hieu-dang-{day:%Y-%m-%d}"
    if kind == "docx":
        return download(badges.export_docx(rows, unit, day), f"{name}.docx", DOCX)
    return download(badges.export_xlsx(rows, day), f"{name}.xlsx", XLSX)


@login_required
def export_docx(request):
    return _export(request, "docx")


@login_required
def export_xlsx(request):
    return _export(request, "xlsx")


@login_required
@no_store
def record(request):
    """Record an award: from a row of the list (its date and years filled in), or any member by number,
    early awards included."""
    form = AwardForm(request.POST or None, initial={"member": request.GET.get("member"),
                                                     "years": request.GET.get("years"),
                                                     "awarded_on": request.GET.get("ngay")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = get_object_or_404(Member.objects.visible_to(request.user, "change").select_related("unit"),
                                   pk=data["member"])
        try:
            badges.record_award(member, years=data["years"], awarded_on=data["awarded_on"],
                                decision_number=data["decision_number"], early=data["early"] or "",
                                early_reason=data["early_reason"], by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã ghi nhận Huy hiệu {data['years']} năm tuổi Đảng cho {member.full_name}.")
            return redirect(f"{reverse('members-badges')}?ngay={data['awarded_on']:%d/%m/%Y}")
    return render(request, "members/badge_form.html", {"form": form, "rule": rules.BADGE_RULE})
