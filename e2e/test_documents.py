import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_binh_enters_the_communes_plan_under_the_provinces_and_a_cell_disseminates_it(world, live_server, page):
    from datetime import date

    from documents import services

    kl = services.register(unit=None, issuer="TW", doc_type="KL", number=21, issued_on=date(2021, 10, 25),
                           title="Kết luận về xây dựng, chỉnh đốn Đảng", by=None)
    services.register(unit=world.province, issuer="TU", doc_type="KH", number=82, issued_on=date(2022, 1, 20),
                      title="Kế hoạch thực hiện Kết luận 21", implements=kl, by=None)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.locator(".menu-group", has_text="Văn bản, chỉ tiêu").locator(".menu-head").hover()  # with "Chỉ tiêu"
    page.get_by_role("link", name="Sổ văn bản").click()
    page.wait_for_url(f"{live_server.url}/van-ban/")
    page.fill("#id_q", "ke hoach thuc hien ket luan")  # without diacritics
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="82-KH/TU").click()
    page.get_by_role("link", name="Ghi văn bản thực hiện văn bản này").click()

    page.select_option("#id_unit", label="\u00a0" * 4 + "Đảng bộ xã An Hòa")
    page.select_option("#id_doc_type", value="KH")
    page.fill("#id_issued_on", "15/09/2025")
    page.fill("#id_title", "Kế hoạch thực hiện Kế hoạch 82-KH/TU")
    page.get_by_role("button", name="Ghi").click()
    assert "Đã ghi văn bản Số 01-KH/ĐU." in page.locator("main").inner_text()

    page.locator("summary", has_text="Ghi việc quán triệt").click()
    page.select_option("#id_qt-unit", label="\u00a0" * 4 + "Chi bộ thôn An Phú")
    page.fill("#id_qt-held_on", "01/10/2025")
    page.fill("#id_qt-attended", "9")
    page.fill("#id_qt-total", "8")
    page.get_by_role("button", name="Ghi", exact=True).last.click()
    assert "lớn hơn tổng số" in page.locator("main").inner_text()  # the form came back open, as typed
    assert page.input_value("#id_qt-attended") == "9"
    page.fill("#id_qt-total", "10")
    page.get_by_role("button", name="Ghi", exact=True).last.click()
    assert "1/2 chi bộ" in page.locator("#quan-triet").inner_text()
    assert "Chi bộ thôn An Lạc" in page.locator("#quan-triet").inner_text()  # not yet
