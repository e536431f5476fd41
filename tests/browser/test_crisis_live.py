"""A crisis alert appears live in the crisis room while the demo feed runs (vigie demo --serve's threads)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from tests.browser.conftest import LiveServer, screenshot
from vigie.core.settings import Settings
from vigie.demo.serve import DEMO_PASSWORD, prepare, start_feed
from vigie.demo.steps import DemoContext


@pytest.mark.browser
def test_alert_appears_live_in_the_crisis_room(browser: object, tmp_path: Path) -> None:
    ctx = DemoContext(
        settings=Settings(), console=Console(quiet=True), data_dir=tmp_path, live=True, speed=2000.0
    )
    logins = prepare(ctx)
    assert {login.member for login in logins} >= {"camille", "sarah", "nadia"}
    with LiveServer(ctx.settings.model_copy(update={"cookie_secure": True})) as server:
        context = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(server.url + "/login")
        page.fill("#email", "nadia@colibri.demo")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/w/colibri/**")
        page.goto(server.url + "/w/colibri/crisis")
        assert page.locator("#crisis-alerts li.alert").count() == 0
        assert page.inner_text("#crisis-grade") == "normal"
        inbox = context.new_page()
        inbox.goto(server.url + "/w/colibri/inbox")
        assert inbox.locator("li.case-row").count() == 0
        feed, watch, threads = start_feed(ctx)
        try:
            # No reload: the page polls its JSON and draws the alert and the chart by itself.
            page.wait_for_selector("#crisis-alerts li.alert", timeout=90_000)
            assert not watch.errors, watch.errors
            assert page.inner_text("#crisis-grade") in ("watch", "alert", "crisis")
            assert page.locator("#crisis-chart svg rect.bar").count() >= 10
            screenshot(page, "crisis-live")
            # The inbox announces the new cases without a reload.
            inbox.wait_for_selector("#inbox-new", timeout=30_000)
            inbox.click("#inbox-new")
            inbox.wait_for_selector("li.case-row")
        finally:
            feed.stop.set()
            watch.stop.set()
            for thread in threads:
                thread.join(timeout=10)
        context.close()
