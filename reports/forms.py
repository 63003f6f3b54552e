from django import forms

from core.forms import VnDateField, unit_choice
from figures import indicators
from orgs.models import OrgUnit
from reports import defaults
from reports.models import ReportTemplate


class ReportForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_choice(OrgUnit.objects.visible_to(user, "documents"), "Tổ chức")
        self.fields["template"] = forms.ModelChoiceField(ReportTemplate.objects.all(), label="Mẫu báo cáo",
                                                         empty_label="— chọn mẫu —")
        self.fields["period_start"] = VnDateField(label="Từ ngày")
        self.fields["period_end"] = VnDateField(label="Đến ngày")
        self.fields["title"] = forms.CharField(label="Trích yếu (để trống: theo mẫu)", required=False, max_length=300)


class TextsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, heading in defaults.SECTIONS.items():
            self.fields[name] = forms.CharField(label=heading, required=False,
                                                widget=forms.Textarea(attrs={"rows": 5}))


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label="Tệp mẫu (.docx)")


class RequestForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_choice(OrgUnit.objects.visible_to(user, "documents"), "Cấp yêu cầu")
        self.fields["template"] = forms.ModelChoiceField(ReportTemplate.objects.all(), label="Mẫu báo cáo",
                                                         empty_label="— chọn mẫu —")
        self.fields["period_start"] = VnDateField(label="Từ ngày")
        self.fields["period_end"] = VnDateField(label="Đến ngày")
        self.fields["deadline"] = VnDateField(label="Hạn nộp")


class SubmitForm(forms.Form):
    """One box per indicator for the figures the records cannot give (declared by hand)."""

    def __init__(self, *args, reports=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"] = forms.ModelChoiceField(reports, label="Báo cáo nộp kèm", required=False,
                                                       empty_label="— không kèm —")
        for ind in indicators.all_indicators():
            self.fields[f"declared_{ind.code}"] = forms.DecimalField(
                label=f"{ind.label} ({ind.measure})", required=False, min_value=0)

    def declared(self) -> dict:
        return {k.removeprefix("declared_"): v for k, v in self.cleaned_data.items()
                if k.startswith("declared_") and v is not None}
