"""Forms of the member pages: the lý lịch (create and edit), relatives, a life event, the data-quality
unit picker and the upload of a member list (Excel or CSV).

The forms check the shape of what was typed (a real date, a 12-digit CCCD, a phone number); the
rules of the record (a birth date in the past, admission after the 18th birthday, a CCCD nobody
else has) live in `members.services`, whose DomainError the view puts on the field it names.
Units are offered only through `visible_to(user, "change")`, so a form never offers a unit the
user may not write to. Every message says what is wrong and how to fix it, in Vietnamese.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from core.forms import VnDateField, unit_choice
from core.scoping import can, scope_prefixes
from members import history, rules
from members.choices import ACTIVE, ETHNICITIES, GENERAL_EDUCATION, RELIGIONS, EventKind, LeaveReason, Status
from members.models import Member, Relative
from members.services import PROFILE_FIELDS
from members.spreadsheet import CellError, parse_phone
from orgs.models import CELL_KINDS, OrgUnit

SENSITIVE_FIELDS = ("citizen_id", "religion")
DATE_FIELDS = ("birth_date", "admitted_on", "recognized_on", "over_age_consent_on")
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# A new Member() holds database-default expressions in the columns that have one; the empty form
# must start from their plain values ("", "Kinh"), or it would show and post back the expressions.
PLAIN_DEFAULTS = {f.attname: getattr(f.db_default, "value", f.db_default)
                  for f in Member._meta.concrete_fields if f.has_db_default()}

# The lý lịch in the order of form 2-HSĐV, by section; the member page shows the same groups.
GROUPS: list[tuple[str, list[str]]] = [
    ("Sơ yếu lý lịch", ["full_name", "birth_name", "alias", "gender", "birth_date", "birthplace", "hometown",
                        "hometown_old", "permanent_address", "current_address", "ethnicity", "religion",
                        "citizen_id", "phone", "email"]),
    ("Học vấn", ["general_education", "professional_qualification", "degree", "academic_title", "political_theory",
                 "state_management", "foreign_languages"]),
    ("Công tác", ["occupation", "workplace", "position"]),
    ("Đảng", ["unit", "status", "admitted_on", "admission_place", "over_age_consent_number", "over_age_consent_on",
              "recognized_on", "party_card_number", "party_positions", "managed_by"]),
    ("Ảnh và ghi chú", ["photo", "remove_photo", "notes"]),
]


def may_write_sensitive_somewhere(user) -> bool:
    """Whether some unit the user may change also lets them see CCCD and religion."""
    sensitive = scope_prefixes(user, "sensitive")
    return sensitive is None or bool(sensitive)


def _vietnamese_messages(field: forms.Field, label: str) -> None:
    """Messages that say how to fix the value, instead of Django's generic ones."""
    lower = label[0].lower() + label[1:]
    field.error_messages["required"] = f"Hãy nhập {lower}."
    if isinstance(field, VnDateField):
        field.error_messages["required"] = f"Hãy nhập {lower} theo dạng ngày/tháng/năm, ví dụ 17/05/1980."
        field.error_messages["invalid"] = (f"“{label}” không phải một ngày có thật; hãy nhập theo dạng "
                                           "ngày/tháng/năm, ví dụ 17/05/1980.")
    if isinstance(field, forms.ChoiceField):
        field.error_messages["required"] = f"Hãy chọn {lower}."
        field.error_messages["invalid_choice"] = f"Giá trị của “{label}” không có trong danh sách; hãy chọn lại."
    max_length = getattr(field, "max_length", None)
    if max_length:
        field.error_messages["max_length"] = (f"“{label}” dài quá {max_length} ký tự; hãy viết gọn lại "
                                              f"(tối đa {max_length} ký tự).")


