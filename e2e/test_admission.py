"""One candidate from the cell's list to recognition as an official member, in Chromium on a phone."""

from datetime import date

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _try(page, kind: str, on: str, **fields) -> str:
    page.select_option("#id_buoc-kind", value=kind)
    page.fill("#id_buoc-on", on)
    for name, value in fields.items():
        page.fill(f"#id_buoc-{name}", value)
    page.get_by_role("button", name="Ghi bước").click()
    return page.locator("main").inner_text()


def _step(page, kind: str, on: str, **fields) -> None:
    main = _try(page, kind, on, **fields)
    assert "Đã ghi" in main, main


def test_binh_takes_a_candidate_from_the_list_to_recognition(world, live_server, page):
    from dangvu.testing import make_member
    from members.models import Member, Status

    elders = [make_member(world.cell_a1, name, admitted_on=date(2010, 3, 1))
              for name in ("Hồ Văn Một", "Hồ Văn Hai", "Hồ Văn Ba", "Hồ Thị Bốn", "Hồ Thị Năm")]
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/ket-nap/")
    page.get_by_role("link", name="Thêm người vào danh sách").click()
    page.select_option("#id_unit", value=str(world.cell_a1.pk))
    page.get_by_role("button", name="Tiếp tục").click()

    for name, value in {"registered_on": "10/01/2025", "full_name": "Võ Thị Hạnh", "birth_date": "20/04/1998",
                        "general_education": "12/12", "certificate_on": "01/06/2024", "application_on": "01/06/2025",
                        "cv_on": "01/06/2025", "mass_comment_on": "01/06/2025", "residence_comment_on": "01/06/2025",
                        "verified_on": "01/06/2025", "introduction_on": "01/06/2025",
                        "introducer_1_since": "01/01/2020", "introducer_2_since": "01/01/2020"}.items():
        page.fill(f"#id_{name}", value)
    page.select_option("#id_gender", value="nu")
    page.select_option("#id_helpers", value=[str(elders[2].pk)])
    page.select_option("#id_introducer_1", value=str(elders[0].pk))
    page.select_option("#id_introducer_2", value=str(elders[1].pk))
    page.get_by_role("button", name="Lưu").click()
    assert "Đã đưa Võ Thị Hạnh vào danh sách" in page.locator("main").inner_text()

    main = _try(page, "chi_bo", "07/07/2025", votes_for="6")  # more than the cell's five official members
    assert "lớn hơn số đảng viên chính thức của chi bộ" in main
    assert page.locator("#id_buoc-votes_for").input_value() == "6"  # kept as typed
    main = _try(page, "chi_bo", "07/07/2025", votes_for="5")
    assert "Đã ghi: Nghị quyết chi bộ" in main and "01-NQ/CB" in main
    _step(page, "dang_uy_co_so", "14/07/2025", votes_for="3", committee_size="3")
    _step(page, "nhan_ho_so", "15/07/2025")
    _step(page, "quyet_dinh", "01/09/2025")
    _step(page, "le_ket_nap", "10/09/2025")
    assert "hết dự bị ngày 10/09/2026" in page.locator("#buoc-hien-tai").inner_text()
    _step(page, "chi_bo_cn", "14/09/2026", votes_for="5")
    _step(page, "dang_uy_co_so_cn", "21/09/2026", votes_for="3", committee_size="3")
    _step(page, "cong_nhan", "01/10/2026")
    assert "Đã công nhận đảng viên chính thức" in page.locator("#buoc-hien-tai").inner_text()

    member = Member.objects.get(full_name="Võ Thị Hạnh")
    assert (member.status, member.recognized_on, member.admitted_on) == (Status.OFFICIAL, date(2026, 9, 10),
                                                                         date(2025, 9, 10))
    page.get_by_role("link", name="Hồ sơ đảng viên").click()
    page.wait_for_url(f"{live_server.url}/dang-vien/{member.pk}/")
    assert "Hồ sơ kết nạp" in page.locator("main").inner_text()
