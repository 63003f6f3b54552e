"""Biến động đảng viên in Chromium: from the member list to the figures of a year and the members behind one."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_binh_opens_the_figures_of_the_year_and_the_member_struck_off(world, live_server, page):
    from django.utils import timezone

    from members.choices import EventKind
    from members.services import record_event

    today = timezone.localdate()
    record_event(world.member_a2, EventKind.STRUCK_OFF, on=today, by=world.binh, decision_number="7-QĐ/ĐU")
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/dang-vien/")
    # The list's head gained a button: it still fits a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Biến động đảng viên").click()
    expect(page.get_by_role("heading", name="Biến động đảng viên")).to_be_visible()
    page.get_by_role("link", name=f"Năm {today.year}", exact=True).click()
    row = page.locator("#bien-dong tr[data-key=struck_off]")
    expect(row).to_contain_text("1")
    # The phone-width page scrolls only inside its tables, never sideways as a whole.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_role("heading", name="Xóa tên")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Lê Văn Cường")
    expect(page.locator("main")).to_contain_text("7-QĐ/ĐU")
