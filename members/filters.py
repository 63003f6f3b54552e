"""The member list's filters, written once for the page, the API and the exports."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils import timezone

from core.scoping import can, scope_prefixes
from members.choices import ETHNICITIES, GENERAL_EDUCATION, RELIGIONS, Gender, Status, TheoryLevel
from members.models import MAJORITY_ETHNICITY, Member
from orgs.models import OrgUnit

ACTIVE = ""  # the default status filter: members counted in đảng số
ALL = "tat_ca"
MINORITY = "thieu_so"
SORTS = {"ten": ("sort_key", "id"), "chi_bo": ("org_path", "sort_key", "id"), "tuoi_dang": ("admitted_on", "sort_key")}


def _years_ago(years: int, on: date) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


class MemberFilterForm(forms.Form):
    unit = forms.ModelChoiceField(OrgUnit.objects.none(), required=False, label="Tổ chức",
                                  empty_label="Tất cả trong phạm vi của tôi")
    q = forms.CharField(required=False, label="Họ tên", max_length=80,
                        widget=forms.TextInput(attrs={"placeholder": "Gõ tên, không cần dấu", "type": "search"}))
    status = forms.ChoiceField(required=False, label="Trạng thái", initial=ACTIVE,
                               choices=[(ACTIVE, "Đang sinh hoạt"), *Status.choices, (ALL, "Tất cả")])
    gender = forms.ChoiceField(required=False, label="Giới tính", choices=[("", "Tất cả"), *Gender.choices])
    age_min = forms.IntegerField(required=False, min_value=16, max_value=120, label="Tuổi từ")
    age_max = forms.IntegerField(required=False, min_value=16, max_value=120, label="đến")
    ethnicity = forms.ChoiceField(required=False, label="Dân tộc",
                                  choices=[("", "Tất cả"), (MINORITY, "Dân tộc thiểu số"), *((e, e) for e in ETHNICITIES)])
    religion = forms.ChoiceField(required=False, label="Tôn giáo", choices=[("", "Tất cả"), *((r, r) for r in RELIGIONS)])
    general_education = forms.ChoiceField(required=False, label="Giáo dục phổ thông",
                                          choices=[("", "Tất cả"), *((e, e) for e in GENERAL_EDUCATION)])
    political_theory = forms.ChoiceField(required=False, label="Lý luận chính trị",
                                         choices=[("", "Tất cả"), ("chua", "Chưa qua đào tạo"),
                                                  *TheoryLevel.choices[1:]])
    party_age_min = forms.IntegerField(required=False, min_value=0, max_value=100, label="Tuổi đảng từ (năm)")
    position = forms.CharField(required=False, label="Chức vụ (có chứa)", max_length=80)
    sort = forms.ChoiceField(required=False, label="Sắp xếp",
                             choices=[("ten", "Theo tên (A–Z tiếng Việt)"), ("chi_bo", "Theo chi bộ"),
                                      ("tuoi_dang", "Theo tuổi đảng")])

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: ("· " * u.depth) + u.display_name + (
            "" if u.is_open else " (đã giải thể)")
        if not self.may_see_sensitive():
            del self.fields["religion"]

    def may_see_sensitive(self, unit: OrgUnit | None = None) -> bool:
        """Religion, CCCD and family are shown only to roles that work with them (access.rules)."""
        if unit is not None:
            return can(self.user, "sensitive", unit.path)
        sensitive = scope_prefixes(self.user, "sensitive")
        if sensitive is None:
            return True
        # Everything the user can see must lie where they may also see sensitive fields.
        return all(any(p.startswith(s) for s in sensitive) for p in scope_prefixes(self.user, "view"))

    def clean(self):
        data = super().clean()
        if data.get("age_min") and data.get("age_max") and data["age_min"] > data["age_max"]:
            self.add_error("age_max", "Tuổi “đến” phải lớn hơn hoặc bằng tuổi “từ”.")
        return data

    def apply(self, rows=None, on: date | None = None):
        """The visible members matching the (valid) filters, in the chosen order."""
        on = on or timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("unit") is not None and not self.may_see_sensitive(data["unit"]):
            data.pop("religion", None)
        rows = rows if rows is not None else Member.objects.all()
        if data.get("unit"):
            rows = rows.visible_subtree(self.user, data["unit"].path)
        else:
            rows = rows.visible_to(self.user)
        status = data.get("status", ACTIVE)
        if status == ACTIVE:
            rows = rows.active()
        elif status != ALL:
            rows = rows.filter(status=status)
        rows = rows.search(data.get("q") or "")
        for name in ("gender", "religion", "general_education"):
            if data.get(name):
                rows = rows.filter(**{name: data[name]})
        if data.get("ethnicity") == MINORITY:
            rows = rows.exclude(ethnicity=MAJORITY_ETHNICITY)
        elif data.get("ethnicity"):
            rows = rows.filter(ethnicity=data["ethnicity"])
        if data.get("political_theory") == "chua":
            rows = rows.filter(political_theory="")
        elif data.get("political_theory"):
            rows = rows.filter(political_theory=data["political_theory"])
        if data.get("age_min") is not None:
            rows = rows.filter(birth_date__lte=_years_ago(data["age_min"], on))
        if data.get("age_max") is not None:
            rows = rows.filter(birth_date__gt=_years_ago(data["age_max"] + 1, on))
        if data.get("party_age_min"):
            # Counted from the first admission decision; gaps outside the Party are not subtracted
            # here (the member page shows the exact party age).
            rows = rows.filter(admitted_on__lte=_years_ago(data["party_age_min"], on))
        if data.get("position"):
            rows = rows.filter(Q(position__icontains=data["position"]) | Q(party_positions__icontains=data["position"]))
        return rows.order_by(*SORTS.get(data.get("sort") or "ten"))
