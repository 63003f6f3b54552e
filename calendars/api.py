"""The working-day calendar over the API: the date N working days after a day, and a year's special days."""

from datetime import date

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from calendars import workdays

router = Router(tags=["Lịch ngày làm việc"])


class AddParams(Schema):
    start: date = Field(description="Ngày bắt đầu (không tính), dạng YYYY-MM-DD.")
    days: int = Field(ge=0, le=workdays.MAX_DAYS, description="Số ngày làm việc.")


class DateOut(Schema):
    date: date


class DayOut(Schema):
    date: date
    working: bool = Field(description="true: ngày làm bù (làm việc); false: ngày nghỉ.")
    name: str
    origin: str = Field(description="luat: ngày lễ theo luật (gói holidays); thong_bao: theo thông báo đã ghi.")
    source: str


@router.get("/add", response=DateOut, summary="Ngày mà N ngày làm việc đã trôi qua, tính từ ngày sau `start`")
def add(request, params: Query[AddParams]):
    return {"date": workdays.add_working_days(params.start, params.days)}


@router.get("", response=list[DayOut], summary="Ngày lễ, ngày nghỉ và ngày làm bù của một năm")
def days_of_year(request, year: int | None = Query(None, ge=2000, le=2100, description="Mặc định: năm nay.")):
    year = year or timezone.localdate().year
    return [{"date": d.day, "working": d.working, "name": d.name, "origin": d.origin, "source": d.source}
            for d in workdays.special_days(year)]