class MemberForm(forms.ModelForm):
    """The lý lịch of a member. With `member=None` it creates one and asks for the cell and status
    too; otherwise it edits the profile only (cell and status change through events)."""

    birth_date = VnDateField(label="Ngày sinh")
    admitted_on = VnDateField(label="Ngày vào Đảng (ngày ký quyết định kết nạp)")
    recognized_on = VnDateField(label="Ngày chính thức", required=False,
                                help_text="Bỏ trống với đảng viên dự bị. Đảng viên chính thức để trống thì tính là "
                                          "12 tháng sau ngày vào Đảng.")
    over_age_consent_on = VnDateField(label="Ngày văn bản đồng ý kết nạp người trên 60 tuổi", required=False,
                                      help_text="Chỉ khi người vào Đảng đã quá 60 tuổi: ngày văn bản đồng ý của Ban "
                                                "Thường vụ Tỉnh ủy/Thành ủy, trước ngày quyết định kết nạp.")
    ethnicity = forms.ChoiceField(label="Dân tộc", choices=[(e, e) for e in ETHNICITIES], initial="Kinh")
    religion = forms.ChoiceField(label="Tôn giáo", required=False,
                                 choices=[("", "— chưa khai —"), *((r, r) for r in RELIGIONS)])
    general_education = forms.ChoiceField(label="Giáo dục phổ thông", required=False,
                                          choices=[("", "— chưa khai —"), *((e, e) for e in GENERAL_EDUCATION)])

    class Meta:
        model = Member
        fields = [*PROFILE_FIELDS, "admitted_on", "recognized_on", "photo"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            # A plain file input: the "current file" link of ClearableFileInput would point at
            # /media/, which is not served (photos go through the members-photo view).
            "photo": forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        }

    def __init__(self, *args, user, member: Member | None = None, **kwargs):
        self.user = user
        self.creating = member is None
        super().__init__(*args, instance=member or Member(**PLAIN_DEFAULTS), **kwargs)
        if self.creating:
            units = OrgUnit.objects.visible_to(user, "change").open().filter(kind__in=CELL_KINDS)
            self.fields["unit"] = unit_choice(units, "Chi bộ sinh hoạt")
            self.fields["status"] = forms.ChoiceField(
                label="Trạng thái", initial=Status.PROBATIONARY,
                choices=[(s, Status(s).label) for s in ACTIVE])
            self.may_see_sensitive = may_write_sensitive_somewhere(user)
        else:
            self.may_see_sensitive = can(user, "sensitive", member.org_path)
            if member.photo:
                self.fields["remove_photo"] = forms.BooleanField(label="Xóa ảnh hiện tại", required=False)
            value = member.general_education
            if value and value not in GENERAL_EDUCATION:  # a value typed before the list existed stays choosable
                self.fields["general_education"].choices.append((value, value))
        if not self.may_see_sensitive:
            for name in SENSITIVE_FIELDS:
                del self.fields[name]
        self.fields["gender"].choices = [("", "— chọn —"), *self.fields["gender"].choices[1:]]
        self.fields["email"].error_messages["invalid"] = "Thư điện tử chưa đúng dạng; hãy ghi như ten@gmail.com."
        self.fields["photo"].error_messages["invalid_image"] = (
            "Tệp ảnh không đọc được; hãy chọn một ảnh chân dung dạng JPG hoặc PNG.")
        self.fields["photo"].help_text = "Ảnh chân dung JPG hoặc PNG, không quá 5 MB (không bắt buộc)."
        if "citizen_id" in self.fields:
            self.fields["citizen_id"].max_length = None  # the length is checked below, with a clearer message
            self.fields["citizen_id"].widget.attrs.update({"inputmode": "numeric", "maxlength": 20})
            self.fields["citizen_id"].help_text = "12 chữ số, ví dụ 001085012345."
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        for field in self.fields.values():
            _vietnamese_messages(field, str(field.label))

    def groups(self) -> list[tuple[str, list]]:
        """The form's fields by section of the lý lịch, for the template."""
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in GROUPS]

    def clean_citizen_id(self) -> str:
        value = "".join((self.cleaned_data.get("citizen_id") or "").split())
        message = rules.check_cccd(value)  # the year and gender digits are checked with the birth date on save
        if message:
            raise ValidationError(message)
        return value

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").strip()
        if not value:
            return value
        try:
            return parse_phone(value)
        except CellError as exc:
            raise ValidationError(exc.message) from None

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile) and photo.size > PHOTO_MAX_BYTES:  # a new upload, not the kept file
            raise ValidationError("Ảnh nặng quá 5 MB; hãy chọn ảnh nhỏ hơn hoặc thu nhỏ ảnh rồi tải lên lại.")
        return photo

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if self.creating and unit is not None:
            # Model validation of the other fields needs the member's unit and status.
            self.instance.unit, self.instance.status = unit, data.get("status") or Status.PROBATIONARY
            if self.may_see_sensitive and not can(self.user, "sensitive", unit.path):
                for name in SENSITIVE_FIELDS:
                    if data.get(name):
                        self.add_error(name, f"Bạn không được ghi {self[name].label.lower()} cho đảng viên của "
                                             f"“{unit.name}”; hãy để trống ô này.")
        status = data.get("status") if self.creating else self.instance.status
        if status == Status.PROBATIONARY and data.get("recognized_on"):
            self.add_error("recognized_on", "Đảng viên dự bị chưa có ngày chính thức; hãy để trống ô này hoặc "
                                            "chọn trạng thái “Chính thức”.")
        return data

    def validate_unique(self):
        # A CCCD already on record is refused by services.check_profile, with a message that says so.
        pass

    def _get_validation_exclusions(self):
        # The same for the model's unique constraint on the CCCD, which Django would check with its own words.
        return {*super()._get_validation_exclusions(), "citizen_id"}

    def profile(self) -> dict:
        """The typed profile values, as `services.create_member` and `update_member` take them."""
        names = [n for n in self._meta.fields if n in self.fields]
        data = {n: self.cleaned_data[n] for n in names}
        photo = data.pop("photo", None)
        if self.creating:
            if photo:
                data["photo"] = photo
        elif "photo" in self.changed_data and photo:
            data["photo"] = photo
        elif self.cleaned_data.get("remove_photo"):
            data["photo"] = ""
        return data


