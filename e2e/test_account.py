import pytest

from dangvu.testing import PASSWORD
from e2e.conftest import log_in

pytestmark = pytest.mark.e2e

NEW = "mat-khau-moi-2026"


def test_binh_changes_the_password_from_the_menu_on_a_phone(world, live_server, page):
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")

    # on a 390 px screen the name is behind the menu button
    page.get_by_text("Trình đơn").click()
    page.get_by_role("link", name="binh").click()
    page.wait_for_url(f"{live_server.url}/tai-khoan/")
    assert "Cán bộ tổ chức · Xã An Hòa và các tổ chức trực thuộc" in page.locator("main").inner_text()

    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", "ngan")
    page.fill("input[name=new_password2]", "ngan")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in page.locator("main").inner_text()

    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", NEW)
    page.fill("input[name=new_password2]", NEW)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.wait_for_url(f"{live_server.url}/tai-khoan/")
    assert "Đã đổi mật khẩu" in page.locator("main").inner_text()

    # signed out, the old password no longer opens the account; the new one does
    page.get_by_text("Trình đơn").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", "binh")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.locator("main").inner_text()
    page.fill("input[name=password]", NEW)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
