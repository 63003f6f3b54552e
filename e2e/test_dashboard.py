"""The dashboard in Chromium: binh opens it, sees the charts (server-drawn SVG), the browser blocks nothing."""

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_binh_sees_the_charts_with_nothing_blocked(world, live_server, page):
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    assert page.locator('nav a[href="/tong-quan/"]').count() == 1  # in the menu (its group opens on hover)
    page.goto(f"{live_server.url}/tong-quan/")
    page.wait_for_url(f"{live_server.url}/tong-quan/")
    assert page.locator("h1").inner_text() == "Tổng quan: Đảng bộ xã An Hòa"
    assert page.locator("#tong-so").inner_text() == "3"
    chart = page.locator("#bieu-do-so-luong svg.chart")
    chart.wait_for()
    assert chart.bounding_box()["width"] > 200  # drawn, and scaled to the page
    assert page.locator("svg.chart").count() >= 6
    assert page.locator("#bieu-do-ky-luat").count() == 0  # binh holds no inspection right
    page.set_viewport_size({"width": 390, "height": 800})
    assert chart.bounding_box()["width"] <= 390  # the viewBox lets it shrink to a phone
    assert blocked == []
