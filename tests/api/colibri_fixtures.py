"""The Colibri example workspace (and a copy, "other") with logins linked to team members.

Use with ``pytest_plugins = ["tests.api.colibri_fixtures"]``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.api.colibri import MEMBERS, email
from tests.api.conftest import PASSWORD
from vigie.accounts.service import create_user, grant_membership
from vigie.storage.db import transaction
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_texts, read_workspace_dir
from vigie.workspace.models import TeamMember, Workspace


@pytest.fixture
def colibri(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    texts = read_workspace_dir(example_workspace_dir())
    with transaction(session_factory) as session:
        for slug in ("colibri", "other"):
            changed = dict(texts)
            changed["workspace.yaml"] = texts["workspace.yaml"].replace("slug: colibri", f"slug: {slug}")
            apply_workspace(session, load_workspace_texts(changed), "test")
            ws = session.scalars(select(Workspace).where(Workspace.slug == slug)).one()
            for key in MEMBERS:
                member = session.scalars(
                    select(TeamMember).where(TeamMember.workspace_id == ws.id, TeamMember.key == key)
                ).one()
                user = create_user(session, email=email(key, slug), password=PASSWORD)
                grant_membership(session, user=user, workspace=ws, roles=list(member.roles), member_key=key)
    return session_factory


@pytest.fixture
def api(client: TestClient, colibri: sessionmaker[Session]) -> Iterator[TestClient]:
    yield client
