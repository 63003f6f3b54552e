"""Forms of the register: a document entered with its number or given the next one, its links typed as
symbols ("21-KL/TW"), and a dissemination record. The rules live in `documents.services`."""

from django import forms

from core.forms import UnitChoiceField, VnDateField
from documents.models import Dissemination, Document
from documents.rules import DocType
from documents.symbols import parse, symbol_error
from orgs.models import OrgUnit

SYMBOL_HELP = "Ví dụ: Số 25-KH/ĐU, 21-KL/TW. Để trống để hệ thống cấp số tiếp theo của tổ chức đã chọn."


class SymbolField(forms.CharField):
    """A document symbol as officers type it; cleaned to a `symbols.Symbol`."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        symbol = parse(text)
        if symbol is None:
            raise forms.ValidationError(symbol_error(text))
        return symbol


class LinkField(SymbolField):
    """A link to a document already in the register, typed as its symbol."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self, value):
        symbol = super().clean(value)
        if symbol is None:
            return None
        found = list(Document.objects.visible_to(self.user).filter(
            number=symbol.number, doc_type=symbol.doc_type, issuer=symbol.issuer).order_by("-issued_on")[:2])
        if not found:
            raise forms.ValidationError(f"Chưa có văn bản {symbol} trong sổ; hãy ghi văn bản đó trước.")
        return found[0]


class DocumentForm(forms.Form):
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label="Tổ chức ban hành", required=False,
                           empty_label="— Cấp ngoài hệ thống (Trung ương…) —")
    symbol = SymbolField(label="Số, ký hiệu", max_length=40, required=False, help_text=SYMBOL_HELP)
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=DocType.choices)
    issued_on = VnDateField(label="Ngày ban hành")
    title = forms.CharField(label="Trích yếu", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label="Trạng thái", choices=Document.Status.choices, initial=Document.Status.ISSUED)
    implements = LinkField(label="Thực hiện văn bản", max_length=40, required=False,
                           help_text="Số, ký hiệu của văn bản cấp trên mà văn bản này cụ thể hóa, ví dụ 21-KL/TW.")
    replaces = LinkField(label="Thay thế văn bản", max_length=40, required=False)
    review_due = VnDateField(label="Hạn sơ kết", required=False)
    final_review_due = VnDateField(label="Hạn tổng kết", required=False)
    attachment = forms.FileField(label="Tệp đính kèm", required=False)

    def __init__(self, *args, user, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["implements"].user = self.fields["replaces"].user = user

    def clean(self):
        data = super().clean()
        symbol, unit = data.get("symbol"), data.get("unit")
        if symbol is None and unit is None and "symbol" not in self.errors:
            self.add_error("symbol", "Văn bản của cấp ngoài hệ thống phải ghi số, ký hiệu của nó.")
        if symbol is not None and data.get("doc_type") and symbol.doc_type != data["doc_type"]:
            self.add_error("doc_type", f"Ký hiệu {symbol} là loại {symbol.doc_type}, khác loại đã chọn; hãy chọn lại.")
        return data


class EditForm(forms.Form):
    status = forms.ChoiceField(label="Trạng thái", choices=Document.Status.choices)
    review_due = VnDateField(label="Hạn sơ kết", required=False)
    reviewed_on = VnDateField(label="Đã sơ kết ngày", required=False)
    final_review_due = VnDateField(label="Hạn tổng kết", required=False)
    final_reviewed_on = VnDateField(label="Đã tổng kết ngày", required=False)


class DisseminationForm(forms.Form):
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), label="Tổ chức quán triệt")
    held_on = VnDateField(label="Ngày quán triệt")
    form = forms.ChoiceField(label="Hình thức", choices=Dissemination.Form.choices)
    attended = forms.IntegerField(label="Số đảng viên dự", min_value=0)
    total = forms.IntegerField(label="Tổng số đảng viên", min_value=1,
                               help_text="Để trống: số đảng viên của tổ chức vào ngày quán triệt.", required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, prefix="qt", **kwargs)
        self.fields["unit"].queryset = units


class SearchForm(forms.Form):
    q = forms.CharField(label="Số ký hiệu hoặc trích yếu", required=False)
    loai = forms.ChoiceField(label="Loại", choices=[("", "Tất cả")] + DocType.choices, required=False)
    co_quan = forms.CharField(label="Cơ quan ban hành", required=False, max_length=20,
                              widget=forms.TextInput(attrs={"placeholder": "TU, ĐU, CB…", "size": 10}))
    tu = VnDateField(label="Ban hành từ ngày", required=False)
    den = VnDateField(label="đến ngày", required=False)
