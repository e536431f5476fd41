"""Routing decisions per second with 100 members and 10,000 open cases.

Three figures:
- pure: ``vigie.routing.rules.route`` alone (roster already built), decisions/s;
- stored, roster reused: ``route_case`` on stored cases with the roster built once per batch
  (what ``file_messages`` does per ingest batch), recorded (case event + audit entry);
- stored, roster per decision: ``route_case`` building the roster each time (workspace spec, mandates,
  the open-load aggregate over the 10,000 open cases, learnt penalties) and recording the assignment;
- filing: ``file_messages`` (thread lookup, case opened or joined, routed, recorded) in messages/s.

    .venv/bin/python benchmarks/routing.py [--members 100] [--open-cases 10000] [--decisions 300]
        [--postgres postgresql+psycopg://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from vigie.analysis.actions import analyse_pending
from vigie.cases.actions import file_messages
from vigie.cases.models import Case
from vigie.ingest.models import Message
from vigie.routing.actions import build_roster, request_for, route_case
from vigie.routing.rules import route
from vigie.storage.db import make_engine, make_session_factory, transaction
from vigie.storage.registry import metadata
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.models import Channel, TeamMember, Workspace
from vigie.workspace.schemas import WorkspaceSpec

NOW = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)  # a Wednesday, 10:30 in Paris
TOPICS = ["delivery", "refund", "order", "product_quality", "app_bug", "payment", "customer_service"]
INTENTS = ["complaint", "question", "bug_report", "manager_demand", "praise"]


def scaled(spec: WorkspaceSpec, members: int) -> WorkspaceSpec:
    data: dict[str, Any] = spec.model_dump(mode="json")
    base = data["team"]["members"]
    data["team"]["members"] = [
        {
            **base[i % len(base)],
            # The example's own keys stay (mandates name some members as approvers).
            "key": base[i]["key"] if i < len(base) else f"m{i:04d}",
            "email": f"m{i}@colibri.fr",
            "max_open_cases": 200,
        }
        for i in range(members)
    ]
    return WorkspaceSpec.model_validate(data)


def case_data(rng: random.Random) -> dict[str, Any]:
    return {
        "language": rng.choice(["fr", "fr", "en"]),
        "topics": rng.sample(TOPICS, rng.choice([1, 1, 2])),
        "intents": rng.sample(INTENTS, rng.choice([1, 2])),
        "author_labels": ["activist"] if rng.random() < 0.03 else [],
        "author_influence": rng.random(),
    }


def run(url: str, members: int, open_cases: int, decisions: int) -> None:
    engine = make_engine(url)
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    rng = random.Random(7)
    spec = scaled(load_workspace_dir(example_workspace_dir()), members)
    with transaction(factory) as session:
        apply_workspace(session, spec, "bench")
        ws = session.scalars(select(Workspace).where(Workspace.slug == spec.slug)).one()
        ids = list(session.scalars(select(TeamMember.id).where(TeamMember.workspace_id == ws.id)))
        rows = [
            {
                "workspace_id": ws.id,
                "thread_key": f"open-{i}",
                "status": "assigned",
                "priority": rng.randint(0, 3),
                "priority_reasons": [],
                "assignee_id": rng.choice(ids),
                "sla_due_at": NOW + timedelta(hours=4),
                "created_at": NOW,
                "updated_at": NOW,
                "data": case_data(rng),
            }
            for i in range(open_cases)
        ]
        session.execute(insert(Case), rows)
        todo = [
            Case(
                workspace_id=ws.id,
                thread_key=f"new-{i}",
                status="new",
                priority=1,
                priority_reasons=[],
                created_at=NOW,
                updated_at=NOW,
                data=case_data(rng),
            )
            for i in range(2 * decisions)
        ]
        session.add_all(todo)
        session.flush()
        todo_ids = [c.id for c in todo]
        ws_id = ws.id

    with factory() as session:
        current = session.get(Workspace, ws_id)
        assert current is not None
        start = time.perf_counter()
        roster = build_roster(session, current, now=NOW)
        roster_s = time.perf_counter() - start
        requests = [request_for(session.get(Case, cid)) for cid in todo_ids]  # type: ignore[arg-type]
    n_pure = max(2000, decisions)
    start = time.perf_counter()
    for i in range(n_pure):
        route(requests[i % len(requests)], roster.members, now=NOW, penalties=roster.penalties)
    pure = n_pure / (time.perf_counter() - start)

    with transaction(factory) as session:
        current = session.get(Workspace, ws_id)
        assert current is not None
        roster = build_roster(session, current, now=NOW)
        start = time.perf_counter()
        for cid in todo_ids[:decisions]:
            case = session.get(Case, cid)
            assert case is not None
            route_case(session, workspace=current, case=case, now=NOW, roster=roster)
        session.flush()
        reused = decisions / (time.perf_counter() - start)
    with transaction(factory) as session:
        current = session.get(Workspace, ws_id)
        assert current is not None
        start = time.perf_counter()
        for cid in todo_ids[decisions:]:
            case = session.get(Case, cid)
            assert case is not None
            route_case(session, workspace=current, case=case, now=NOW)
        session.flush()
        fresh = decisions / (time.perf_counter() - start)
    engine.dispose()
    print(f"database: {make_url(url).get_backend_name()}  members: {members}  open cases: {open_cases}")
    print(f"  roster build (spec + mandates + open-load over {open_cases} cases): {roster_s * 1000:.1f} ms")
    print(f"  pure route():                         {pure:10.0f} decisions/s  ({n_pure} decisions)")
    print(f"  route_case, roster reused, recorded:  {reused:10.0f} decisions/s  ({decisions} decisions)")
    print(f"  route_case, roster per decision:      {fresh:10.0f} decisions/s  ({decisions} decisions)")


def filing(url: str, messages: int) -> None:
    """``file_messages`` on analysed messages of the example workspace: half new posts, half replies."""
    engine = make_engine(url)
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    rng = random.Random(11)
    texts = [
        "Ma commande n'est toujours pas livrée, je veux un remboursement",
        "L'appli plante à chaque connexion, comment faire ?",
        "Je veux parler à un responsable, c'est inadmissible",
        "Where is my parcel? Tracking says delivered but nothing here",
        "Merci pour la livraison rapide !",
    ]
    with transaction(factory) as session:
        apply_workspace(session, load_workspace_dir(example_workspace_dir()), "bench")
        ws = session.scalars(select(Workspace).where(Workspace.slug == "colibri")).one()
        channel = session.scalars(select(Channel.id).where(Channel.workspace_id == ws.id)).first()
        assert channel is not None
        rows = []
        for i in range(messages):
            reply = f"f-{rng.randrange(i)}" if i > 10 and rng.random() < 0.5 else None
            text_ = rng.choice(texts)
            rows.append(
                Message(
                    workspace_id=ws.id,
                    channel_id=channel,
                    external_id=f"f-{i}",
                    text=text_,
                    created_at=NOW + timedelta(seconds=i),
                    in_reply_to=reply,
                    lang=None,
                )
            )
        session.add_all(rows)
        session.flush()
        ids = [m.id for m in rows]
        analyse_pending(session=session, workspace=ws, message_ids=ids)
    with transaction(factory) as session:
        current = session.get(Workspace, ws.id)
        assert current is not None
        start = time.perf_counter()
        for offset in range(0, len(ids), 500):  # ingest batches of 500
            file_messages(session, workspace=current, message_ids=ids[offset : offset + 500], now=NOW)
        elapsed = time.perf_counter() - start
        opened = session.scalar(select(func.count()).select_from(Case)) or 0
    engine.dispose()
    print(
        f"  file_messages ({make_url(url).get_backend_name()}): {messages / elapsed:.0f} messages/s filed into "
        f"{opened} cases, each new case routed and recorded ({messages} analysed messages, batches of 500)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--open-cases", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=300)
    parser.add_argument(
        "--file-messages", type=int, default=2000, help="messages for the filing figure; 0: skip"
    )
    parser.add_argument(
        "--postgres", default=None, help="PostgreSQL URL; a scratch schema is created and dropped"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'routing.sqlite3'}", args.members, args.open_cases, args.decisions)
        if args.file_messages:
            filing(f"sqlite:///{Path(folder) / 'filing.sqlite3'}", args.file_messages)
    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = make_url(args.postgres).update_query_dict({"options": f"-csearch_path={schema}"})
            run(url.render_as_string(hide_password=False), args.members, args.open_cases, args.decisions)
            if args.file_messages:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
                filing(url.render_as_string(hide_password=False), args.file_messages)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
