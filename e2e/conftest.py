"""Headless Debian Chromium driven by Playwright against the live test server."""

import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # scripts/test.sh installs Debian's


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests make
    # here are plain synchronous ones, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# Rows that data migrations write (every installation needs them) and that the flush after each
# transactional test removes: written again before each test that builds the world.
DATA_MIGRATIONS = [("targets.migrations.0002_groups", "add"), ("calendars.migrations.0002_announced_days_2025_2026", "add"),
                   ("reports.migrations.0002_default_templates", "add")]


@pytest.fixture
def world(transactional_db):
    import importlib

    from django.apps import apps

    from dangvu.testing import build_world

    for module, fn in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), fn)(apps, None)

    class World:
        pass

    w = World()
    build_world(w)
    return w


def log_in(page, live_server, username: str) -> None:
    from dangvu.testing import PASSWORD

    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
