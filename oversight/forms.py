"""Forms of the oversight pages. Every choice comes through `visible_to(user, "inspect")`; the rules live in
`oversight.services`, whose DomainError lands on the field it names (core.forms.show_error)."""

from django import forms

from bodies.models import Body
from core.forms import VnDateField, unit_choice
from members.models import Member
from orgs.models import OrgUnit
from oversight.models import ACTION, AppealOutcome, Outcome, PetitionKind
from oversight.rules import CaseType, Category, Form

SELECT_MAX = 300  # members offered in a list: choose a smaller unit to see others


class MemberChoice(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Đảng viên đã chọn không có trong phạm vi của bạn; hãy chọn lại."}

    def label_from_instance(self, m) -> str:
        return f"{m.full_name} · {m.unit.name}"


class MembersChoice(forms.ModelMultipleChoiceField):
    default_error_messages = {"invalid_choice": "Đảng viên đã chọn không có trong phạm vi của bạn; hãy chọn lại.",
                              "invalid_pk_value": "Đảng viên đã chọn không hợp lệ."}

    def label_from_instance(self, m) -> str:
        return f"{m.full_name} · {m.unit.name}"


def _members(user, within: OrgUnit | None):
    rows = Member.objects.visible_to(user, ACTION).active().select_related("unit").order_by("org_path", "full_name")
    return rows.filter(org_path__startswith=within.path) if within else rows


def _offer(field, within, user) -> None:
    """Validate against every member in reach, list at most SELECT_MAX of `within` (a cell, a commune)."""
    field.queryset = _members(user, None)
    shown = _members(user, within)[:SELECT_MAX]
    blank = [("", "— chọn đảng viên —")] if not isinstance(field, forms.ModelMultipleChoiceField) else []
    field.widget.choices = blank + [(m.pk, field.label_from_instance(m)) for m in shown]


def _bodies(user):
    return Body.objects.visible_to(user, ACTION).select_related("unit").order_by("unit__path", "kind")


class BodyChoice(forms.ModelChoiceField):
    def label_from_instance(self, b) -> str:
        return b.name


class CaseForm(forms.Form):
    case_type = forms.ChoiceField(label="Loại", choices=CaseType.choices)
    body = BodyChoice(queryset=Body.objects.none(), label="Cơ quan thực hiện")
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 3}))
    opened_on = VnDateField(label="Ngày bắt đầu")
    due_on = VnDateField(label="Hạn kết thúc", required=False)
    members = MembersChoice(queryset=Member.objects.none(), label="Đảng viên là đối tượng", required=False)

    def __init__(self, *args, user, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(user)
        self.fields["units"] = forms.ModelMultipleChoiceField(
            queryset=OrgUnit.objects.visible_to(user, ACTION).order_by("path"), required=False,
            label="Tổ chức đảng là đối tượng")
        _offer(self.fields["members"], within, user)


class StepForm(forms.Form):
    on = VnDateField(label="Ngày")
    text = forms.CharField(label="Bước đã làm", max_length=500)


class ConcludeForm(forms.Form):
    concluded_on = VnDateField(label="Ngày kết luận")
    violation = forms.TypedChoiceField(label="Kết luận", coerce=lambda v: v == "1",
                                       choices=[("1", "Có vi phạm"), ("0", "Không vi phạm")])
    conclusion = forms.CharField(label="Nội dung kết luận", widget=forms.Textarea(attrs={"rows": 3}))
    proposal = forms.CharField(label="Kiến nghị, đề nghị (hình thức kỷ luật…)", required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class DisciplineForm(forms.Form):
    member = MemberChoice(queryset=Member.objects.none(), label="Đảng viên bị kỷ luật", required=False)
    form = forms.ChoiceField(label="Hình thức", choices=Form.choices)
    deciding_body = BodyChoice(queryset=Body.objects.none(), label="Cơ quan quyết định", required=False,
                               help_text="Để trống khi chi bộ quyết định tại cuộc họp chi bộ.")
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0)
    votes_total = forms.IntegerField(label="Tổng số đảng viên chính thức (thành viên)", min_value=1,
                                     help_text="Toàn bộ đảng viên chính thức, trừ người sinh hoạt tạm thời nơi khác "
                                               "và người được miễn sinh hoạt vắng mặt.")
    proposal_for = forms.IntegerField(label="Số đề nghị của tổ chức cấp dưới (khai trừ, giải tán)", min_value=0,
                                      required=False)
    proposal_total = forms.IntegerField(label="Trên tổng số", min_value=1, required=False)
    violation_on = VnDateField(label="Ngày vi phạm (ngày chấm dứt, nếu kéo dài)")
    new_violation_on = VnDateField(label="Ngày vi phạm mới trong thời hiệu (nếu có)", required=False)
    deferred_days = forms.IntegerField(label="Số ngày chưa xem xét kỷ luật (không tính thời hiệu)", min_value=0,
                                       initial=0, required=False)
    categories = forms.MultipleChoiceField(label="Loại vi phạm", choices=Category.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decided_on = VnDateField(label="Ngày quyết định")
    effective_on = VnDateField(label="Ngày công bố (có hiệu lực)", required=False)

    def __init__(self, *args, user, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user, ACTION)
        self.fields["deciding_unit"] = unit_choice(units, "Tổ chức quyết định")
        self.fields["subject_unit"] = unit_choice(units, "Hoặc tổ chức đảng bị kỷ luật", required=False)
        self.fields["deciding_body"].queryset = _bodies(user)
        _offer(self.fields["member"], within, user)
        self.order_fields(["member", "subject_unit", "form", "deciding_unit", "deciding_body"])


class AppealForm(forms.Form):
    appealed_on = VnDateField(label="Ngày khiếu nại")
    appeal_to = forms.CharField(label="Gửi đến (cấp ủy, ủy ban kiểm tra cấp trên)", max_length=255)


class SettleAppealForm(forms.Form):
    outcome = forms.ChoiceField(label="Kết quả", choices=[c for c in AppealOutcome.choices if c[0]])
    on = VnDateField(label="Ngày giải quyết")


class PetitionForm(forms.Form):
    kind = forms.ChoiceField(label="Loại đơn", choices=PetitionKind.choices)
    body = BodyChoice(queryset=Body.objects.none(), label="Cơ quan tiếp nhận")
    received_on = VnDateField(label="Ngày nhận")
    anonymous = forms.BooleanField(label="Đơn giấu tên, mạo tên", required=False)
    sender = forms.CharField(label="Người gửi", max_length=255, required=False)
    member = MemberChoice(queryset=Member.objects.none(), label="Đảng viên bị khiếu nại, tố cáo", required=False)
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(user)
        self.fields["subject_unit"] = unit_choice(OrgUnit.objects.visible_to(user, ACTION), "Hoặc tổ chức đảng",
                                                  required=False)
        _offer(self.fields["member"], within, user)


class ClosePetitionForm(forms.Form):
    outcome = forms.ChoiceField(label="Kết quả", choices=[c for c in Outcome.choices if c[0]])
    closed_on = VnDateField(label="Ngày kết thúc")
    routed_to = forms.CharField(label="Chuyển đến (nếu chuyển)", max_length=255, required=False)


class PeriodForm(forms.Form):
    from_on = VnDateField(label="Từ ngày")
    to_on = VnDateField(label="Đến ngày")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_choice(OrgUnit.objects.visible_to(user, ACTION), "Tổ chức")
        self.order_fields(["unit", "from_on", "to_on"])

    def clean(self):
        data = super().clean()
        if data.get("from_on") and data.get("to_on") and data["to_on"] < data["from_on"]:
            self.add_error("to_on", "Ngày kết thúc kỳ phải sau ngày bắt đầu.")
        return data


class NewViolationForm(forms.Form):
    on = VnDateField(label="Ngày tái phạm / vi phạm mới")


class StateNoticeForm(forms.Form):
    member = MemberChoice(queryset=Member.objects.none(), label="Đảng viên")
    issuer = forms.CharField(label="Cơ quan thông báo (cơ quan nhà nước, MTTQ, đoàn thể, tòa án)", max_length=255)
    measure = forms.CharField(label="Hình thức kỷ luật, đình chỉ, bản án", max_length=255)
    decided_on = VnDateField(label="Ngày quyết định")
    received_on = VnDateField(label="Ngày nhận thông báo")
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)

    def __init__(self, *args, user, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self.fields["member"], within, user)


class ProgrammeForm(forms.Form):
    body = BodyChoice(queryset=Body.objects.none(), label="Cơ quan")
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    adopted_on = VnDateField(label="Ngày thông qua")

    def __init__(self, *args, user, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(user)


class ProgrammeItemForm(forms.Form):
    case_type = forms.ChoiceField(label="Loại", choices=CaseType.choices)
    content = forms.CharField(label="Nội dung, đối tượng", max_length=500)
    planned_month = forms.IntegerField(label="Tháng dự kiến", min_value=1, max_value=12)


class LinkCaseForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    case = forms.IntegerField(label="Mã cuộc kiểm tra, giám sát đã tiến hành")
