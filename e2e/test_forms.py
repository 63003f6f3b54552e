import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.top >= 0 && r.bottom <= window.innerHeight; }""", selector)


def test_a_refused_edit_on_a_phone_brings_the_first_mistake_into_view_and_focus(world, live_server, page):
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/dang-vien/{world.member_a1.pk}/sua/")
    date_box = page.locator("input[name=admitted_on]")
    assert date_box.get_attribute("placeholder") == "ngày/tháng/năm"
    date_box.fill("31/02/2015")  # far below the fold on a 390 px phone
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.wait_for_load_state("load")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'admitted_on'")
    assert in_view(page, "input[name=admitted_on]")
    assert page.evaluate("window.scrollY") > 0
    assert "không phải một ngày có thật" in page.locator(".field.has-error").inner_text()

    # The same date written as ISO (1990-02-07 style) is taken.
    date_box.fill("2015-06-01")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.wait_for_url(f"{live_server.url}/dang-vien/{world.member_a1.pk}/")
    assert "Đã lưu hồ sơ" in page.locator("main").inner_text()


def test_an_untouched_page_keeps_its_place(world, live_server, page):
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/dang-vien/{world.member_a1.pk}/sua/")
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.activeElement === document.body")