class RelativeForm(forms.ModelForm):
    class Meta:
        model = Relative
        fields = ["relation", "full_name", "birth_year", "occupation", "residence"]
        widgets = {"birth_year": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1880, "max": 2100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relation"].widget.attrs["placeholder"] = "Bố, mẹ, vợ, chồng, con…"
        self.fields["birth_year"].error_messages["invalid"] = "Năm sinh là một số, ví dụ 1955."
        for field in self.fields.values():
            _vietnamese_messages(field, str(field.label).capitalize())

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1880 <= year <= 2100:
            raise ValidationError("Năm sinh phải có 4 chữ số, ví dụ 1955.")
        return year


RelativeFormSet = forms.inlineformset_factory(
    Member, Relative, form=RelativeForm, extra=1, can_delete=True, max_num=30, validate_max=True)


def relatives_of(formset) -> list[dict]:
    """The relatives the formset ends with (new, kept and changed; not those marked for removal)."""
    out = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        out.append({name: form.cleaned_data.get(name) for name in RelativeForm._meta.fields})
    return out


class EventForm(forms.Form):
    """One event of the member's party life: only the events that may follow the current status."""

    kind = forms.ChoiceField(label="Sự kiện")
    on = VnDateField(label="Ngày (theo quyết định)")
    unit = forms.ModelChoiceField(OrgUnit.objects.none(), required=False)
    status_after = forms.ChoiceField(label="Là đảng viên (với chuyển đến)", required=False,
                                     choices=[("", "—"), *((s, Status(s).label) for s in ACTIVE)])
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False,
                                      help_text="Bắt buộc với xóa tên và khai trừ (quyết định của cấp ủy có thẩm quyền). Với ra khỏi Đảng: "
                                                "nên ghi (quy định bắt buộc hay không chưa được xác minh).",
                                      widget=forms.TextInput(attrs={"placeholder": "Ví dụ: 125-QĐ/ĐU"}))
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)
    reason = forms.ChoiceField(label="Lý do ra khỏi Đảng (với xóa tên, khai trừ, xin ra, kết nạp lại)",
                               required=False, choices=LeaveReason.choices,
                               help_text="Việc kết nạp lại phụ thuộc lý do này (Quy định 232-QĐ/TW, mục 3.5).")

    def __init__(self, *args, user, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = history.ALLOWED.get(member.status, set())
        self.fields["kind"].choices = [("", "— chọn sự kiện —")] + [
            (k, label) for k, label in EventKind.choices if k in allowed]
        self.fields["unit"] = unit_choice(
            OrgUnit.objects.visible_to(user, "change").open().filter(kind__in=CELL_KINDS),
            "Chi bộ mới (với chuyển sinh hoạt)", required=False)
        self.fields["unit"].empty_label = "— không đổi —"
        self.order_fields(["kind", "on", "unit", "status_after", "decision_number", "reason", "note"])
        for field in self.fields.values():
            _vietnamese_messages(field, str(field.label))
        self.fields["kind"].error_messages["invalid_choice"] = (
            f"Sự kiện này không ghi được cho đảng viên đang “{member.get_status_display().lower()}”; "
            "hãy chọn một sự kiện trong danh sách.")


class QualityForm(forms.Form):
    """Which unit's subtree the data-quality page looks at."""

    don_vi = forms.ModelChoiceField(OrgUnit.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"] = unit_choice(OrgUnit.objects.visible_to(user), "Tổ chức (cả các tổ chức trực thuộc)",
                                            required=False)


class ImportForm(forms.Form):
    """The upload of a member list: an xlsx workbook or a CSV file (told apart by content)."""

    file = forms.FileField(label="Tệp Excel (.xlsx) hoặc CSV (.csv)",
                           widget=forms.ClearableFileInput(attrs={
                               "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
                                         "text/csv"}))
    unit = forms.ModelChoiceField(OrgUnit.objects.none())
    dry_run = forms.BooleanField(label="Chạy thử (không ghi): chỉ kiểm tra và cho biết sẽ thay đổi những gì",
                                 required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_choice(OrgUnit.objects.visible_to(user, "change").open(),
                                          "Nhập vào tổ chức (các chi bộ trong tệp phải thuộc tổ chức này)")
        self.order_fields(["file", "unit", "dry_run"])
        limit = settings.MEMBER_IMPORT_MAX_BYTES // 2**20
        self.fields["file"].help_text = (f"Theo tệp mẫu ở trên, dạng .xlsx hoặc CSV (lưu bằng “CSV UTF-8”); tối đa "
                                         f"{limit} MB.")
        self.fields["file"].error_messages["required"] = "Hãy chọn tệp Excel (.xlsx) hoặc CSV (.csv) cần nhập."
        self.fields["file"].error_messages["empty"] = "Tệp rỗng (0 byte); hãy chọn lại tệp Excel (.xlsx) hoặc CSV."
