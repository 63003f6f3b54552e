"""Forms of the commendations and "Dân vận khéo" pages; the rules live in `assessment.awards`."""

from django import forms
from django.utils import timezone

from assessment.models import AwardKind, MobilizationModel, ModelField, ModelStatus, RecognitionLevel
from core.forms import VnDateField, unit_choice
from members.models import Member
from orgs.models import OrgUnit


class CommendationForm(forms.Form):
    member = forms.IntegerField(label="Cá nhân (mã hồ sơ đảng viên)", required=False,
                                help_text="Số trong địa chỉ trang hồ sơ …/dang-vien/123/; để trống nếu khen tập thể.")
    kind = forms.ChoiceField(label="Hình thức", choices=AwardKind.choices)
    issuer = forms.CharField(label="Cơ quan khen thưởng", max_length=255)
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decided_on = VnDateField(label="Ngày quyết định")
    reason = forms.CharField(label="Thành tích", max_length=500)
    year = forms.IntegerField(label="Năm thành tích", required=False, min_value=1930)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="khen", **kwargs)
        self.user = user
        self.fields = {"unit": unit_choice(OrgUnit.objects.visible_to(user, "change"), "Tập thể", required=False),
                       **self.fields}

    def clean_member(self):
        pk = self.cleaned_data.get("member")
        if pk is None:
            return None
        member = Member.objects.visible_to(self.user).filter(pk=pk).first()
        if member is None:
            raise forms.ValidationError(f"Không tìm thấy đảng viên số {pk} trong phạm vi của bạn.")
        return member


class ModelForm(forms.Form):
    name = forms.CharField(label="Tên mô hình", max_length=255)
    field = forms.ChoiceField(label="Lĩnh vực", choices=ModelField.choices)
    collective = forms.TypedChoiceField(label="Chủ mô hình là", choices=[("1", "Tập thể"), ("0", "Cá nhân")],
                                        coerce=lambda v: v == "1", initial="1")
    owner = forms.CharField(label="Chủ mô hình", max_length=255)
    year = forms.IntegerField(label="Năm đăng ký", min_value=1930)
    registered_on = VnDateField(label="Ngày đăng ký")
    evidence = forms.CharField(label="Minh chứng, hiệu quả", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="mo-hinh", **kwargs)
        self.fields = {"unit": unit_choice(OrgUnit.objects.visible_to(user, "change").open(), "Đơn vị đăng ký"),
                       **self.fields}
        self.fields["year"].initial = timezone.localdate().year


class AdvanceForm(forms.Form):
    model = forms.ModelChoiceField(queryset=MobilizationModel.objects.none(), label="Mô hình")
    status = forms.ChoiceField(label="Bước", choices=[c for c in ModelStatus.choices if c[0] != ModelStatus.REGISTERED])
    on = VnDateField(label="Ngày")
    level = forms.ChoiceField(label="Cấp công nhận", choices=[("", "—")] + RecognitionLevel.choices, required=False)
    evidence = forms.CharField(label="Minh chứng bổ sung", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="buoc", **kwargs)
        self.fields["model"].queryset = (MobilizationModel.objects.visible_to(user, "change")
                                         .exclude(status=ModelStatus.RECOGNIZED).order_by("unit__path", "name"))
