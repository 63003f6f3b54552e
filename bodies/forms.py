"""Forms of the bodies pages. Choices come through `visible_to`; the rules live in the services, whose
DomainError lands on the field it names (members.views.base.show_error)."""

from django import forms

from bodies.models import Body
from bodies.rules import BodyKind, How, Title, body_kinds
from core.forms import VnDateField
from members.models import Member

SELECT_MAX = 300  # members offered in a list; more are chosen by their record number


class MemberChoice(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Đảng viên đã chọn không có trong danh sách; hãy chọn lại.",
                              "required": "Hãy chọn đảng viên."}

    def label_from_instance(self, m) -> str:
        return f"{m.full_name} ({m.birth_date:%Y}) · {m.unit.display_name}" if m.birth_date else m.full_name


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label="Loại cơ quan")
    name = forms.CharField(label="Tên", max_length=255)
    symbol = forms.CharField(label="Ký hiệu", max_length=20, required=False)
    size = forms.IntegerField(label="Số thành viên tối đa", min_value=1, required=False)
    valid_from = VnDateField(label="Từ ngày")

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, prefix="co-quan", **kwargs)
        self.fields["kind"].choices = [(k, BodyKind(k).label) for k in body_kinds(unit.kind)]


class PostForm(forms.Form):
    body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Cơ quan",
                                  error_messages={"invalid_choice": "Cơ quan đã chọn không thuộc tổ chức này."})
    member = MemberChoice(queryset=Member.objects.none(), label="Đảng viên")
    title = forms.ChoiceField(label="Chức vụ", choices=Title.choices)
    how = forms.ChoiceField(label="Hình thức", choices=How.choices, initial=How.ELECTED)
    from_on = VnDateField(label="Từ ngày")
    to_on = VnDateField(label="Đến ngày", required=False)
    decision = forms.CharField(label="Quyết định (số, ngày)", max_length=120, required=False)

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, prefix="chuc-vu", **kwargs)
        self.fields["body"].queryset = Body.objects.visible_to(user).filter(unit=unit)
        members = Member.objects.visible_subtree(user, unit.path).active()
        field = self.fields["member"]
        field.queryset = members.select_related("unit").order_by("sort_key", "id")
        if members[:SELECT_MAX + 1].count() > SELECT_MAX:  # a province: a list too long to send or to scroll
            field.widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 10})
            field.help_text = "Mã hồ sơ đảng viên: số trong địa chỉ trang hồ sơ (…/dang-vien/123/)."


class TermForm(forms.Form):
    label = forms.CharField(label="Nhiệm kỳ", max_length=20, help_text="ví dụ 2020–2025")
    starts_on = VnDateField(label="Từ ngày")
    ends_on = VnDateField(label="Đến ngày", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="nhiem-ky", **kwargs)


class CongressForm(forms.Form):
    term_label = forms.CharField(label="Nhiệm kỳ", max_length=20, help_text="nhiệm kỳ đại hội mở ra, ví dụ 2025–2030")
    planned_on = VnDateField(label="Ngày dự kiến", required=False)
    held_from = VnDateField(label="Khai mạc", required=False)
    held_to = VnDateField(label="Bế mạc", required=False)
    delegates_summoned = forms.IntegerField(label="Đại biểu được triệu tập", min_value=0, required=False)
    delegates_present = forms.IntegerField(label="Đại biểu có mặt", min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="dai-hoi", **kwargs)


class EndPostForm(forms.Form):
    to_on = VnDateField(label="Thôi giữ chức từ ngày")
    decision = forms.CharField(label="Quyết định", max_length=120, required=False)


class ManagedForm(forms.Form):
    body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Ban Thường vụ",
                                  error_messages={"invalid_choice": "Hãy chọn Ban Thường vụ của tổ chức này."})
    member = MemberChoice(queryset=Member.objects.none(), label="Đảng viên")
    from_on = VnDateField(label="Từ ngày")

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, prefix="dien-btv", **kwargs)
        self.fields["body"].queryset = Body.objects.visible_to(user).filter(unit=unit, kind=BodyKind.STANDING)
        posts = PostForm(unit=unit, user=user).fields["member"]  # the same choice of members, list or number
        self.fields["member"].queryset, self.fields["member"].widget = posts.queryset, posts.widget
        self.fields["member"].help_text = posts.help_text
