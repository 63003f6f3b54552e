"""Forms of the target pages. Choices come through `visible_to`; the rules live in `targets.services`, whose
DomainError lands on the field it names (core.forms.show_error). A form re-shown after an error keeps what
the user typed (bound forms)."""

import re

from django import forms
from django.db.models import Q

from core.forms import VnDateField
from core.tree import ancestors
from documents.models import Document
from targets import computed
from targets.models import TargetGroup
from targets.rules import Direction, Kind, Mode, Source

PLANS_HELP = ("Kế hoạch từng năm: “2026: 120; 2027: 130”. Chỉ một giá trị (ví dụ “4,2”): giá trị cuối nhiệm kỳ, "
              "đặt cho năm “đến năm”.")
_PAIR = re.compile(r"^\s*(\d{4})\s*[:=]\s*(.+?)\s*$")


class DocumentChoice(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Văn bản đã chọn không có trong danh sách; hãy chọn lại.",
                              "required": "Hãy chọn nghị quyết hoặc kế hoạch đặt ra chỉ tiêu."}

    def label_from_instance(self, d) -> str:
        return f"{d.symbol} · {d.title[:80]}"


def documents_for(unit, user):
    """The documents a target of `unit` may belong to: the unit's own, those of the units above it, and the
    central ones (no unit), as far as `user` sees them."""
    return (Document.objects.visible_to(user).filter(Q(unit__isnull=True) | Q(unit__path__in=ancestors(unit.path)))
            .order_by("-issued_on", "-id"))


def parse_plans(text: str, to_year: int | None) -> dict[str, str]:
    """"2026: 120; 2027: 130" -> {"2026": "120", …}; a bare value -> {to_year: value}."""
    text = (text or "").strip()
    if not text:
        raise forms.ValidationError("Hãy ghi kế hoạch, ví dụ “2026: 120” hoặc một giá trị cuối nhiệm kỳ.")
    pieces = [p for p in re.split(r"[;\n]", text) if p.strip()]
    pairs = [_PAIR.match(p) for p in pieces]
    if all(pairs):
        return {m.group(1): m.group(2) for m in pairs}
    if len(pieces) == 1 and not any(pairs):
        if not to_year:
            raise forms.ValidationError("Một giá trị cuối nhiệm kỳ cần “đến năm”; hoặc ghi “năm: giá trị”.")
        return {str(to_year): pieces[0].strip()}
    raise forms.ValidationError("Không đọc được kế hoạch; hãy ghi “năm: giá trị; năm: giá trị”, ví dụ “2026: 120; "
                                "2027: 130”.")


class TargetForm(forms.Form):
    document = DocumentChoice(queryset=Document.objects.none(), label="Nghị quyết, kế hoạch")
    group = forms.ModelChoiceField(queryset=TargetGroup.objects.all(), label="Nhóm", empty_label="— chọn nhóm —",
                                   error_messages={"required": "Hãy chọn nhóm chỉ tiêu."})
    name = forms.CharField(label="Tên chỉ tiêu", max_length=500)
    kind = forms.ChoiceField(label="Loại", choices=Kind.choices)
    direction = forms.ChoiceField(label="Chiều", choices=Direction.choices)
    measure = forms.CharField(label="Đơn vị tính", max_length=40, required=False, help_text="đảng viên, %, hộ…")
    baseline = forms.CharField(label="Giá trị gốc (đầu kỳ)", max_length=20, required=False)
    from_year = forms.IntegerField(label="Từ năm", min_value=1930, max_value=2100, required=False)
    to_year = forms.IntegerField(label="Đến năm", min_value=1930, max_value=2100, required=False)
    plans = forms.CharField(label="Kế hoạch", max_length=400, help_text=PLANS_HELP)
    source = forms.ChoiceField(label="Nguồn số liệu", choices=Source.choices)
    computed_key = forms.ChoiceField(label="Cách tính (khi tính từ hồ sơ)", required=False)

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, prefix="chi-tieu", **kwargs)
        self.fields["document"].queryset = documents_for(unit, user)
        self.fields["computed_key"].choices = [("", "—")] + computed.choices()

    def clean(self):
        data = super().clean()
        if "plans" in data:
            try:
                data["plans"] = parse_plans(data["plans"], data.get("to_year"))
            except forms.ValidationError as e:
                self.add_error("plans", e)
        return data


class ValueForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=1930, max_value=2100)
    period_end = VnDateField(label="Kỳ kết thúc ngày", required=False,
                             help_text="Để trống: cả năm (31/12). Kết quả giữa năm: ngày cuối quý, cuối tháng.")
    value = forms.CharField(label="Kết quả", max_length=40, help_text="Số; tỷ lệ ghi 95 hoặc 95,5; có/không.")
    evidence = forms.CharField(label="Minh chứng", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                               help_text="Báo cáo, văn bản xác nhận số liệu (số, ngày).")
    attachment = forms.CharField(label="Tên tệp minh chứng", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="ket-qua", **kwargs)


class CascadeForm(forms.Form):
    """One row per unit below: a share for each planned year (allocation) or a tick (same threshold)."""

    mode = forms.ChoiceField(label="Cách giao", choices=Mode.choices)

    def __init__(self, *args, target, units, years, **kwargs):
        super().__init__(*args, prefix="giao", **kwargs)
        self.units, self.years = list(units), list(years)
        for u in self.units:
            self.fields[f"chon_{u.pk}"] = forms.BooleanField(label=u.name, required=False)
            for y in self.years:
                self.fields[f"u{u.pk}_{y}"] = forms.CharField(label=f"{u.name} năm {y}", max_length=20,
                                                              required=False)
        if target.kind != Kind.COUNT:
            self.fields["mode"].choices = [(Mode.THRESHOLD.value, Mode.THRESHOLD.label)]

    def rows(self):
        """(unit, tick field, [year fields]) for the template."""
        return [(u, self[f"chon_{u.pk}"], [self[f"u{u.pk}_{y}"] for y in self.years]) for u in self.units]

    def parts(self) -> list:
        d, out = self.cleaned_data, []
        for u in self.units:
            plans = {str(y): d.get(f"u{u.pk}_{y}") for y in self.years if (d.get(f"u{u.pk}_{y}") or "").strip()}
            if d["mode"] == Mode.ALLOCATE and plans:
                out.append((u, plans))
            elif d["mode"] == Mode.THRESHOLD and (d.get(f"chon_{u.pk}") or plans):
                out.append((u, None))
        return out


class PopulationForm(forms.Form):
    on = VnDateField(label="Tính đến ngày")
    value = forms.IntegerField(label="Dân số", min_value=1)
    source = forms.CharField(label="Nguồn", max_length=255, help_text="Chi cục Thống kê, Công an xã…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="dan-so", **kwargs)


class ImportForm(forms.Form):
    document = DocumentChoice(queryset=Document.objects.none(), label="Nghị quyết, kế hoạch")
    file = forms.FileField(label="Tệp Excel (.xlsx)", error_messages={"required": "Hãy chọn tệp Excel."})

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, prefix="nhap", **kwargs)
        self.fields["document"].queryset = documents_for(unit, user)
