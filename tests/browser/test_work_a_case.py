"""End to end in Debian's chromium: work a case, approve it, find the publication in the audit log;
hostile message texts render inert on the inbox and case pages; screenshots of the main pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.api.pages_fixtures import DEMO_PASSWORD, demo_database
from tests.browser.conftest import LiveServer, screenshot
from vigie.cases.service import CaseFilters, case_messages, list_cases
from vigie.core.settings import Settings
from vigie.storage.db import make_engine, make_session_factory
from vigie.workspace.models import Workspace

HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '<a href="javascript:window.__pwned=3">click</a>',
    "<b>unclosed <i>broken <div",
    "\u202egnp.exe — right-to-left override",
    '"><svg onload="window.__pwned=4">',
]
REFUND = "Bonjour, nous vous remboursons 120 € dès aujourd'hui."


def _login(page: object, url: str, who: str) -> None:
    page.goto(url + "/login")  # type: ignore[attr-defined]
    page.fill("#email", f"{who}@colibri.example")  # type: ignore[attr-defined]
    page.fill("#password", DEMO_PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/w/colibri/**")  # type: ignore[attr-defined]


@pytest.mark.browser
def test_work_a_case_end_to_end_and_hostile_text_is_inert(browser: object, tmp_path: Path) -> None:
    url = demo_database(tmp_path / "demo", steps=4)
    factory = make_session_factory(make_engine(url))
    with factory.begin() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slug == "colibri")).one()
        first = list_cases(session, workspace, CaseFilters(statuses=("open",), limit=1))[0]
        thread = case_messages(session, workspace, first.id)
        thread[-1].text = " ".join(HOSTILE)
        hostile_case = first.id
    with LiveServer(Settings(database_url=url, cookie_secure=True)) as server:
        context = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
        page = context.new_page()
        dialogs: list[str] = []
        errors: list[str] = []

        def on_dialog(dialog: object) -> None:
            dialogs.append(dialog.message)  # type: ignore[attr-defined]
            dialog.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: errors.append(str(error)))
        _login(page, server.url, "camille")
        page.goto(server.url + "/w/colibri/inbox")
        assert page.locator("li.case-row").count() >= 5
        screenshot(page, "inbox")
        # Hostile payloads: shown as text, nothing runs, no element injected.
        assert page.get_by_text("<script>window.__pwned = 1</script>", exact=False).count() >= 1
        assert page.evaluate("window.__pwned") is None
        assert page.locator("main img, main svg[onload], main a[href^=javascript]").count() == 0
        page.click(f"#case-{hostile_case} a.case-link")
        page.wait_for_url(f"**/cases/{hostile_case}")
        assert page.get_by_text("[U+202E]gnp.exe", exact=False).count() >= 1
        assert page.evaluate("window.__pwned") is None
        assert page.locator("main img, main a[href^=javascript]").count() == 0
        # Take the first playbook suggestion: the draft box is pre-filled from its template.
        assert page.locator("a.use-playbook").count() >= 1
        page.locator("a.use-playbook").first.click()
        page.wait_for_url("**playbook=**")
        assert len(page.input_value("#draft-text").strip()) > 20
        # Type a refund beyond the junior's mandate: the finding and its highlight appear as one types.
        page.focus("#draft-text")
        page.keyboard.press("Control+End")
        page.keyboard.type(" " + REFUND, delay=5)
        page.wait_for_selector("#draft-highlight mark.sev-needs_approval:has-text('120')")
        assert page.locator("#draft-findings li.finding", has_text="commitment.refund").count() == 1
        assert page.inner_text("#draft-verdict") == "needs_approval"
        screenshot(page, "case-draft-box")
        page.click("#draft-submit")
        page.wait_for_selector("#submit-result")
        assert "approval" in page.inner_text("#submit-result")
        # The approver approves; the publication is in the audit log.
        context.clear_cookies()
        _login(page, server.url, "sarah")
        page.goto(server.url + "/w/colibri/approvals")
        screenshot(page, "approvals")
        card = page.locator("li.approval", has_text="120").first
        card.locator("button.approve").click()
        page.wait_for_selector("#approval-done")
        context.clear_cookies()
        _login(page, server.url, "nadia")
        page.goto(server.url + "/w/colibri/audit")
        assert page.locator("code", has_text="governance.publication").count() >= 1
        screenshot(page, "audit-after-approval")
        for name in ("crisis", "dashboard", "admin", "library"):
            page.goto(server.url + f"/w/colibri/{name}")
            page.wait_for_load_state("networkidle")
            screenshot(page, name)
        assert page.evaluate("window.__pwned") is None
        assert not dialogs, dialogs
        assert not errors, errors
        context.close()
