"""Forms of the tree pages: the tree's filters, setting up a unit and the five restructuring forms.

Each restructuring form knows its unit and user, offers only units the user may restructure
(`visible_to(user, "restructure")`), describes what would change (`preview`) and performs it
through the service in `orgs/services.py` (`perform`), which holds every rule.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.forms import VnDateField, not_in_the_future, unit_choice
from core.text import vn_date
from members.models import Member
from members.stats import rollup
from orgs import rules, services
from orgs.models import Kind, OrgUnit

SPLIT_PARTS = 5  # how many new units a split form offers at first; "?so=N" asks for more
MAX_SPLIT_PARTS = 50  # the most one page offers: a commune split into many cells is done in a few steps


def note_field() -> forms.CharField:
    return forms.CharField(label="Ghi chú (số quyết định, lý do)", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DayForm(forms.Form):
    """`?ngay=` of the tree and of a unit's page: the day the tree is shown as."""

    ngay = VnDateField(label="Xem theo ngày", required=False, validators=[not_in_the_future])

    def day(self):
        """The valid day, or None (today) when none or a wrong one was given (the error is shown)."""
        return self.cleaned_data.get("ngay") if self.is_bound and self.is_valid() else None


class TreeFilterForm(DayForm):
    """The tree's GET filters: as of a date, with or without closed units, by name."""

    da_giai_the = forms.BooleanField(label="Hiện cả tổ chức đã ngừng hoạt động", required=False)
    q = forms.CharField(label="Tìm theo tên", required=False, max_length=100)

    def values(self) -> tuple:
        """(day or None, show closed, search text); a wrong value is shown and counts as not given."""
        if not self.is_bound:
            return None, False, ""
        self.is_valid()
        data = self.cleaned_data
        return data.get("ngay"), data.get("da_giai_the", False), (data.get("q") or "").strip()


class TreeImportForm(forms.Form):
    tep = forms.FileField(label="Tệp Excel (.xlsx)", error_messages={"required": "Hãy chọn tệp Excel cần nhập."})


class RestructureStartForm(forms.Form):
    """The "Sắp xếp tổ chức" menu page: which unit, which operation."""

    thao_tac = forms.ChoiceField(label="Việc cần làm", widget=forms.RadioSelect, initial="rename")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thao_tac"].choices = [(op, form.title) for op, form in RESTRUCTURE_FORMS.items()]
        self.fields["don_vi"] = unit_choice(OrgUnit.objects.visible_to(user, services.ACTION).open(),
                                            "Tổ chức cần sắp xếp")
        self.order_fields(["don_vi", "thao_tac"])


