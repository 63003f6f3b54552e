import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_binh_records_a_cells_chi_uy_after_its_congress_and_sees_the_secretary_on_the_members_page(
        world, live_server, page):
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/to-chuc/{world.cell_a1.pk}/")
    page.get_by_role("link", name="Các cơ quan, nhiệm kỳ, đại hội của Chi bộ thôn An Phú").click()
    page.wait_for_url(f"{live_server.url}/co-quan/to-chuc/{world.cell_a1.pk}/")

    page.fill("#id_co-quan-name", "Chi ủy Chi bộ thôn An Phú")
    page.fill("#id_co-quan-size", "3")
    page.fill("#id_co-quan-valid_from", "01/07/2025")
    page.get_by_role("button", name="Lập cơ quan").click()
    assert "Đã lập cơ quan." in page.locator("main").inner_text()

    page.fill("#id_dai-hoi-term_label", "2025–2030")
    page.fill("#id_dai-hoi-held_from", "25/07/2025")
    page.fill("#id_dai-hoi-held_to", "25/07/2025")
    page.get_by_role("button", name="Ghi đại hội").click()
    assert "từ 26/07/2025 đến nay" in page.locator("#nhiem-ky").inner_text()

    page.select_option("#id_chuc-vu-body", label="Chi ủy Chi bộ thôn An Phú")
    page.select_option("#id_chuc-vu-member", value=str(world.member_a1.pk))
    page.select_option("#id_chuc-vu-title", value="bi_thu")
    page.fill("#id_chuc-vu-from_on", "26/07/2025")
    page.get_by_role("button", name="Ghi chức vụ").click()
    page.locator("#co-quan").get_by_role("link", name="Nguyễn Văn Ánh").click()
    page.wait_for_url(f"{live_server.url}/dang-vien/{world.member_a1.pk}/")
    posts = page.locator("#chuc-vu").inner_text()
    assert "Bí thư" in posts and "Chi ủy Chi bộ thôn An Phú" in posts
