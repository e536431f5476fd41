"""The Colibri example workspace applied to the test database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.storage.db import transaction
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.models import Workspace


@pytest.fixture
def factory(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with transaction(session_factory) as session:
        apply_workspace(session, load_workspace_dir(example_workspace_dir()), "test")
    return session_factory


def colibri(session: Session) -> Workspace:
    return session.scalars(select(Workspace).where(Workspace.slug == "colibri")).one()
