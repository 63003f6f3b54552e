"""Forms of the review pages. Choices come through `visible_to`; the rules live in `assessment.services`,
whose DomainError lands on the field it names (core.forms.show_error)."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils import timezone

from assessment.models import Rating
from assessment.rules import DECIDING_BODY_KINDS, DISQUALIFIERS, Level, Subject
from bodies.models import Body
from core.forms import VnDateField, unit_choice
from members.models import Member
from orgs.models import OrgUnit

SELECT_MAX = 300
SCORE = dict(min_value=0, max_value=100, decimal_places=2, max_digits=5)
SCORE_ERRORS = {"min_value": "Điểm từ 0 đến 100 (thang 100 điểm, QĐ 366-QĐ/TW Điều 11).",
                "max_value": "Điểm từ 0 đến 100 (thang 100 điểm, QĐ 366-QĐ/TW Điều 11).",
                "invalid": "Điểm phải là một số, ví dụ 85 hoặc 92.5."}


def _today():
    return timezone.localdate()


class RoundForm(forms.Form):
    year = forms.IntegerField(label="Năm đánh giá", min_value=1930)
    subject = forms.ChoiceField(label="Đối tượng", choices=Subject.choices)
    title = forms.CharField(label="Tên đợt", max_length=255, required=False)
    self_due = VnDateField(label="Hạn tự đánh giá", required=False)
    proposal_due = VnDateField(label="Hạn đề xuất", required=False)
    decision_due = VnDateField(label="Hạn quyết định", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="dot", **kwargs)
        self.fields = {"unit": unit_choice(OrgUnit.objects.visible_to(user, "change").open().exclude(kind="chi_bo"),
                                           "Tổ chức (cả cây con)"), **self.fields}
        self.fields["year"].initial = _today().year


class SelfForm(forms.Form):
    subject = forms.ModelChoiceField(queryset=Member.objects.none(), label="Đối tượng",
                                     error_messages={"invalid_choice": "Đối tượng đã chọn không có trong danh sách."})
    score = forms.DecimalField(label="Điểm tự chấm", error_messages=SCORE_ERRORS, **SCORE)
    level = forms.ChoiceField(label="Tự xếp loại", choices=Level.choices)
    text = forms.CharField(label="Bản tự kiểm điểm (tóm tắt theo mẫu 2A/2B/2C, mẫu 01)", widget=forms.Textarea(
        attrs={"rows": 3}), required=False)
    reason = forms.CharField(label="Lý do (khi mức khác khung điểm)", required=False)
    on = VnDateField(label="Ngày tự đánh giá", initial=_today)

    def __init__(self, *args, round_, user, **kwargs):
        super().__init__(*args, prefix="tu-danh-gia", **kwargs)
        field = self.fields["subject"]
        if round_.subject == Subject.MEMBERS:
            rated = Rating.objects.filter(round=round_).values("member_id")
            rows = (Member.objects.visible_subtree(user, round_.unit.path).exclude(pk__in=rated)
                    .select_related("unit").order_by("org_path", "sort_key", "id"))
            field.queryset = rows
            field.label_from_instance = lambda m: f"{m.full_name} · {m.unit.name}"
            if rows[:SELECT_MAX + 1].count() > SELECT_MAX:
                field.widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 10})
                field.help_text = "Mã hồ sơ đảng viên (số trong địa chỉ trang hồ sơ …/dang-vien/123/)."
        else:
            rated = Rating.objects.filter(round=round_).values("unit_id")
            field.queryset = (OrgUnit.objects.visible_to(user).subtree(round_.unit).exclude(pk__in=rated)
                              .order_by("path"))
            field.label_from_instance = lambda u: u.name


class _RatingStep(forms.Form):
    rating = forms.ModelChoiceField(queryset=Rating.objects.none(), label="Phiếu",
                                    error_messages={"invalid_choice": "Phiếu đã chọn không có trong danh sách."})
    level = forms.ChoiceField(label="Mức", choices=Level.choices)
    score = forms.DecimalField(label="Điểm (nếu khác điểm tự chấm)", required=False, error_messages=SCORE_ERRORS,
                               **SCORE)
    reason = forms.CharField(label="Lý do (mức khác khung điểm, cân nhắc giảm nhẹ)", required=False)
    on = VnDateField(label="Ngày", initial=_today)

    def _ratings(self, round_, user, **filters):
        field = self.fields["rating"]
        field.queryset = (Rating.objects.visible_to(user).filter(round=round_, **filters)
                          .select_related("member", "unit", "subject_unit").order_by("subject_unit__path", "id"))
        field.label_from_instance = lambda r: f"{r.subject_name} · {r.subject_unit.name}"
        if field.queryset[:SELECT_MAX + 1].count() > SELECT_MAX:  # a whole commune: too long a list to send
            field.widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 10})
            field.help_text = "Mã phiếu: số ở cột “Mã” của bảng các đối tượng."


class ProposalForm(_RatingStep):
    note = forms.CharField(label="Nhận xét của chi bộ / tập thể", widget=forms.Textarea(attrs={"rows": 2}),
                           required=False)
    field_order = ["rating", "level", "score", "note", "reason", "on"]

    def __init__(self, *args, round_, user, **kwargs):
        super().__init__(*args, prefix="de-xuat", **kwargs)
        self._ratings(round_, user, result="")


class DecisionForm(_RatingStep):
    body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Cơ quan quyết định",
                                  error_messages={"invalid_choice": "Cơ quan đã chọn không có trong danh sách."})
    disqualifiers = forms.MultipleChoiceField(label="Căn cứ không hoàn thành nhiệm vụ (QĐ 366 Điều 11)",
                                              choices=[(c.code, c.text) for c in DISQUALIFIERS], required=False,
                                              widget=forms.CheckboxSelectMultiple)
    field_order = ["rating", "level", "body", "score", "reason", "disqualifiers", "on"]

    def __init__(self, *args, round_, user, **kwargs):
        super().__init__(*args, prefix="quyet-dinh", **kwargs)
        self._ratings(round_, user, proposed_level__gt="")
        # The bodies that may decide: those of the round's unit, its ancestors and the units below it
        # (services.checks.may_decide tells which one may decide for which subject).
        path = round_.unit.path
        ancestors = [path[:i] for i in range(5, len(path) + 1, 5)]
        deciding = Body.objects.visible_to(user).filter(kind__in=DECIDING_BODY_KINDS)
        self.fields["body"].queryset = (deciding.filter(Q(unit__path__in=ancestors) | Q(unit__path__startswith=path))
                                        .select_related("unit").order_by("unit__path", "name"))
        self.fields["on"].initial = min(_today(), date(round_.year + 1, 1, 31))


class ExceptionForm(forms.Form):
    body = forms.ModelChoiceField(queryset=Body.objects.none(), label="Cơ quan quyết định")
    reason = forms.CharField(label="Thành tích nổi trội", widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.CharField(label="Văn bản (số, ngày)", max_length=120, required=False)

    def __init__(self, *args, decision_form: DecisionForm, **kwargs):
        super().__init__(*args, prefix="ngoai-le", **kwargs)
        self.fields["body"].queryset = decision_form.fields["body"].queryset
