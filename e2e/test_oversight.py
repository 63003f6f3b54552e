"""An inspection officer opens a case, concludes it with a violation, records the cell's reprimand, and sees it on
the member's page and in the quarter's statistics."""

from datetime import timedelta

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_kiemtra_a_takes_a_case_to_the_cells_reprimand(world, live_server, page):
    from django.utils import timezone

    from access.rules import Role
    from bodies import services as bodies_services
    from bodies.rules import BodyKind
    from dangvu.testing import REFORM, make_user

    make_user("kiemtra_a", world.commune_a, Role.INSPECTION)
    bodies_services.create_body(world.commune_a, kind=BodyKind.INSPECTION, name="Ủy ban Kiểm tra Đảng ủy xã An Hòa",
                                symbol="UBKTĐU", valid_from=REFORM, by=None)
    today = timezone.localdate()
    day = lambda n: f"{today - timedelta(days=n):%d/%m/%Y}"  # noqa: E731

    log_in(page, live_server, "kiemtra_a")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/to-chuc/{world.commune_a.pk}/")
    page.locator("#kiem-tra").get_by_role("link", name="Các cuộc kiểm tra, giám sát").click()
    page.get_by_role("link", name="Mở cuộc kiểm tra, giám sát").click()
    page.select_option("#id_case_type", value="kt_dau_hieu")
    page.select_option("#id_body", label="Ủy ban Kiểm tra Đảng ủy xã An Hòa")
    page.fill("#id_content", "Khai thác thủy sản trái phép")
    page.fill("#id_opened_on", day(20))
    page.select_option("#id_members", value=str(world.member_a1.pk))
    page.get_by_role("button", name="Ghi").click()
    assert "Khai thác thủy sản trái phép" in page.locator("main").inner_text()

    page.fill("#id_conclude-concluded_on", day(10))
    page.select_option("#id_conclude-violation", value="1")
    page.fill("#id_conclude-conclusion", "Có vi phạm Luật Thủy sản")
    page.get_by_role("button", name="Ghi kết luận").click()
    page.get_by_role("link", name="Ghi quyết định kỷ luật").click()

    page.select_option("#id_form", value="khien_trach")
    page.select_option("#id_deciding_unit", value=str(world.cell_a1.pk))
    page.fill("#id_votes_for", "1")  # the cell's one official member (the other is on probation)
    page.fill("#id_votes_total", "1")
    page.fill("#id_violation_on", day(40))
    page.fill("#id_reason", "Vi phạm Luật Thủy sản")
    page.fill("#id_decision_number", "01-QĐ/CB")
    page.fill("#id_decided_on", day(5))
    page.get_by_role("button", name="Ghi").click()
    assert "Khiển trách: Nguyễn Văn Ánh" in page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/dang-vien/{world.member_a1.pk}/")
    section = page.locator("#ky-luat").inner_text()
    assert "Khiển trách" in section and "01-QĐ/CB" in section

    page.goto(f"{live_server.url}/kiem-tra/thong-ke/?unit={world.commune_a.pk}&from_on={day(60)}&to_on={day(0)}")
    assert page.locator("#so-dang-vien-bi-ky-luat").inner_text() == "1"
