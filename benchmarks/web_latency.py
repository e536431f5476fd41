"""Inbox and case page latency (p50, p95) with many messages and cases in PostgreSQL.

    .venv/bin/python benchmarks/web_latency.py --database-url postgresql+psycopg://postgres@127.0.0.1/vigie_bench \
        --messages 1000000 --cases 100000 --requests 100

The database is dropped and re-created (it must be a scratch database), migrated, the example workspace
applied, then authors, messages (with an analysis) and cases are bulk-inserted. Pages are requested
in-process through the full app (session cookie, access layer, templates) and timed end to end.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from vigie.accounts.service import create_user, grant_membership
from vigie.api.app import create_app
from vigie.cases.models import Case, CaseMessage
from vigie.core.clock import utcnow
from vigie.core.settings import Settings
from vigie.ingest.models import Author, Message
from vigie.storage.db import make_engine, make_session_factory
from vigie.storage.migrate import upgrade
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.models import Channel, TeamMember, Workspace

PASSWORD = "benchmark password"
CHUNK = 20_000
INTENTS = ["complaint", "question", "refund_request", "praise", "manager_demand"]
TOPICS = ["delivery", "refund", "order", "product_quality", "pricing"]
LABELS = [("negative", -0.6), ("neutral", 0.0), ("positive", 0.5)]


def recreate(url: str) -> None:
    parsed = make_url(url)
    name = parsed.database
    admin = parsed.set(database="postgres").render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def populate(url: str, *, messages: int, cases: int, authors: int) -> None:
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    spec = load_workspace_dir(example_workspace_dir())
    with factory.begin() as session:
        apply_workspace(session, spec, "benchmark")
    rng = random.Random(7)
    now = utcnow()
    with factory.begin() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slug == spec.slug)).one()
        channel_ids = list(session.scalars(select(Channel.id).where(Channel.workspace_id == workspace.id)))
        member_ids = list(
            session.scalars(select(TeamMember.id).where(TeamMember.workspace_id == workspace.id))
        )
        nadia = session.scalars(select(TeamMember).where(TeamMember.key == "camille")).one()
        user = create_user(session, email="bench@colibri.example", password=PASSWORD)
        grant_membership(session, user=user, workspace=workspace, roles=["junior-cm"], member_key=nadia.key)
        ws_id = workspace.id
    started = time.perf_counter()
    with factory.begin() as session:
        rows: list[dict[str, Any]] = [
            {
                "id": i,
                "workspace_id": ws_id,
                "handle": f"@user{i}",
                "name": f"User {i}",
                "followers": rng.randint(0, 50_000),
                "history": {"labels": []},
                "influence": rng.random(),
            }
            for i in range(1, authors + 1)
        ]
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(Author), rows[start : start + CHUNK])
    case_rows: list[dict[str, Any]] = []
    for c in range(1, cases + 1):
        priority = rng.choices([0, 1, 2, 3], weights=[30, 50, 15, 5])[0]
        status = rng.choices(
            ["new", "assigned", "waiting", "answered", "closed"], weights=[20, 20, 10, 20, 30]
        )[0]
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        case_rows.append(
            {
                "id": c,
                "workspace_id": ws_id,
                "channel_id": rng.choice(channel_ids),
                "thread_key": f"t{c}",
                "status": status,
                "priority": priority,
                "priority_reasons": ["complaint", "negative tone"],
                "assignee_id": rng.choice(member_ids) if status != "new" else None,
                "sla_due_at": created + timedelta(hours=4),
                "created_at": created,
                "updated_at": created,
                "data": {"topics": [rng.choice(TOPICS)], "intents": [rng.choice(INTENTS)], "language": "fr"},
            }
        )
    with factory.begin() as session:
        for start in range(0, len(case_rows), CHUNK):
            session.execute(insert(Case), case_rows[start : start + CHUNK])
    for start in range(1, messages + 1, CHUNK):
        batch: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for m in range(start, min(start + CHUNK, messages + 1)):
            case = case_rows[(m - 1) % cases]
            label, score = rng.choice(LABELS)
            batch.append(
                {
                    "id": m,
                    "workspace_id": ws_id,
                    "channel_id": case["channel_id"],
                    "external_id": f"m{m}",
                    "author_id": rng.randint(1, authors),
                    "text": f"Message {m}: ma commande n'est toujours pas arrivée, que se passe-t-il ?",
                    "created_at": case["created_at"] + timedelta(minutes=m // cases),
                    "in_reply_to": None if m <= cases else case["thread_key"],
                    "lang": "fr",
                    "raw": {},
                    "analysis": {
                        "language": {"code": "fr"},
                        "sentiment": {"label": label, "score": score},
                        "intents": {"labels": case["data"]["intents"]},
                        "topics": {"keys": case["data"]["topics"]},
                        "priority": {"level": "normal", "score": 0.4, "reasons": ["complaint"]},
                    },
                    "drill": False,
                }
            )
            links.append({"case_id": case["id"], "message_id": m, "added_at": now})
        with factory.begin() as session:
            session.execute(insert(Message), batch)
            session.execute(insert(CaseMessage), links)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    print(
        f"populated {messages:,} messages, {cases:,} cases, {authors:,} authors in {time.perf_counter() - started:.0f} s"
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(url: str, *, requests: int, cases: int) -> dict[str, dict[str, float]]:
    app = create_app(Settings(database_url=url, cookie_secure=False))
    out: dict[str, dict[str, float]] = {}
    rng = random.Random(11)
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/auth/login", json={"email": "bench@colibri.example", "password": PASSWORD}
        )
        response.raise_for_status()
        targets: dict[str, Callable[[], str]] = {
            "inbox": lambda: "/w/colibri/inbox",
            "inbox?priority=high": lambda: "/w/colibri/inbox?priority=high",
            "inbox?assignee=camille": lambda: "/w/colibri/inbox?assignee=camille",
            "case": lambda: f"/w/colibri/cases/{rng.randint(1, cases)}",
        }
        for name, path in targets.items():
            for _ in range(3):  # warm-up
                client.get(path())
            timings = []
            for _ in range(requests):
                began = time.perf_counter()
                page = client.get(path())
                timings.append((time.perf_counter() - began) * 1000)
                if page.status_code != 200:
                    raise RuntimeError(f"{name}: HTTP {page.status_code}")
            out[name] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
            }
            print(f"{name:<24} p50 {out[name]['p50_ms']:7.1f} ms   p95 {out[name]['p95_ms']:7.1f} ms")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1/vigie_web_bench")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--authors", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="Measure an already populated database.")
    args = parser.parse_args()
    if not args.reuse:
        recreate(args.database_url)
        populate(args.database_url, messages=args.messages, cases=args.cases, authors=args.authors)
    measure(args.database_url, requests=args.requests, cases=args.cases)


if __name__ == "__main__":
    main()
