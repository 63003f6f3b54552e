"""The member list's filters, written once for the page, the API and the exports.

The page shows 30 rows of lists that reach 140,000 members (a province), so besides the filters
this module answers the two questions that make such a page cost a few milliseconds instead of
half a second: how long the list is without counting it (`counted_total`: the tallies, when no
filter narrows the current members) and how to read one page (`walks_names`).
"""

from datetime import date
from functools import cached_property

from django import forms
from django.db import connection
from django.db.models import CharField, Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.forms import DATE_INPUT_FORMATS, VnDateField, indent, not_in_the_future
from core.planner import Unindexed
from core.scoping import can, scope_prefixes
from core.tree import subtree_q
from members.choices import ETHNICITIES, GENERAL_EDUCATION, RELIGIONS, Gender, Status, TheoryLevel
from members.models import MAJORITY_ETHNICITY, Member, MemberPeriod
from members.stats import rollup
from orgs.models import OrgUnit, OrgUnitVersion

ACTIVE = ""  # the default status filter: members counted in đảng số
ALL = "tat_ca"
MINORITY = "thieu_so"
SORTS = {"ten": ("sort_key", "id"), "chi_bo": ("org_path", "sort_key", "id"), "tuoi_dang": ("admitted_on", "sort_key")}
# Filters that keep only some of the current members; without them the list is a subtree's đảng số.
NARROWING = ("q", "gender", "religion", "general_education", "ethnicity", "political_theory", "age_min", "age_max",
             "party_age_min", "position")
# Units offered in the unit box: a commune officer gets every cell, a province officer the province
# and its communes instead of 9,000 options. Any visible unit is still accepted (links from unit pages).
UNIT_OPTIONS = 300
UNIT_COLUMNS = ("pk", "path", "depth", "name", "short_name", "valid_to")  # what the unit box draws


def _years_ago(years: int, on: date) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


