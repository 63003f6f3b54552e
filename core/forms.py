"""Form fields every app's pages share: dates typed the Vietnamese way, units chosen from the tree.

`core` imports none of our apps: the unit fields take their queryset from the caller, which gets
it through `visible_to`, so a form never offers a unit outside the user's reach.
"""

from django import forms
from django.utils import timezone

from core.errors import DomainError
from core.text import vn_date

# dd/mm/yyyy as people write it, and yyyy-mm-dd as machines and browsers' autofill paste it.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def not_in_the_future(day) -> None:
    """A day to look at: today or one already past; the future has no tree or list yet."""
    if day and day > timezone.localdate():
        raise forms.ValidationError(
            f"Ngày {vn_date(day)} chưa đến, chưa có số liệu. Hãy chọn hôm nay "
            f"({vn_date(timezone.localdate())}) hoặc một ngày đã qua."
        )


class VnDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd), with a message that says how to fix a wrong one."""

    widget = forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": "ngày/tháng/năm", "inputmode": "numeric", "autocomplete": "off", "size": 14},
    )
    default_error_messages = {
        "invalid": "Ngày không hợp lệ. Hãy nhập một ngày có thật theo dạng ngày/tháng/năm, ví dụ 01/07/2025.",
        "required": "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 01/07/2025.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


def indent(depth: int) -> str:
    """Leading space for a unit `depth` levels down in a <select>: no-break spaces, which a browser
    keeps at the start of an option (ordinary ones it drops), so the tree shows without dots or dashes."""
    return "\u00a0" * 4 * max(depth, 0)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit select whose options are indented by depth, so the tree shows in a plain <select>."""

    default_error_messages = {
        "invalid_choice": "Tổ chức đã chọn không có trong danh sách bạn được phép chọn. Hãy chọn lại.",
        "required": "Hãy chọn một tổ chức.",
    }
    base_depth = 0

    def label_from_instance(self, unit) -> str:
        return indent(unit.depth - self.base_depth) + unit.name


def unit_choice(queryset, label: str, **kwargs) -> UnitChoiceField:
    """A UnitChoiceField over `queryset` (already `visible_to` the user), in tree order, indented
    from the highest unit offered."""
    field = UnitChoiceField(queryset=queryset.order_by("path"), label=label, empty_label="— chọn tổ chức —",
                            **kwargs)
    field.base_depth = queryset.order_by("depth").values_list("depth", flat=True).first() or 0
    return field


def show_error(form, exc: DomainError) -> None:
    """Each rule's message on the field it names, or above the form."""
    for e in exc.each():
        form.add_error(e.field if e.field in form.fields else None, e.message)
