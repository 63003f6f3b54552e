import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_binh_opens_the_tree_and_sees_commune_a_not_b(world, live_server, page):
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    tree = page.locator("main")
    assert "Đảng bộ xã An Hòa" in tree.inner_text()
    assert "Bình Sơn" not in page.content()

    # expanding commune A loads its cells in place, without leaving the page
    page.get_by_role("button", name="Đảng bộ xã An Hòa").first.click()
    page.get_by_text("Chi bộ thôn An Phú").wait_for()
    assert page.url == f"{live_server.url}/to-chuc/"
    assert "Chi bộ thôn An Lạc" in tree.inner_text()
    assert "Bình Tây" not in page.content()


def test_dung_gets_not_found_for_a_unit_of_commune_a(world, live_server, page):
    log_in(page, live_server, "dung")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    response = page.goto(f"{live_server.url}/to-chuc/{world.commune_a.pk}/")
    assert response.status == 404
    assert "An Hòa" not in page.content()


def test_a_past_day_keeps_its_date_from_the_tree_to_the_unit_page(world, live_server, page):
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/to-chuc/?ngay=01/08/2025")
    tree = page.locator("main")
    # the province above is named only: no link, no figures
    label = page.locator(".node.is-label .node-title").first
    assert label.inner_text() == "Đảng bộ tỉnh Thử Nghiệm"
    assert page.locator(f'a[href^="/to-chuc/{world.province.pk}/"]').count() == 0
    page.get_by_role("button", name="Tổ chức trực thuộc Đảng bộ xã An Hòa").click()
    page.get_by_text("Chi bộ thôn An Phú").wait_for()
    assert "Bình Tây" not in tree.inner_text()
    page.get_by_role("link", name="Chi bộ thôn An Phú").click()
    page.wait_for_url(f"{live_server.url}/to-chuc/{world.cell_a1.pk}/?ngay=01/08/2025")
    assert "Như tại ngày 01/08/2025" in page.locator("main").inner_text()