class QuickSelect(forms.Select):
    """A select drawn in Python with the markup of Django's template. Django renders each option
    through a template include (about 20 µs each, more than the query behind it), and the filters
    draw a few hundred options on every list page (the units in reach, 54 ethnicities)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups: Django's own template
        wanted, found = set(self.format_value(value)), False
        options = []
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            selected = not found and text in wanted  # like Django: only the first match of a single select
            found |= selected
            options.append(f'<option value="{escape(text)}"{" selected" if selected else ""}>{escape(label)}</option>')
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           mark_safe("".join(options)))


class _UnitOptions(BaseChoiceIterator):
    """The unit box's options, looked up only when the box is drawn (the API and exports never draw it);
    a BaseChoiceIterator, so that the widget keeps it as it is instead of reading it into a list."""

    def __init__(self, form: "MemberFilterForm"):
        self.form = form

    def __iter__(self):
        yield "", self.form.fields["unit"].empty_label
        yield from self.form.unit_options()


def unit_label(depth: int, name: str, short_name: str, is_open: bool) -> str:
    """A unit in the unit box: indented by its depth, marked if closed."""
    return indent(depth) + (short_name or name) + ("" if is_open else " (đã giải thể)")


def cheaper_to_walk(count: int, stop: int, table: int) -> bool:
    """Walking the name index until `stop` of `count` matches spread over `table` rows (stop × table /
    count rows read) costs less than reading and sorting all `count` matches."""
    return count * count > stop * table


def _any_or(values, *first: tuple[str, str]):
    """The choices "Tất cả", then `first`, then each value as its own label, as a function: a form
    deep-copies its fields' choice lists for every instance (a few hundred tuples per list page), a
    function it keeps as it is."""
    return lambda: [("", "Tất cả"), *first, *((v, v) for v in values)]


def _option_row(unit: OrgUnit) -> tuple:
    return tuple(getattr(unit, column) for column in UNIT_COLUMNS)


class MemberFilterForm(forms.Form):
    unit = forms.ModelChoiceField(OrgUnit.objects.none(), required=False, label="Tổ chức",
                                  empty_label="Tất cả trong phạm vi của tôi", widget=QuickSelect)
    q = forms.CharField(required=False, label="Họ tên", max_length=80,
                        widget=forms.TextInput(attrs={"placeholder": "Gõ tên, không cần dấu", "type": "search"}))
    status = forms.ChoiceField(required=False, widget=QuickSelect, label="Trạng thái", initial=ACTIVE,
                               choices=[(ACTIVE, "Đang sinh hoạt"), *Status.choices, (ALL, "Tất cả")])
    gender = forms.ChoiceField(required=False, widget=QuickSelect, label="Giới tính", choices=[("", "Tất cả"), *Gender.choices])
    age_min = forms.IntegerField(required=False, min_value=16, max_value=120, label="Tuổi từ")
    age_max = forms.IntegerField(required=False, min_value=16, max_value=120, label="đến")
    ethnicity = forms.ChoiceField(required=False, widget=QuickSelect, label="Dân tộc",
                                  choices=_any_or(ETHNICITIES, (MINORITY, "Dân tộc thiểu số")))
    religion = forms.ChoiceField(required=False, widget=QuickSelect, label="Tôn giáo", choices=_any_or(RELIGIONS))
    general_education = forms.ChoiceField(required=False, widget=QuickSelect, label="Giáo dục phổ thông",
                                          choices=_any_or(GENERAL_EDUCATION))
    political_theory = forms.ChoiceField(required=False, widget=QuickSelect, label="Lý luận chính trị",
                                         choices=[("", "Tất cả"), ("chua", "Chưa qua đào tạo"),
                                                  *TheoryLevel.choices[1:]])
    party_age_min = forms.IntegerField(required=False, min_value=0, max_value=100, label="Tuổi đảng từ (năm)")
    position = forms.CharField(required=False, label="Chức vụ (có chứa)", max_length=80)
    on = VnDateField(required=False, label="Danh sách tại ngày", validators=[not_in_the_future],
                     input_formats=[*DATE_INPUT_FORMATS, "%Y-%m-%d"],
                     help_text="Để trống: hôm nay. Một ngày đã qua: những người sinh hoạt ở đâu vào ngày đó.")
    sort = forms.ChoiceField(required=False, widget=QuickSelect, label="Sắp xếp",
                             choices=[("ten", "Theo tên (A–Z tiếng Việt)"), ("chi_bo", "Theo chi bộ"),
                                      ("tuoi_dang", "Theo tuổi đảng")])

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        # On a past day the units that wholly became the user's can be chosen too (an old commune).
        units = OrgUnit.objects.inherited_by(user) if (data or {}).get("on") else OrgUnit.objects.visible_to(user)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["unit"].label_from_instance = lambda u: unit_label(u.depth, u.name, u.short_name, u.is_open)
        self.fields["unit"].widget.choices = _UnitOptions(self)
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

    def unit_options(self) -> list[tuple[int, str]]:
        """(id, label) of the units the unit box offers, in tree order: the user's top units and as many
        whole levels below them as fit in UNIT_OPTIONS, found level by level through `parent` (an
        indexed lookup, never a scan of a province's 9,000 units), and the unit chosen, wherever it is."""
        visible = OrgUnit.objects.visible_to(self.user)
        shown = [_option_row(u) for u in self.tops]
        level = shown
        while level and len(shown) < UNIT_OPTIONS:
            below = list(visible.filter(parent__in=[row[0] for row in level])
                         .values_list(*UNIT_COLUMNS)[: UNIT_OPTIONS - len(shown) + 1])
            if len(shown) + len(below) > UNIT_OPTIONS:
                break
            shown += below
            level = below
        chosen = self._data().get("unit")
        if chosen is not None and chosen.pk not in {row[0] for row in shown}:
            shown.append(_option_row(chosen))
        shown.sort(key=lambda row: row[1])
        return [(pk, unit_label(depth, name, short, closed is None)) for pk, _path, depth, name, short, closed in shown]

    @cached_property
    def tops(self) -> list[OrgUnit]:
        """The user's highest units (asked by the list's length and by the unit box)."""
        return list(OrgUnit.objects.tops_for(self.user))

    def _data(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}

    @property
    def past_day(self) -> date | None:
        """The past day the list is asked for, or None for today's list."""
        day = self._data().get("on")
        return day if day and day < timezone.localdate() else None

    def counted_total(self) -> int | None:
        """How many members the list holds, from the tallies (no row counted) when no filter narrows
        the current members of the chosen unit or of everything in reach; None when it must be counted.

        `rollup` reads the tallies only of units the user sees whole, which a visible unit and the
        user's top units always are, so the figure is the count of `apply()`, through `visible_to`.
        """
        data = self._data()
        if self.past_day or data.get("status", ACTIVE) != ACTIVE or any(data.get(name) for name in NARROWING):
            return None
        units = [data["unit"]] if data.get("unit") else self.tops
        return sum(c.total for c in rollup(units, self.user).values())

    def walks_names(self, count: int, stop: int) -> bool:
        """Whether rows [stop - 30, stop) of a list of `count` in name order are cheaper found by walking
        the name index, checking each member's place, than by sorting every match (SQLite only).

        Walking reads about stop × table / count rows, sorting reads `count`. PostgreSQL weighs the two
        from its statistics and chooses well; SQLite, without them, guesses that a path range keeps a
        small share of the table and always sorts it: 140,000 members of a province for 30 rows.
        """
        if connection.vendor != "sqlite" or (self._data().get("sort") or "ten") != "ten" or self.past_day:
            return False
        if not self._data().get("unit") and len(scope_prefixes(self.user, "view") or []) != 1:
            return False  # several grants (or everything, for a superuser): left to the planner
        table = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0  # ids are never reused
        return cheaper_to_walk(count, stop, table)

    def placements_then(self):
        """The placements on the past day in the units that are the user's on that day
        (`OrgUnitVersion.visible_on`), within the chosen unit's subtree as it was then."""
        day, unit = self.past_day, self._data().get("unit")
        units = OrgUnitVersion.objects.visible_on(self.user, day)
        if unit is not None:
            then = unit.version_on(day)
            units = units.filter(subtree_q("path", then.path)) if then else units.none()
        return MemberPeriod.objects.on(day).filter(unit_id__in=units.values("unit_id"))

    def apply(self, rows=None, on: date | None = None, *, walk_names: bool = False):
        """The visible members matching the (valid) filters, in the chosen order.

        `walk_names` (when `walks_names` says so) keeps the same rows and order but keeps SQLite's
        planner from searching by the subtree's path, so that it reads the name index in order.
        """
        data = self._data()
        on = on or self.past_day or timezone.localdate()
        if data.get("unit") is not None and not self.may_see_sensitive(data["unit"]):
            data.pop("religion", None)
        rows = rows if rows is not None else Member.objects.all()
        status = data.get("status", ACTIVE)
        path = "org_path"
        if self.past_day:
            rows = rows.filter(pk__in=self.placements_then().values("member_id"))
            if status not in (ACTIVE, ALL):  # the placements hold only the days in đảng số
                rows = rows.filter(pk__in=self.placements_then().filter(status=status).values("member_id"))
            status = ALL
        else:
            if walk_names:
                rows = rows.alias(unindexed_path=Unindexed("org_path", output_field=CharField()))
                path = "unindexed_path"
            if data.get("unit"):
                rows = rows.visible_subtree(self.user, data["unit"].path, field=path)
            elif walk_names:  # one grant (see walks_names): its subtree is everything the user sees
                rows = rows.visible_subtree(self.user, scope_prefixes(self.user, "view")[0], field=path)
            else:
                rows = rows.visible_to(self.user)
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
            rows = rows.party_age_at_least(data["party_age_min"], on)  # the profile's party age, gaps subtracted
        if data.get("position"):
            rows = rows.filter(Q(position__icontains=data["position"]) | Q(party_positions__icontains=data["position"]))
        return rows.order_by(*SORTS.get(data.get("sort") or "ten"))
