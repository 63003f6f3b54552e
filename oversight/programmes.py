"""Annual inspection and supervision programmes: guard -> atomic change -> audit, as in services."""

from datetime import date

from django.db import transaction

from audit.services import record
from bodies.models import Body
from core.errors import DomainError
from oversight.models import Case, Programme, ProgrammeItem
from oversight.rules import CaseType
from oversight.services import _allowed, _not_future


@transaction.atomic
def create_programme(body: Body, *, year: int, adopted_on: date, by) -> Programme:
    _allowed(by, body.unit)
    _not_future(adopted_on, "Ngày thông qua", "adopted_on")
    if adopted_on.year not in (year - 1, year):
        raise DomainError(f"Chương trình năm {year} được thông qua cuối năm trước hoặc đầu năm {year}.",
                          field="adopted_on")
    if Programme.objects.filter(body=body, year=year).exists():
        raise DomainError(f"“{body.name}” đã có chương trình kiểm tra, giám sát năm {year}; hãy thêm nội dung vào đó.",
                          field="year")
    p = Programme.objects.create(body=body, unit_path=body.unit.path, year=year, adopted_on=adopted_on)
    record("oversight.programme.created", actor=by, obj=p, unit_path=p.unit_path, unit_name=body.unit.name,
           after={"body": body.name, "year": year, "adopted_on": adopted_on.isoformat()})
    return p


@transaction.atomic
def add_programme_item(programme: Programme, *, case_type: str, content: str, planned_month: int,
                       by) -> ProgrammeItem:
    _allowed(by, programme.body.unit)
    if not 1 <= planned_month <= 12:
        raise DomainError("Tháng dự kiến từ 1 đến 12.", field="planned_month")
    if not content.strip():
        raise DomainError("Hãy ghi nội dung, đối tượng.", field="content")
    item = ProgrammeItem.objects.create(programme=programme, case_type=case_type, content=content.strip(),
                                        planned_month=planned_month)
    record("oversight.programme.item_added", actor=by, obj=programme, unit_path=programme.unit_path,
           after={"type": case_type, "content": item.content, "month": planned_month})
    return item


@transaction.atomic
def link_case(item: ProgrammeItem, case: Case, *, by) -> ProgrammeItem:
    """Mark a planned item as carried out by `case`: of the programme's body, its type and its year."""
    p = item.programme
    _allowed(by, p.body.unit)
    if item.case_id:
        raise DomainError("Nội dung này đã gắn với một cuộc kiểm tra, giám sát.", field="case")
    if case.body_id != p.body_id or case.case_type != item.case_type or case.opened_on.year != p.year:
        raise DomainError(f"Hãy chọn một cuộc {CaseType(item.case_type).label.lower()} do “{p.body.name}” tiến hành "
                          f"trong năm {p.year}.", field="case")
    if ProgrammeItem.objects.filter(case=case).exists():
        raise DomainError("Cuộc này đã gắn với nội dung khác của chương trình.", field="case")
    item.case = case
    item.save(update_fields=["case"])
    record("oversight.programme.item_linked", actor=by, obj=p, unit_path=p.unit_path,
           after={"item": item.content, "case": case.pk})
    return item
