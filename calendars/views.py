"""The page "Lịch ngày làm việc": a year's holidays, days off and make-up days, the working days of each
month; administrators add and remove the days of an announcement (calendars.services)."""

import calendar
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from calendars import services, workdays
from calendars.forms import DayExceptionForm
from calendars.models import DayException
from core.errors import DomainError
from core.forms import show_error
from core.htmx import login_required
from core.text import vn_date

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(request) -> int:
    try:
        y = int(request.GET.get("nam") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year
    return min(max(y, FIRST_YEAR), LAST_YEAR)


def _year_url(year: int) -> str:
    return f"{reverse('calendars-year')}?nam={year}"


def _months(year: int) -> list[dict]:
    out = []
    for m in range(1, 13):
        last = calendar.monthrange(year, m)[1]
        working = sum(workdays.is_working_day(date(year, m, d)) for d in range(1, last + 1))
        out.append({"month": m, "working": working, "days": last})
    return out


def _render(request, year: int, form=None, status: int = 200):
    may = services.may_edit(request.user)
    months = _months(year)
    context = {
        "year": year,
        "days": [(d, services.WEEKDAYS[d.day.weekday()]) for d in workdays.special_days(year)],
        "months": months,
        "breaks": workdays.long_breaks(year),
        "total": sum(m["working"] for m in months),
        "may_edit": may,
        "form": form or (DayExceptionForm() if may else None),
    }
    return render(request, "calendars/year.html", context, status=status)


@login_required
def year_page(request):
    return _render(request, _year(request))


@login_required
@require_POST
def add(request):
    if not services.may_edit(request.user):
        raise PermissionDenied("Chỉ quản trị viên cấp cao nhất mới được sửa lịch ngày làm việc.")
    form = DayExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = services.add_exception(day=data["day"], kind=data["kind"], note=data["note"],
                                         source=data["source"], by=request.user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Đã ghi {row.get_kind_display().lower()} {vn_date(row.day)}.")
            return redirect(_year_url(row.day.year))
    year = form.cleaned_data["day"].year if form.cleaned_data.get("day") else _year(request)
    return _render(request, year, form, status=400)


@login_required
@require_POST
def delete(request, pk: int):
    if not services.may_edit(request.user):
        raise PermissionDenied("Chỉ quản trị viên cấp cao nhất mới được sửa lịch ngày làm việc.")
    row = get_object_or_404(DayException, pk=pk)
    services.delete_exception(row, by=request.user)
    messages.success(request, f"Đã xóa {row.get_kind_display().lower()} {vn_date(row.day)}; lịch tính lại theo luật.")
    return redirect(_year_url(row.day.year))