class RestructureForm(forms.Form):
    """Shared by the five forms: the effective date, the unit, the user and the choices."""

    title = ""
    on = VnDateField(label="Ngày hiệu lực", initial=timezone.localdate,
                     help_text="Ngày thay đổi bắt đầu có hiệu lực (ngày/tháng/năm).")

    def __init__(self, *args, unit: OrgUnit, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit, self.user = unit, user
        self.choices = OrgUnit.objects.visible_to(user, services.ACTION).open()

    def counts(self, unit: OrgUnit):
        return rollup([unit], self.user)[unit.pk]

    def fresh(self, unit: OrgUnit) -> OrgUnit:
        # The services change the instances they get; a preview's dry run must not leave the
        # page showing the rolled-back state, so each run works on its own copies.
        return OrgUnit.objects.get(pk=unit.pk)

    def visible_path(self, unit: OrgUnit) -> list[OrgUnit]:
        """`unit` and those of its ancestors the user may see, root first."""
        return [*OrgUnit.objects.visible_to(self.user).filter(pk__in=unit.ancestors()), unit]


class MoveForm(RestructureForm):
    title = "Chuyển sang cấp trên khác"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"] = unit_choice(self.choices, "Cấp trên mới")
        self.order_fields(["new_parent", "on"])

    def preview(self) -> dict:
        new_parent = self.cleaned_data["new_parent"]
        return {
            "new_parent": new_parent,
            "new_path": [u.name for u in self.visible_path(new_parent)] + [self.unit.name],
            "children": list(self.unit.children.filter(valid_to__isnull=True).order_by("name")),
            "counts": self.counts(self.unit),
        }

    def perform(self, by) -> tuple[OrgUnit, str]:
        unit, new_parent, on = self.fresh(self.unit), self.cleaned_data["new_parent"], self.cleaned_data["on"]
        services.move_unit(unit, self.fresh(new_parent), on=on, by=by)
        return unit, f"Đã chuyển “{unit.name}” về trực thuộc “{new_parent.name}” từ ngày {vn_date(on)}."


class RenameForm(RestructureForm):
    title = "Đổi tên"
    name = forms.CharField(label="Tên mới", max_length=255)
    short_name = forms.CharField(label="Tên ngắn mới", max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = self.unit.name
        self.fields["short_name"].initial = self.unit.short_name
        self.order_fields(["name", "short_name", "on"])

    def preview(self) -> dict:
        return {"old_name": self.unit.name, "old_short_name": self.unit.short_name}

    def perform(self, by) -> tuple[OrgUnit, str]:
        unit, data = self.fresh(self.unit), self.cleaned_data
        old = unit.name
        services.rename_unit(unit, name=data["name"], short_name=data["short_name"], on=data["on"], by=by)
        return unit, f"Đã đổi tên “{old}” thành “{unit.name}” từ ngày {vn_date(data['on'])}."


class CloseForm(RestructureForm):
    title = "Giải thể / kết thúc hoạt động"
    note = note_field()

    def preview(self) -> dict:
        return {
            "last_day": self.cleaned_data["on"] - timedelta(days=1),
            "children": list(self.unit.children.filter(valid_to__isnull=True).order_by("name")),
            "direct_members": Member.objects.visible_to(self.user).active().filter(unit=self.unit).count(),
        }

    def perform(self, by) -> tuple[OrgUnit, str]:
        unit, data = self.fresh(self.unit), self.cleaned_data
        services.close_unit(unit, on=data["on"], by=by, note=data["note"])
        return unit, f"Đã kết thúc hoạt động của “{unit.name}” từ ngày {vn_date(data['on'])}."


class MergeForm(RestructureForm):
    title = "Hợp nhất vào tổ chức khác"
    note = note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = unit_choice(self.choices, "Hợp nhất vào (tổ chức tiếp nhận)")
        self.order_fields(["target", "on", "note"])

    def preview(self) -> dict:
        target = self.cleaned_data["target"]
        return {
            "target": target,
            "target_path": [u.name for u in self.visible_path(target)],
            "children": services.merge_preview(self.unit, target)["children"],
            "counts": self.counts(self.unit),
            "direct_members": Member.objects.visible_to(self.user).active().filter(unit=self.unit).count(),
            "last_day": self.cleaned_data["on"] - timedelta(days=1),
        }

    def perform(self, by) -> tuple[OrgUnit, str]:
        data = self.cleaned_data
        source, target = self.fresh(self.unit), self.fresh(data["target"])
        services.merge_units(source, target, on=data["on"], by=by, note=data["note"])
        return target, f"Đã hợp nhất “{source.name}” vào “{target.name}” từ ngày {vn_date(data['on'])}."


def split_parts(wanted, data=None) -> int:
    """How many new units the split form offers: five, more when asked ("?so=N") or when a posted form
    named more, never past MAX_SPLIT_PARTS."""
    named = [int(k[5:]) for k in (data or {}) if k.startswith("name_") and k[5:].isdigit()]
    try:
        asked = int(wanted or 0)
    except ValueError:
        asked = 0
    return min(max(SPLIT_PARTS, asked, *named), MAX_SPLIT_PARTS)


class SplitForm(RestructureForm):
    """New units (five at first, more on request); each open child and each direct member goes to one of
    them or stays."""

    title = "Chia tách"
    kind = forms.ChoiceField(label="Loại tổ chức của các tổ chức mới", choices=Kind.choices)
    close_source = forms.BooleanField(
        label="Giải thể tổ chức cũ (phải giao hết tổ chức trực thuộc và đảng viên)", required=False
    )
    note = note_field()

    def __init__(self, *args, parts: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.n = parts or split_parts(None, self.data)
        self.fields["kind"].initial = self.unit.kind
        for i in range(1, self.n + 1):
            self.fields[f"name_{i}"] = forms.CharField(label=f"Tên tổ chức mới {i}", max_length=255,
                                                       required=False)
        destinations = [("", f"Ở lại “{self.unit.display_name}”")] + [
            (str(i), f"Tổ chức mới {i}") for i in range(1, self.n + 1)
        ]
        self.open_children = list(self.unit.children.filter(valid_to__isnull=True).order_by("name"))
        self.direct_members = list(
            Member.objects.visible_to(self.user).active().filter(unit=self.unit).vietnamese_order()
        )
        for child in self.open_children:
            self.fields[f"child_{child.pk}"] = forms.ChoiceField(
                label=child.name, choices=destinations, required=False
            )
        for member in self.direct_members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.full_name, choices=destinations, required=False
            )
        names = [f"name_{i}" for i in range(1, self.n + 1)]
        self.order_fields(["on", *names, "kind"])

    def name_fields(self):
        return [self[f"name_{i}"] for i in range(1, self.n + 1)]

    def child_fields(self):
        return [self[f"child_{c.pk}"] for c in self.open_children]

    def member_fields(self):
        return [self[f"member_{m.pk}"] for m in self.direct_members]

    def clean(self):
        data = super().clean()
        names = {i: (data.get(f"name_{i}") or "").strip() for i in range(1, self.n + 1)}
        if not any(names.values()):
            self.add_error("name_1", "Hãy nhập tên ít nhất một tổ chức mới.")
        keys = [f"child_{c.pk}" for c in self.open_children] + [f"member_{m.pk}" for m in self.direct_members]
        for key in keys:
            part = data.get(key)
            if part and not names[int(part)]:
                self.add_error(key, f"Tổ chức mới {part} chưa có tên. Hãy nhập tên hoặc chọn nơi khác.")
        return data

    def parts(self) -> list[dict]:
        """The new units as the service wants them, with the objects for the preview."""
        data = self.cleaned_data
        parts = []
        for i in range(1, self.n + 1):
            name = data[f"name_{i}"].strip()
            if not name:
                continue
            children = [c for c in self.open_children if data.get(f"child_{c.pk}") == str(i)]
            members = [m for m in self.direct_members if data.get(f"member_{m.pk}") == str(i)]
            parts.append({
                "name": name, "kind": data["kind"],
                "children": [c.pk for c in children], "members": [m.pk for m in members],
                "child_units": children, "member_objects": members,  # for the preview
            })
        return parts

    def preview(self) -> dict:
        data = self.cleaned_data
        counts = rollup(self.open_children, self.user)
        for child in self.open_children:
            child.counts = counts[child.pk]
        return {
            "parts": self.parts(),
            "staying_children": [c for c in self.open_children if not data.get(f"child_{c.pk}")],
            "staying_members": [m for m in self.direct_members if not data.get(f"member_{m.pk}")],
        }

    def perform(self, by) -> tuple[OrgUnit, str]:
        source, data = self.fresh(self.unit), self.cleaned_data
        parts = [{k: p[k] for k in ("name", "kind", "children", "members")} for p in self.parts()]
        created = services.split_unit(source, parts, on=data["on"], by=by, close_source=data["close_source"],
                                      note=data["note"])
        names = ", ".join(f"“{u.name}”" for u in created)
        return source, f"Đã chia tách “{source.name}”: thành lập {names} từ ngày {vn_date(data['on'])}."


class CreateForm(RestructureForm):
    """A unit set up under `unit` by a decision; with a last day, a unit of a past term closed since."""

    title = "Thành lập tổ chức trực thuộc"
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    short_name = forms.CharField(label="Tên ngắn", max_length=120, required=False)
    kind = forms.ChoiceField(label="Loại tổ chức")
    code = forms.CharField(label="Mã tổ chức", max_length=40, required=False)
    valid_to = VnDateField(label="Hoạt động đến hết ngày", required=False,
                           help_text="Chỉ nhập với tổ chức của nhiệm kỳ trước đã kết thúc hoạt động "
                                     "(ví dụ chi bộ của giai đoạn 2015–2020); còn hoạt động thì để trống.")
    decision_number = forms.CharField(label="Số quyết định thành lập", max_length=60, required=False,
                                      help_text="Ví dụ 125-QĐ/ĐU")
    decision_date = VnDateField(label="Ngày quyết định", required=False, validators=[not_in_the_future])
    decision_body = forms.CharField(label="Cơ quan quyết định", max_length=120, required=False,
                                    help_text="Tên hoặc ký hiệu, ví dụ BTVĐU, Ban Thường vụ Tỉnh ủy")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "Hoạt động từ ngày"
        self.fields["on"].help_text = "Ngày thành lập theo quyết định (ngày/tháng/năm); có thể là ngày đã qua."
        # Only the kinds that may sit under this unit (orgs.rules.ALLOWED_PARENTS).
        fits = [(k, label) for k, label in Kind.choices if rules.placement_problem(k, self.unit.kind) is None]
        self.fields["kind"].choices = [("", "— chọn loại —"), *fits]
        if len(fits) == 1:
            self.fields["kind"].initial = fits[0][0]
        self.order_fields(["name", "short_name", "kind", "code", "on", "valid_to",
                           "decision_number", "decision_date", "decision_body"])

    def preview(self) -> dict:
        return {"new_path": [u.name for u in self.visible_path(self.unit)] + [self.cleaned_data["name"]],
                "kind_label": Kind(self.cleaned_data["kind"]).label}

    def perform(self, by) -> tuple[OrgUnit, str]:
        data = self.cleaned_data
        unit = services.create_unit(
            self.fresh(self.unit), kind=data["kind"], name=data["name"], short_name=data["short_name"],
            code=data["code"], on=data["on"], valid_to=data["valid_to"], by=by,
            decision_number=data["decision_number"], decision_date=data["decision_date"],
            decision_body=data["decision_body"],
        )
        return unit, f"Đã thành lập “{unit.name}” trực thuộc “{self.unit.name}” từ ngày {vn_date(data['on'])}."


# The operations by their URL name suffix (`orgs-<op>`), in the order the pages offer them.
RESTRUCTURE_FORMS: dict[str, type[RestructureForm]] = {
    "create": CreateForm,
    "rename": RenameForm,
    "move": MoveForm,
    "merge": MergeForm,
    "split": SplitForm,
    "close": CloseForm,
}
