from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import PASSWORD, TwoWorkspaces
from tests.browser.conftest import LiveServer, screenshot
from vigie.audit.service import append_audit
from vigie.core.settings import Settings
from vigie.workspace.models import Workspace

HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '<a href="javascript:window.__pwned=3">click</a>',
    "<b>unclosed <i>broken <div",
    "\u202egnp.exe — right-to-left override",
    '"><svg onload="window.__pwned=4">',
]


@pytest.mark.browser
def test_login_then_audit_log_renders_hostile_text_inert(
    browser: object,
    db_url: str,
    two_workspaces: TwoWorkspaces,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the browser")
    with session_factory.begin() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slug == "alpha")).one()
        for index, payload in enumerate(HOSTILE):
            append_audit(
                session,
                workspace=workspace,
                actor=payload,
                action="test.hostile",
                object_type="message",
                object_key=str(index),
                payload={"text": payload},
            )
    with LiveServer(Settings(database_url=db_url, cookie_secure=True)) as server:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        dialogs: list[str] = []

        def on_dialog(dialog: object) -> None:
            dialogs.append(dialog.message)  # type: ignore[attr-defined]
            dialog.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", on_dialog)
        page.goto(server.url + "/w/alpha/audit")
        assert "/login" in page.url
        screenshot(page, "login")
        page.fill("#email", "lead@alpha.example")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/w/alpha/audit")
        for payload in HOSTILE[:4]:
            assert page.get_by_text(payload.split(" ")[0], exact=False).count() >= 1
        assert page.evaluate("window.__pwned === undefined")
        assert page.get_by_text("[U+202E]gnp.exe", exact=False).count() >= 1
        assert page.locator("main script").count() == 0
        assert page.locator("main img").count() == 0
        assert page.locator("main svg").count() == 0
        page.click("#verify-audit")
        assert "6" in page.locator("#verify-result").inner_text()
        screenshot(page, "audit-log")
        assert dialogs == []
        context.close()
