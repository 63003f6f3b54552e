"""A round in one cell, in Chromium: a self-assessment and the cell's proposal on the round's page, two
excellent decisions accepted and the third refused over the quota (12 good: 20% of 12 = 2.4 → 2), then the
results page with counts and percentages that add up."""

from datetime import date

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _setup(world):
    from assessment import services
    from assessment.rules import Level, Subject
    from bodies import services as bodies
    from bodies.rules import BodyKind
    from dangvu.testing import REFORM, make_member

    du = bodies.create_body(world.commune_a, kind=BodyKind.COMMITTEE, name="Đảng ủy xã An Hòa", valid_from=REFORM,
                            by=None)
    round_ = services.create_round(world.commune_a, year=2025, subject=Subject.MEMBERS, by=None,
                                   self_due=date(2025, 12, 5), proposal_due=date(2025, 12, 12),
                                   decision_due=date(2025, 12, 25))
    for i in range(12):
        r = services.self_assess(round_, member=make_member(world.cell_a1, f"Tốt {i:02d}"), score=80,
                                 level=Level.GOOD, by=None, on=date(2025, 12, 1))
        r = services.propose(r, level=Level.GOOD, by=None, on=date(2025, 12, 10))
        services.decide(r, level=Level.GOOD, body=du, on=date(2025, 12, 20), by=None)
    for i in range(3):
        r = services.self_assess(round_, member=make_member(world.cell_a1, f"Xuất Sắc {i}"), score=95,
                                 level=Level.EXCELLENT, by=None, on=date(2025, 12, 1))
        services.propose(r, level=Level.EXCELLENT, by=None, on=date(2025, 12, 10))
    make_member(world.cell_a1, "Xuất Sắc 3")
    return round_


def test_a_round_in_one_cell_with_the_quota_refusal_and_the_results(world, live_server, page):
    round_ = _setup(world)
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/danh-gia/")
    page.get_by_role("link", name="2025").click()
    page.wait_for_url(f"{live_server.url}/danh-gia/dot/{round_.pk}/")

    page.select_option("#id_tu-danh-gia-subject", label="Xuất Sắc 3 · Chi bộ thôn An Phú")
    page.fill("#id_tu-danh-gia-score", "96")
    page.select_option("#id_tu-danh-gia-level", value="xuat_sac")
    page.fill("#id_tu-danh-gia-on", "02/12/2025")
    page.get_by_role("button", name="Ghi tự đánh giá").click()
    assert "Đã ghi tự đánh giá." in page.locator("main").inner_text()

    page.select_option("#id_de-xuat-rating", label="Xuất Sắc 3 · Chi bộ thôn An Phú")
    page.select_option("#id_de-xuat-level", value="xuat_sac")
    page.fill("#id_de-xuat-on", "10/12/2025")
    page.get_by_role("button", name="Ghi đề xuất").click()
    assert "Đã ghi đề xuất." in page.locator("main").inner_text()

    def decide(name):
        page.select_option("#id_quyet-dinh-rating", label=f"{name} · Chi bộ thôn An Phú")
        page.select_option("#id_quyet-dinh-level", value="xuat_sac")
        page.select_option("#id_quyet-dinh-body", label="Đảng ủy xã An Hòa")
        page.fill("#id_quyet-dinh-on", "20/12/2025")
        page.get_by_role("button", name="Ghi quyết định").click()

    decide("Xuất Sắc 0")
    assert "Đã ghi quyết định xếp loại." in page.locator("main").inner_text()
    decide("Xuất Sắc 1")
    assert "Đã ghi quyết định xếp loại." in page.locator("main").inner_text()
    decide("Xuất Sắc 3")
    refusal = page.locator("#quyet-dinh").inner_text()
    assert "20% × 12 = 2,4 → 2" in refusal and "QĐ 366-QĐ/TW Điều 11" in refusal

    page.goto(f"{live_server.url}/danh-gia/ket-qua/?to_chuc={world.commune_a.pk}&nam=2025")
    table = page.locator("#phan-bo-members").inner_text()
    assert "Đảng viên: 14" in table
    assert "14,29%" in table and "85,71%" in table and "100%" in table
