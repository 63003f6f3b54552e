"""Data quality of member records ("đúng – đủ – sạch – sống") for a unit's subtree: how complete
each required field is, complete records per child unit, and the problems to work through, also
as a spreadsheet. The figures come from `members.quality.report`, computed through `visible_to`.
"""

import io
import re

from django.shortcuts import render
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.htmx import login_required
from core.text import fold
from members import quality
from members.forms import QualityForm
from members.privacy import mask_cccd, no_store
from members.views.base import XLSX, download
from orgs.models import OrgUnit

CCCD_IN_TEXT = re.compile(r"\b\d{12}\b")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _chosen_unit(request) -> tuple[QualityForm, OrgUnit | None]:
    """The unit asked for, or the user's highest unit; a wrong choice is shown on the form."""
    form = QualityForm(request.GET or None, user=request.user)
    unit = form.cleaned_data.get("don_vi") if form.is_bound and form.is_valid() else None
    if unit is None:
        unit = OrgUnit.objects.tops_for(request.user).order_by("path").first()
        if not form.is_bound and unit is not None:
            form.fields["don_vi"].initial = unit.pk
    return form, unit


def _problems(unit: OrgUnit, user) -> list[quality.Problem]:
    problems = quality.problems(unit, user)
    # A problem line quotes the CCCD; this is a list, and lists mask (members.privacy): the last 4
    # digits and the message say what to fix, the member's page shows the number whole to those allowed.
    for p in problems:
        p.problem = CCCD_IN_TEXT.sub(lambda m: mask_cccd(m.group()), p.problem)
    return problems


@login_required
@no_store
def report(request):
    user = request.user
    form, unit = _chosen_unit(request)
    context = {"form": form, "unit": unit}
    if unit is not None:
        children = sorted(OrgUnit.objects.visible_to(user).filter(parent=unit).open(), key=lambda u: fold(u.name))
        result = quality.report(unit, user, children=children)
        result.problems = _problems(unit, user)
        context["report"] = result
        context["by_unit"] = [(child, total, complete, 100.0 * complete / total if total else None)
                              for child, total, complete in result.by_unit]
        context["query"] = f"don_vi={unit.pk}"
    return render(request, "members/quality.html", context)


def _safe(ws, value):
    """A cell that cannot run as a formula when the file is opened (the text is written as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


@login_required
def export_problems(request):
    """The problem list as xlsx: one row per problem, to work through by hand."""
    _form, unit = _chosen_unit(request)
    problems = _problems(unit, request.user) if unit is not None else []
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Cần rà soát")
    for letter, width in zip("ABCDE", (6, 28, 30, 70, 10), strict=True):
        ws.column_dimensions[letter].width = width
    header = []
    for text in ("STT", "Họ và tên", "Chi bộ", "Vấn đề", "Mã hồ sơ"):
        cell = WriteOnlyCell(ws, text)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for n, p in enumerate(problems, start=1):
        ws.append([n, _safe(ws, p.full_name), _safe(ws, p.unit_name), _safe(ws, p.problem), p.member_id])
    out = io.BytesIO()
    wb.save(out)
    return download(out.getvalue(), "chat-luong-du-lieu-dang-vien.xlsx", XLSX)
