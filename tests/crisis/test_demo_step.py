"""The crisis step of `vigie demo` reports its own workspace's pile-on, never another workspace's."""

from __future__ import annotations

from datetime import timedelta

from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from vigie.core.settings import Settings
from vigie.crisis.demo import run_demo_step
from vigie.crisis.models import Signal
from vigie.demo.steps import DemoContext
from vigie.storage.db import transaction
from vigie.workspace.models import Workspace

from .conftest import T0, seed_pile_on


def test_demo_step_names_the_pile_on_of_its_own_workspace(
    session_factory: sessionmaker[Session], colibri: str
) -> None:
    with transaction(session_factory) as session:
        other = Workspace(slug="other", name="Other brand")
        session.add(other)
        session.flush()
        # An earlier pile-on in another workspace: the demo must not pick it up.
        session.add(
            Signal(
                workspace_id=other.id,
                kind="pile_on",
                scope="*",
                channel="facebook",
                at=T0 - timedelta(days=1),
                score=0.7,
                summary="pile-on on thread facebook:someone-else",
                message_ids=[],
                details={"thread_root": "someone-else", "channel": "facebook"},
            )
        )
    seed_pile_on(session_factory)
    console = Console(record=True, width=200)
    ctx = DemoContext(
        settings=Settings(), console=console, session_factory=session_factory, workspace_slug=colibri
    )
    run_demo_step(ctx)
    crisis = ctx.results["crisis"]
    assert crisis["pile_on_thread"] == "post-1"
    assert crisis["alerts"], "the pile-on should open an alert"
    output = console.export_text()
    assert "someone-else" not in output
    assert "first complainer lea_r" in output
