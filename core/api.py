"""Pieces every API router shares."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

MAX_PAGE_SIZE = 200


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Số trang, bắt đầu từ 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Số dòng mỗi trang (≤ {MAX_PAGE_SIZE}).")


class PageOut(Schema):
    """The envelope clients of DRF-style APIs expect: follow `next` until it is null."""

    count: int = Field(description="Số dòng của mọi trang cộng lại.")
    next: str | None = Field(description="Địa chỉ trang sau; null ở trang cuối.")
    previous: str | None = Field(description="Địa chỉ trang trước; null ở trang đầu.")


def paginate(queryset: QuerySet, params: PageParams, count: int | None = None) -> tuple[int, list]:
    """(count of all rows, the rows of the asked page). Ninja's @paginate slices after the view
    returns, too late for one roll-up per page, so lists page themselves with this. `count`, when the
    caller knows it (from the tallies), saves counting a province's 140,000 rows on every page."""
    start = (params.page - 1) * params.page_size
    return queryset.count() if count is None else count, list(queryset[start : start + params.page_size])


def page_body(request: HttpRequest, params: PageParams, count: int, items: list) -> dict:
    """The answer of a list: count, links to the neighbouring pages (same filters) and the items."""
    last = max(1, -(-count // params.page_size))  # ceiling division; an empty list still has page 1
    return {
        "count": count,
        "next": _page_url(request, params.page + 1) if params.page < last else None,
        # Past the end, "previous" leads back to the last page that has rows.
        "previous": _page_url(request, min(params.page - 1, last)) if params.page > 1 else None,
        "items": items,
    }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
