from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.api.pages_fixtures import DEMO_PASSWORD, demo_database
from vigie.api.app import create_app
from vigie.cases.service import CaseFilters, case_messages, list_cases
from vigie.core.settings import Settings
from vigie.storage.db import make_engine, make_session_factory
from vigie.workspace.models import Workspace

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="alert(1)"> \u202egnp.exe'


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = demo_database(Path(tmp_path_factory.mktemp("demo")))
    factory = make_session_factory(make_engine(url))
    with factory.begin() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slug == "colibri")).one()
        first = list_cases(session, workspace, CaseFilters(statuses=("open",), limit=1))[0]
        case_messages(session, workspace, first.id)[-1].text = HOSTILE
    with TestClient(create_app(Settings(database_url=url, cookie_secure=False))) as client:
        response = client.post(
            "/api/v1/auth/login", json={"email": "camille@colibri.example", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200
        yield client


def test_inbox_lists_cases_by_priority_and_filters(demo_client: TestClient) -> None:
    page = demo_client.get("/w/colibri/inbox")
    assert page.status_code == 200
    ids = re.findall(r'id="case-(\d+)"', page.text)
    assert len(ids) >= 5
    order = re.findall(r'<span class="badge prio (low|normal|high|urgent)">', page.text)
    rank = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
    assert [rank[p] for p in order] == sorted((rank[p] for p in order), reverse=True)
    urgent = demo_client.get("/w/colibri/inbox?priority=urgent")
    assert len(re.findall(r'id="case-(\d+)"', urgent.text)) <= len(ids)
    assert demo_client.get("/w/colibri/inbox.json").json()["total"] >= 5
    negative = demo_client.get("/w/colibri/inbox?sentiment=negative").text
    labels = re.findall(r'<span class="badge (negative|neutral|positive)">', negative)
    assert labels and set(labels) == {"negative"}
    english = demo_client.get("/w/colibri/inbox?language=en").text
    assert 0 < len(re.findall(r'id="case-(\d+)"', english)) < len(ids)


def test_case_page_shows_thread_author_and_draft_box(demo_client: TestClient) -> None:
    page = demo_client.get("/w/colibri/inbox")
    case_id = re.findall(r'id="case-(\d+)"', page.text)[0]
    case = demo_client.get(f"/w/colibri/cases/{case_id}")
    assert case.status_code == 200
    assert 'id="author-card"' in case.text and 'data-check-url="/w/colibri/check.json"' in case.text
    assert f'name="case_id" value="{case_id}"' in case.text
    assert demo_client.get("/w/colibri/cases/999999").status_code == 404


def test_hostile_text_is_escaped_everywhere(demo_client: TestClient) -> None:
    pages = [demo_client.get("/w/colibri/inbox").text]
    for case_id in re.findall(r'id="case-(\d+)"', pages[0]):
        pages.append(demo_client.get(f"/w/colibri/cases/{case_id}").text)
    joined = "\n".join(pages)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in joined
    assert "<script>window.__pwned" not in joined and "<img src=x" not in joined
    assert "\u202e" not in joined and "[U+202E]" in joined


def test_ask_a_senior_from_the_case_page(demo_client: TestClient) -> None:
    page = demo_client.get("/w/colibri/inbox")
    case_id = re.findall(r'id="case-(\d+)"', page.text)[0]
    case = demo_client.get(f"/w/colibri/cases/{case_id}")
    token = re.search(r'name="csrf-token" content="([^"]+)"', case.text)
    assert token
    asked = demo_client.post(
        f"/w/colibri/cases/{case_id}/ask",
        data={"csrf_token": token.group(1), "question": "Can I offer a voucher here?"},
    )
    assert asked.status_code == 200 and 'id="ask-sent"' in asked.text
