"""Forms of the admission pages. Choices come through `visible_to`; the rules live in the services, whose
DomainError lands on the field it names (core.forms.show_error). Dates typed dd/mm/yyyy."""

from django import forms
from django.db import models

from admission.models import Candidate, Proposal, Stage, StepKind
from core.forms import VnDateField, unit_choice
from core.scoping import can
from members.choices import Status
from members.models import LEFT_STATUSES, Member
from orgs.models import OrgUnit

SELECT_MAX = 300  # members offered in a list; more are chosen by their record number
CELL_KINDS = ["chi_bo", "chi_bo_co_so"]
FORM_FIELDS = [
    "registered_on", "full_name", "gender", "birth_date", "citizen_id", "ethnicity", "religion", "hometown",
    "current_address", "phone", "general_education", "education_exception", "professional_qualification", "degree",
    "political_theory", "occupation", "workplace", "over_age_consent_number", "over_age_consent_on",
    "former_member", "readmission_reason", "helpers", "certificate_number", "certificate_on", "application_on",
    "cv_on", "mass_comment_on", "residence_comment_on", "verified_on", "introduction", "introduction_on",
    "introducer_1", "introducer_1_since", "introducer_2", "introducer_2_since", "notes",
]
SECTIONS = [
    ("Thông tin cá nhân", FORM_FIELDS[:17]),
    ("Kết nạp lại (người đã từng là đảng viên)", ["former_member", "readmission_reason"]),
    ("Giúp đỡ, bồi dưỡng và hồ sơ", ["helpers", "certificate_number", "certificate_on", "application_on", "cv_on",
                                     "mass_comment_on", "residence_comment_on", "verified_on"]),
    ("Người giới thiệu", ["introduction", "introduction_on", "introducer_1", "introducer_1_since", "introducer_2",
                          "introducer_2_since", "notes"]),
]


class MemberChoice(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Đảng viên đã chọn không có trong danh sách; hãy chọn lại."}

    def label_from_instance(self, m) -> str:
        return f"{m.full_name} ({m.birth_date:%Y})" if m.birth_date else m.full_name


class MembersChoice(forms.ModelMultipleChoiceField):
    default_error_messages = {"invalid_choice": "Đảng viên đã chọn không có trong danh sách; hãy chọn lại.",
                              "invalid_pk_value": "“%(pk)s” không phải mã hồ sơ đảng viên."}

    def label_from_instance(self, m) -> str:
        return MemberChoice.label_from_instance(self, m)


def _date_field(field: models.Field, **kwargs):
    if isinstance(field, models.DateField):
        return VnDateField(label=field.verbose_name[:1].upper() + field.verbose_name[1:], required=not field.blank)
    return field.formfield(**kwargs)


class ChooseCellForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label="Chi bộ")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cells = OrgUnit.objects.visible_to(user, "change").open().filter(kind__in=CELL_KINDS)
        self.fields["unit"] = unit_choice(cells, "Chi bộ xem xét kết nạp")


class CandidateForm(forms.ModelForm):
    """The candidate's data and dossier for one cell (`unit`): the members offered are that cell's."""

    class Meta:
        model = Candidate
        fields = FORM_FIELDS
        formfield_callback = _date_field
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, unit: OrgUnit, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        officials = (Member.objects.visible_to(user).filter(org_path__startswith=unit.path, status=Status.OFFICIAL)
                     .order_by("sort_key", "id"))
        many = officials[:SELECT_MAX + 1].count() > SELECT_MAX
        for name in ("introducer_1", "introducer_2"):
            old = self.fields[name]
            self.fields[name] = MemberChoice(queryset=officials, label=old.label, required=False)
        self.fields["helpers"] = MembersChoice(queryset=officials, label="Đảng viên được phân công giúp đỡ",
                                               required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
        former = Member.objects.visible_to(user).filter(status__in=LEFT_STATUSES)
        self.fields["former_member"] = forms.ModelChoiceField(
            queryset=former, required=False, label="Mã hồ sơ đảng viên cũ",
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10}),
            help_text="Chỉ khi kết nạp lại: số trong địa chỉ trang hồ sơ (…/dang-vien/123/).",
            error_messages={"invalid_choice": "Không có hồ sơ người đã ra khỏi Đảng với mã này trong phạm vi của bạn."})
        if many:  # a big cell: members by their record number
            for name in ("introducer_1", "introducer_2"):
                self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 10})
                self.fields[name].help_text = "Mã hồ sơ đảng viên: số trong địa chỉ trang hồ sơ."
        # CCCD and religion follow members.privacy: a cell's secretary neither sees nor writes them.
        self.may_see_sensitive = can(user, "sensitive", unit.path)
        if not self.may_see_sensitive:
            for name in ("citizen_id", "religion"):
                del self.fields[name]
        self.fields["introducer_1_since"].label = "Người thứ nhất cùng công tác, học tập, cư trú từ ngày"
        self.fields["introducer_2"].help_text = "Khi giới thiệu bằng Đoàn hoặc Công đoàn: để trống."

    def sections(self):
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in SECTIONS]

    def _post_clean(self):
        # The rules are the service's (it writes the record); the model's own validation would only repeat a
        # subset of them with less clear messages.
        pass


class StepForm(forms.Form):
    kind = forms.ChoiceField(label="Bước")
    on = VnDateField(label="Ngày")
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0, required=False,
                                   help_text="Với nghị quyết của chi bộ, đảng ủy: số người tán thành.")
    committee_size = forms.IntegerField(label="Số cấp ủy viên", min_value=1, required=False,
                                        help_text="Với nghị quyết đảng ủy cơ sở, khi cấp ủy chưa được ghi ở trang "
                                                  "Cơ quan, đại hội.")
    proposal = forms.ChoiceField(label="Chi bộ đề nghị", choices=[("", "—")] + Proposal.choices, required=False)
    number = forms.CharField(label="Số văn bản / quyết định", max_length=60, required=False)
    received_on = VnDateField(label="Ngày chi bộ nhận quyết định", required=False,
                              help_text="Với quyết định kết nạp; để trống nếu cùng ngày quyết định.")
    note = forms.CharField(label="Ghi chú", max_length=255, required=False,
                           help_text="Lý do gia hạn, dừng; văn bản đồng ý khi tổ chức lễ kết nạp quá hạn.")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, prefix="buoc", **kwargs)
        self.fields["kind"].choices = [(k, StepKind(k).label) for k in kinds]


class FilterForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False)
    stage = forms.ChoiceField(label="Bước", required=False,
                              choices=[("", "Tất cả"), ("dang_mo", "Đang theo dõi (chưa kết thúc)")] + Stage.choices)
    overdue = forms.BooleanField(label="Chỉ hồ sơ quá hạn", required=False)
    q = forms.CharField(label="Họ tên", required=False, max_length=80)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_choice(OrgUnit.objects.visible_to(user).exclude(kind="to_dang"), "Tổ chức",
                                          required=False)
        self.fields["unit"].empty_label = "Tất cả trong phạm vi của bạn"
