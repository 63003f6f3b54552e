"""Issue 14 item 5 in Chromium: a commune's officer sets up a cell herself."""

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_binh_sets_up_a_cell_of_commune_a_dated_1_september_2025(world, live_server, page):
    from orgs.models import OrgUnit

    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/to-chuc/{world.commune_a.pk}/")
    page.get_by_role("link", name="Thành lập tổ chức trực thuộc").click()
    page.fill("input[name=name]", "Chi bộ thôn An Mỹ")
    page.select_option("select[name=kind]", "chi_bo")
    page.fill("input[name=on]", "15/06/1989")  # before the commune began (the world: 01/01/1990): refused, what was typed kept
    page.fill("input[name=decision_number]", "125-QĐ/ĐU")
    page.get_by_role("button", name="Xem trước").click()
    assert "01/01/1990" in page.locator("main").inner_text()
    assert page.input_value("input[name=name]") == "Chi bộ thôn An Mỹ"
    page.fill("input[name=on]", "01/09/2025")
    page.get_by_role("button", name="Xem trước").click()
    page.get_by_role("button", name="Xác nhận").click()
    cell = OrgUnit.objects.get(name="Chi bộ thôn An Mỹ")
    page.wait_for_url(f"{live_server.url}/to-chuc/{cell.pk}/")
    assert "125-QĐ/ĐU" in page.locator("main").inner_text()

    # the commune's cells as of a day (the change log below names the cell whatever the day)
    page.goto(f"{live_server.url}/to-chuc/{world.commune_a.pk}/?ngay=31/08/2025")
    assert page.locator("td.name a", has_text="Chi bộ thôn An Mỹ").count() == 0
    assert page.locator("td.name a", has_text="Chi bộ thôn An Phú").count() == 1
    page.goto(f"{live_server.url}/to-chuc/{world.commune_a.pk}/?ngay=01/09/2025")
    assert page.locator("td.name a", has_text="Chi bộ thôn An Mỹ").count() == 1
