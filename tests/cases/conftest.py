"""Cases fixtures: the Colibri example workspace applied, and a helper that stores and analyses messages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.analysis.actions import analyse_pending
from vigie.ingest.models import Author, Message
from vigie.storage.db import transaction
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.models import Channel, Workspace

# Wednesday 18 November 2026, 10:00 in Paris: camille, sarah, ines, marc, claire, nadia are at work;
# lucas starts at 12:00 and hugo at 11:00.
WORK_TIME = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


@pytest.fixture
def colibri(session_factory: sessionmaker[Session]) -> int:
    with transaction(session_factory) as session:
        apply_workspace(session, load_workspace_dir(example_workspace_dir()), "test")
        return session.scalars(select(Workspace.id).where(Workspace.slug == "colibri")).one()


class Poster:
    """Stores messages as ingest would, then analyses them (the analysis hook's job)."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        self.workspace: Workspace = workspace
        self.channels = {
            k: v
            for k, v in session.execute(
                select(Channel.name, Channel.id).where(Channel.workspace_id == workspace_id)
            )
        }
        self.count = 0

    def author(self, handle: str, **fields: Any) -> Author:
        found = self.session.scalar(
            select(Author).where(Author.workspace_id == self.workspace.id, Author.handle == handle)
        )
        if found is None:
            found = Author(workspace_id=self.workspace.id, handle=handle, **fields)
            self.session.add(found)
            self.session.flush()
        return found

    def post(
        self,
        text: str,
        *,
        handle: str = "@client",
        channel: str = "x",
        lang: str = "fr",
        reply_to: str | None = None,
        external_id: str | None = None,
        at: datetime = WORK_TIME,
    ) -> Message:
        self.count += 1
        message = Message(
            workspace_id=self.workspace.id,
            channel_id=self.channels[channel],
            external_id=external_id or f"t-{self.count}",
            author_id=self.author(handle).id,
            text=text,
            created_at=at,
            in_reply_to=reply_to,
            lang=lang,
        )
        self.session.add(message)
        self.session.flush()
        analyse_pending(session=self.session, workspace=self.workspace, message_ids=[message.id])
        return message
