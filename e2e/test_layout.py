"""The phone (390 px) and the wide header (1280 px)."""

import pytest

from access.rules import Role
from dangvu.testing import make_user
from e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# For each table box: its first heading and how much of it is hidden to the right.
TABLES = """() => [...document.querySelectorAll('.table-wrap')].map(w => ({
    table: (w.querySelector('caption, th') || w).innerText,
    hidden: w.scrollWidth - w.clientWidth,
}))"""

LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
                   return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"""


def test_wide_tables_fit_a_phone_as_cards(world, live_server, page):
    from members.models import Member

    Member.objects.filter(pk=world.member_a1.pk).update(citizen_id="12345")  # a problem for the quality page
    log_in(page, live_server, "an")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    pages = [f"/to-chuc/{world.province.pk}/", f"/to-chuc/{world.commune_a.pk}/", f"/to-chuc/{world.cell_a1.pk}/",
             "/dang-vien/chat-luong-du-lieu/", "/dang-vien/"]
    for url in pages:
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        tables = page.evaluate(TABLES)
        assert tables, url
        for table in tables:
            assert table["hidden"] <= 0, (url, table)  # nothing hidden to the right
        assert not page.locator(".scroll-hint").count(), url

    # Cards still name each figure: the children of the commune, with their column names.
    page.goto(f"{live_server.url}/to-chuc/{world.commune_a.pk}/")
    child = page.locator("section", has_text="Tổ chức trực thuộc").locator("tbody tr", has_text="An Phú")
    labels = child.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    assert labels[1:] == ['"Loại"', '"Tổng số"', '"Chính thức"', '"Dự bị"']


def test_a_table_still_too_wide_for_a_phone_says_it_scrolls(world, live_server, page):
    log_in(page, live_server, "an")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/to-chuc/{world.commune_a.pk}/")  # its tables fit: widen them by hand
    # Through the CSSOM: the Content-Security-Policy refuses an injected <style> element.
    page.evaluate("""() => {
      const set = (selector, display) => document.querySelectorAll(selector)
        .forEach(el => el.style.setProperty("display", display, "important"));
      set(".card-table", "table"); set(".card-table tr", "table-row"); set(".card-table td, .card-table th", "table-cell");
      document.querySelectorAll(".card-table").forEach(t => { t.style.minWidth = "900px"; });
    }""")
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    wrap = page.locator(".table-wrap").first
    assert "scrolls" in wrap.get_attribute("class")
    hint = page.locator(".scroll-hint").first
    assert hint.is_visible() and "vuốt ngang" in hint.inner_text()
    assert wrap.evaluate("w => getComputedStyle(w).boxShadow") != "none"  # the shadow at the hidden side
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; w.dispatchEvent(new Event('scroll')); }")
    page.wait_for_function("document.querySelector('.table-wrap').classList.contains('at-end')")


def test_the_unit_filter_is_indented_without_dots(world, live_server, page):
    log_in(page, live_server, "an")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/dang-vien/")
    labels = page.locator("select[name=unit] option").all_text_contents()
    cell = next(label for label in labels if label.endswith("Chi bộ thôn An Phú"))
    commune = next(label for label in labels if label.endswith("Xã An Hòa"))
    assert cell.startswith("\u00a0" * 8) and commune.startswith("\u00a0" * 4) and not commune.startswith("\u00a0" * 5)
    assert not [label for label in labels if "·" in label]


@pytest.mark.parametrize("username", ["an", "chief"])
def test_at_1280_px_name_role_and_sign_out_stay_on_one_line_each(world, live_server, page, username):
    if username == "chief":  # the longest header: every menu entry, a long name, two long roles
        chief = make_user("chief", world.province, Role.ADMIN, first_name="Phương Thảo", last_name="Nguyễn Thị")
        from access.models import Grant

        Grant.objects.create(user=chief, unit=world.commune_a, role=Role.ORGANIZATION)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    header = page.locator(".site-header")
    for element in [header.locator(".who-name"), *header.locator(".who-grants li").all(),
                    header.get_by_role("button", name="Đăng xuất"), *header.locator("nav > a, nav .menu-head").all()]:
        assert element.is_visible()
        assert element.evaluate(LINES) == 1, element.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # A group opens under the mouse (and under keyboard focus), its entries each on one line.
    groups = header.locator(".menu-group").all()
    assert groups
    for group in groups:
        assert not group.locator(".menu-items a").first.is_visible()
        group.locator(".menu-head").hover()
        for entry in group.locator(".menu-items a").all():
            assert entry.is_visible() and entry.evaluate(LINES) == 1, entry.inner_text()
    page.mouse.move(640, 700)
    groups[0].locator(".menu-head").focus()
    assert groups[0].locator(".menu-items a").first.is_visible()
    page.screenshot(path=f"/tmp/header-{username}.png")
