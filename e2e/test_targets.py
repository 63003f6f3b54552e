import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_an_sets_a_target_on_the_plan_cascades_it_and_sees_the_communes_roll_up(world, live_server, page):
    from datetime import date

    from documents.models import Document

    kl21 = Document.objects.create(unit=None, doc_type="KL", number=21, issuer="TW", issued_on=date(2021, 10, 25),
                                   title="Kết luận về xây dựng, chỉnh đốn Đảng")
    Document.objects.create(unit=world.province, doc_type="KH", number=82, issuer="TU", issued_on=date(2021, 12, 10),
                            title="Kế hoạch thực hiện Kết luận 21", implements=kl21)
    log_in(page, live_server, "an")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/to-chuc/{world.province.pk}/")
    page.get_by_role("link", name="Các chỉ tiêu của Đảng bộ tỉnh Thử Nghiệm").click()
    page.wait_for_url(f"{live_server.url}/chi-tieu/to-chuc/{world.province.pk}/")

    page.select_option("#id_chi-tieu-document", label="82-KH/TU · Kế hoạch thực hiện Kết luận 21")
    page.select_option("#id_chi-tieu-group", label="Xây dựng Đảng và hệ thống chính trị")
    page.fill("#id_chi-tieu-name", "Kết nạp đảng viên mới")
    page.fill("#id_chi-tieu-measure", "đảng viên")
    page.fill("#id_chi-tieu-from_year", "2025")
    page.fill("#id_chi-tieu-to_year", "2025")
    page.fill("#id_chi-tieu-plans", "2025: 100")
    page.get_by_role("button", name="Đặt chỉ tiêu").click()
    assert "Đã đặt chỉ tiêu" in page.locator("main").inner_text()
    page.locator("#bang").get_by_role("link", name="Kết nạp đảng viên mới").click()

    page.select_option("#id_giao-mode", value="phan_bo")
    page.fill(f"#id_giao-u{world.commune_a.pk}_2025", "60")
    page.fill(f"#id_giao-u{world.commune_b.pk}_2025", "45")
    page.get_by_role("button", name="Giao chỉ tiêu").click()
    assert "vượt chỉ tiêu chung 100" in page.locator("#giao-chi-tieu").inner_text()
    assert page.input_value(f"#id_giao-u{world.commune_b.pk}_2025") == "45"  # kept as typed
    page.fill(f"#id_giao-u{world.commune_b.pk}_2025", "40")
    page.get_by_role("button", name="Giao chỉ tiêu").click()
    assert "Đã giao chỉ tiêu cho 2 đơn vị" in page.locator("main").inner_text()

    for commune, value in (("Đảng bộ xã An Hòa", "65"), ("Đảng bộ xã Bình Sơn", "30")):
        page.locator("#bang-cap-duoi").get_by_role("link", name=commune).click()
        page.fill("#id_ket-qua-year", "2025")
        page.fill("#id_ket-qua-value", value)
        page.fill("#id_ket-qua-evidence", "Báo cáo tổng kết năm 2025")
        page.get_by_role("button", name="Ghi kết quả").click()
        assert "Đã ghi kết quả." in page.locator("main").inner_text()
        page.get_by_role("link", name="chỉ tiêu cấp trên (Đảng bộ tỉnh Thử Nghiệm)").click()

    assert "tổng 95 từ 2/2 đơn vị đã báo cáo" in page.locator("#cap-duoi").inner_text()
    assert page.locator("#danh-gia").inner_text() == "Chưa đạt"
    rows = page.locator("#bang-cap-duoi tbody tr")
    assert "Vượt" in rows.nth(0).inner_text() and "Chưa đạt" in rows.nth(1).inner_text()
