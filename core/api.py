"""Pieces every API router shares."""

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 200


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Số trang, bắt đầu từ 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Số dòng mỗi trang (≤ {MAX_PAGE_SIZE}).")


def paginate(queryset: QuerySet, params: PageParams, count: int | None = None) -> tuple[int, list]:
    """(count of all rows, the rows of the asked page). Ninja's @paginate slices after the view
    returns, too late for one roll-up per page, so lists page themselves with this. `count`, when the
    caller knows it (from the tallies), saves counting a province's 140,000 rows on every page."""
    start = (params.page - 1) * params.page_size
    return queryset.count() if count is None else count, list(queryset[start : start + params.page_size])
