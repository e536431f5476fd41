"""Cases as a post-ingest hook: analysis runs first, then each stored message lands in its thread's case."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.analysis import hooks as analysis_hooks
from vigie.cases import hooks as cases_hooks
from vigie.cases.models import Case, CaseMessage
from vigie.ingest import hooks as ingest_hooks
from vigie.ingest.actions import ingest_records, load_target
from vigie.ingest.reader import RawRecord
from vigie.ingest.schemas import IngestSummary
from vigie.storage.db import transaction


def _record(line: int, fields: dict[str, Any]) -> RawRecord:
    content = json.dumps(fields)
    return RawRecord("test", line, content, hashlib.sha256(content.encode()).hexdigest(), fields=fields)


def test_register_puts_analysis_before_cases() -> None:
    registry = ingest_hooks.post_ingest_hooks
    saved = list(registry)
    try:
        registry.clear()
        # Someone registered the cases hook first by hand: register() still puts analysis first.
        registry.append(cases_hooks.file_ingested_batch)
        cases_hooks.register()
        cases_hooks.register()
        assert registry == [analysis_hooks.analyse_ingested_batch, cases_hooks.file_ingested_batch]
    finally:
        registry.clear()
        registry.extend(saved)


def test_ingest_with_hooks_files_replies_into_the_thread_case(
    session_factory: sessionmaker[Session], colibri: int
) -> None:
    records = [
        _record(
            1,
            {
                "id": "h1",
                "channel": "x",
                "author": {"handle": "@ana"},
                "lang": "fr",
                "text": "Mon colis n'est pas arrivé",
                "created_at": "2026-11-18T09:00:00+00:00",
            },
        ),
        _record(
            2,
            {
                "id": "h2",
                "channel": "x",
                "author": {"handle": "@ana"},
                "lang": "fr",
                "in_reply_to": "h1",
                "text": "Toujours rien, je veux parler à un responsable",
                "created_at": "2026-11-18T09:05:00+00:00",
            },
        ),
    ]
    with transaction(session_factory) as session:
        target = load_target(session, workspace_slug="colibri")
    summary = ingest_records(
        session_factory,
        target=target,
        records=iter(records),
        summary=IngestSummary(),
        max_text_length=5000,
        batch_size=1,  # the reply arrives in a later batch than its root
        hooks=[analysis_hooks.analyse_ingested_batch, cases_hooks.file_ingested_batch],
    )
    assert summary.hook_errors == []
    with session_factory() as session:
        cases = session.scalars(select(Case)).all()
        assert len(cases) == 1
        assert session.query(CaseMessage).count() == 2
        assert "manager_demand" in cases[0].data["intents"]
        assert "official_statement" in cases[0].data["routing"]["needs"]
