"""Pages: commendations (list, suggestions from the ratings, counts, the form) and "Dân vận khéo" models
(list, counts per field, register and advance, Excel)."""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from openpyxl import Workbook

from assessment import awards
from assessment.awards_forms import AdvanceForm, CommendationForm, ModelForm
from assessment.checks import ACTION
from assessment.export import _cell
from assessment.models import Commendation, MobilizationModel
from assessment.views import _results_unit, _year
from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.scoping import can_anywhere
from core.tree import subtree_q


@login_required
def commendations(request):
    unit, year = _results_unit(request), _year(request)
    user, may = request.user, can_anywhere(request.user, ACTION)
    form = CommendationForm(request.POST or None, user=user) if may else None
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            awards.commend(by=user, kind=d["kind"], issuer=d["issuer"], decision_number=d["decision_number"],
                           decided_on=d["decided_on"], reason=d["reason"], member=d["member"], unit=d["unit"],
                           year=d["year"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Đã ghi khen thưởng.")
            return redirect(request.get_full_path())
    context = {"unit": unit, "year": year, "form": form}
    if unit is not None:
        context.update({
            "rows": Commendation.objects.visible_to(user).filter(subtree_q("subject_unit__path", unit.path))
            .select_related("member", "recipient_unit").order_by("-decided_on", "id")[:300],
            "suggestions": awards.suggestions(unit, user, year),
            "counts": awards.commendation_counts(unit, user, year),
        })
    return render(request, "assessment/commendations.html", context,
                  status=400 if request.method == "POST" else 200)


@login_required
def models_page(request):
    unit, user = _results_unit(request), request.user
    may = can_anywhere(user, ACTION)
    forms = {"register": ModelForm(user=user), "advance": AdvanceForm(user=user)} if may else {}
    if request.method == "POST" and may:
        step = request.POST.get("buoc") and "advance" or "register"
        form = (AdvanceForm if step == "advance" else ModelForm)(request.POST, user=user)
        forms[step] = form
        if form.is_valid():
            d = form.cleaned_data
            try:
                if step == "advance":
                    awards.advance_model(d["model"], by=user, status=d["status"], on=d["on"], level=d["level"],
                                         evidence=d["evidence"])
                else:
                    awards.register_model(d["unit"], by=user, name=d["name"], field=d["field"], owner=d["owner"],
                                          year=d["year"], registered_on=d["registered_on"],
                                          collective=d["collective"], evidence=d["evidence"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, "Đã ghi mô hình.")
                return redirect(request.get_full_path())
    context = {"unit": unit, "forms": forms}
    if unit is not None:
        context.update({"rows": _models(unit, user)[:300], "counts": awards.model_counts(unit, user)})
    return render(request, "assessment/models.html", context, status=400 if request.method == "POST" else 200)


def _models(unit, user):
    return (MobilizationModel.objects.visible_to(user).filter(subtree_q("unit__path", unit.path))
            .select_related("unit").order_by("-year", "unit__path", "name"))


@login_required
def models_export(request):
    unit = _results_unit(request)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Dân vận khéo")
    ws.append([_cell(ws, h, bold=True) for h in ("Năm", "Đơn vị", "Tên mô hình", "Lĩnh vực", "Chủ mô hình",
                                                  "Trạng thái", "Cấp công nhận", "Minh chứng")])
    for m in (_models(unit, request.user) if unit else []):
        ws.append([m.year, _cell(ws, m.unit.name), _cell(ws, m.name), _cell(ws, m.get_field_display()),
                   _cell(ws, m.owner), _cell(ws, m.get_status_display()), _cell(ws, m.get_level_display()),
                   _cell(ws, m.evidence)])
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="dan-van-kheo-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
