from django import forms

from calendars.models import DayKind
from core.forms import VnDateField


class DayExceptionForm(forms.Form):
    day = VnDateField(label="Ngày")
    kind = forms.ChoiceField(label="Loại", choices=DayKind.choices,
                             error_messages={"required": "Hãy chọn ngày nghỉ hay ngày làm bù.",
                                             "invalid_choice": "Loại không hợp lệ; hãy chọn ngày nghỉ hoặc ngày làm bù."})
    note = forms.CharField(label="Ghi chú", max_length=255, required=False,
                           error_messages={"max_length": "Ghi chú dài quá 255 ký tự; hãy rút gọn."})
    source = forms.CharField(label="Căn cứ (văn bản công bố)", max_length=255,
                             error_messages={"required": "Hãy ghi văn bản công bố, ví dụ Thông báo 6150/TB-BLĐTBXH.",
                                             "max_length": "Căn cứ dài quá 255 ký tự; hãy rút gọn."})
