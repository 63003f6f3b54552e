import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_binh_transfers_a_member_from_a_to_b_and_dung_accepts_and_sees_the_member_in_b(world, live_server, page, browser):
    """binh and dung are the test world's officers of communes A and B (xa_a and xa_b in the demo)."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    member = world.member_a1
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/dang-vien/{member.pk}/")
    page.get_by_role("link", name="Chuyển sinh hoạt đảng viên này").click()
    page.wait_for_url(f"{live_server.url}/chuyen-sinh-hoat/dang-vien/{member.pk}/")
    page.select_option("#id_purpose", value="cu_tru")
    page.select_option("#id_to_unit", value=str(world.cell_b1.pk))
    page.fill("#id_reason_on", (today - timedelta(days=5)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Cấp giấy giới thiệu").click()
    page.wait_for_url(f"{live_server.url}/chuyen-sinh-hoat/*/")
    assert "Đã cấp giấy giới thiệu" in page.locator("main").inner_text()

    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})  # dung's own phone
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "dung")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/viec-can-lam/")
    page.get_by_role("link", name="Chuyển sinh hoạt đảng").click()
    page.get_by_role("link", name="Nguyễn Văn Ánh").click()
    page.fill("#id_acceptform-on", today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    assert "Đã tiếp nhận" in page.locator("main").inner_text()
    page.get_by_role("link", name="Nguyễn Văn Ánh").first.click()
    page.wait_for_url(f"{live_server.url}/dang-vien/{member.pk}/")
    main = page.locator("main").inner_text()
    assert "Chi bộ thôn Bình Tây" in main and "Chi bộ thôn An Phú" in main  # now in B; the history keeps A
    context.close()
