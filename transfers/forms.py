"""Forms of the transfer pages. The rules live in `transfers.services`, whose DomainError lands on the field
it names (core.forms.show_error); the forms only read what was typed."""

from django import forms

from core.forms import VnDateField, unit_choice
from core.tree import SEGMENT, ancestors
from orgs.models import Kind as UnitKind
from orgs.models import OrgUnit
from transfers.models import Kind, Purpose
from transfers.services import CELL_KINDS, RECEIVING_KINDS


def receiving_units(member_unit: OrgUnit):
    """Units a letter from `member_unit` may be addressed to: the open cells and committees of its province (or
    the committee directly under the Centre; else the tree's root), names only: the sender must name the
    receiving unit, which is outside their reach. Elsewhere: the API takes any unit's id, or the letter names
    an organization outside the system."""
    province = (OrgUnit.objects.filter(path__in=ancestors(member_unit.path), kind__in=[UnitKind.PROVINCE, UnitKind.UNDER_CENTRAL])
                .order_by("depth").values_list("path", flat=True).first())
    top = province or member_unit.path[:SEGMENT]
    return (OrgUnit.objects.filter(path__startswith=top, valid_to__isnull=True, kind__in=RECEIVING_KINDS)
            .exclude(pk=member_unit.pk))


class StartForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=Kind.choices, initial=Kind.OFFICIAL,
                             widget=forms.RadioSelect)
    purpose = forms.ChoiceField(label="Lý do", choices=Purpose.choices)
    to_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False)
    to_outside = forms.CharField(label="Hoặc: tổ chức đảng nơi đến ngoài hệ thống", max_length=255, required=False,
                                 help_text="Ví dụ: Chi bộ Phòng Tổ chức, Đảng ủy Sở Nội vụ tỉnh Bình Định")
    reason_on = VnDateField(label="Ngày quyết định có hiệu lực hoặc ngày chuyển nơi ở")
    decision_number = forms.CharField(label="Số quyết định (nếu có)", max_length=120, required=False)
    started_on = VnDateField(label="Ngày giới thiệu")
    temp_from = VnDateField(label="Sinh hoạt tạm thời từ ngày", required=False)
    temp_until = VnDateField(label="đến ngày", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        field = unit_choice(receiving_units(member.unit), "Tổ chức nơi đến (trong hệ thống)", required=False)
        self.fields["to_unit"] = field
        self.order_fields(["kind", "purpose", "to_unit", "to_outside"])


class PresentForm(forms.Form):
    on = VnDateField(label="Ngày nộp giấy giới thiệu")
    late_reason = forms.CharField(label="Lý do nộp chậm (khi quá hạn)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(forms.Form):
    on = VnDateField(label="Ngày tiếp nhận")
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False)
    late_reason = forms.CharField(label="Lý do nộp giấy giới thiệu chậm (khi quá hạn)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, transfer, user, **kwargs):
        super().__init__(*args, **kwargs)
        if transfer.to_unit_id and transfer.to_unit.kind not in CELL_KINDS and transfer.kind == Kind.OFFICIAL:
            cells = (OrgUnit.objects.visible_to(user).filter(path__startswith=transfer.to_unit.path,
                                                            valid_to__isnull=True, kind__in=CELL_KINDS))
            self.fields["unit"] = unit_choice(cells, "Chi bộ nơi đảng viên sinh hoạt", required=True)
        else:
            del self.fields["unit"]
        if transfer.presented_on is not None:  # only an unpresented letter can be late at acceptance
            del self.fields["late_reason"]


class CloseForm(forms.Form):
    on = VnDateField(label="Ngày")
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    on = VnDateField(label="Ngày trở về sinh hoạt ở chi bộ chính thức")
