"""Under the Content-Security-Policy the pages work and the browser blocks nothing of ours."""

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def watch_violations(page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def test_the_pages_and_the_api_docs_run_with_nothing_blocked(world, live_server, page):
    blocked = watch_violations(page)
    log_in(page, live_server, "an")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.locator(".node").first.wait_for()  # the tree, drawn by tree.js and htmx
    for path in ("/dang-vien/", "/dang-vien/nhap/", "/dang-vien/chat-luong-du-lieu/"):
        page.goto(f"{live_server.url}{path}")
        page.locator("main").wait_for()
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()  # Swagger UI drew the API's description
    assert blocked == []
