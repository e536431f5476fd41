from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from vigie.accounts.service import create_user, grant_membership
from vigie.api.app import create_app
from vigie.core.settings import Settings
from vigie.workspace.models import Role, TeamMember, Workspace

PASSWORD = "correct horse battery"


@dataclass
class TwoWorkspaces:
    alpha: str
    beta: str


@pytest.fixture
def two_workspaces(session_factory: sessionmaker[Session]) -> TwoWorkspaces:
    with session_factory.begin() as session:
        for slug in ("alpha", "beta"):
            ws = Workspace(slug=slug, name=slug.title())
            session.add(ws)
            session.flush()
            session.add(Role(workspace_id=ws.id, key="junior-cm", name="Junior"))
            session.add(Role(workspace_id=ws.id, key="community-lead", name="Lead"))
            session.add(
                TeamMember(workspace_id=ws.id, key=f"{slug}-lead", name="Lead", roles=["community-lead"])
            )
            session.flush()
            lead = create_user(session, email=f"lead@{slug}.example", password=PASSWORD)
            grant_membership(
                session, user=lead, workspace=ws, roles=["community-lead"], member_key=f"{slug}-lead"
            )
            junior = create_user(session, email=f"junior@{slug}.example", password=PASSWORD)
            grant_membership(session, user=junior, workspace=ws, roles=["junior-cm"])
    return TwoWorkspaces(alpha="alpha", beta="beta")


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=db_url, cookie_secure=False))
    with TestClient(app) as test_client:
        yield test_client


def login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token
