from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.audit.models import AuditEntry
from vigie.cases.models import Case, CaseMessage
from vigie.core.errors import ConflictError, ValidationFailedError
from vigie.crisis.models import Crisis, PostMortem
from vigie.ingest.models import Message
from vigie.library import service
from vigie.library.stemming import stem, stems
from vigie.workspace.models import Channel, Workspace

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_french_stems_share_a_family() -> None:
    assert stem("livraisons", "fr") == stem("livraison", "fr")
    assert {stem(w, "fr") for w in ["retardé", "retards", "retarder", "retardées"]} == {"retard"}
    assert stems("Remboursé, remboursements", "fr") == ["rembours", "rembours"]
    assert stem("deliveries", "en") == stem("delivery", "en")
    assert stem("bus", "fr") == "bus"  # short words are left alone


def _workspace(session: Session) -> Workspace:
    ws = Workspace(slug="colibri", name="Colibri")
    session.add(ws)
    session.flush()
    return ws


def _post_mortem(session: Session, ws: Workspace) -> PostMortem:
    crisis = Crisis(
        workspace_id=ws.id, title="Colis bloqués", status="resolved", declared_at=NOW, declared_by="sarah"
    )
    session.add(crisis)
    session.flush()
    pm = PostMortem(
        workspace_id=ws.id,
        crisis_id=crisis.id,
        title="Post-mortem : entrepôt de Lyon",
        summary="Les livraisons de la semaine ont subi des retards de quatre jours après la panne de l'entrepôt.",
        lessons=[
            "Prévenir les clients avant qu'ils ne se plaignent.",
            "Publier un point toutes les deux heures.",
        ],
        language="fr",
        tags=["crisis", "post-mortem", "delivery"],
        author="sarah",
        created_at=NOW,
    )
    session.add(pm)
    session.flush()
    return pm


def test_search_finds_a_post_mortem_by_an_inflected_french_word(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session:
        ws = _workspace(session)
        pm = _post_mortem(session, ws)
        service.add_entry(
            session,
            workspace=ws,
            title="Refund promised twice",
            summary="Two agents promised refunds.",
            lessons=["Check the case history before promising."],
            language="en",
            by="hugo",
            tags=["refund"],
        )
        created = service.index_post_mortems(session, workspace=ws)
        assert [e.source_id for e in created] == [pm.id]
        assert service.index_post_mortems(session, workspace=ws) == []  # idempotent
        session.commit()
        # Neither "livraison" nor "retardé" appears as such: only "livraisons" and "retards".
        for query in ["livraison", "retardé", "Livraison retardée", "entrepot"]:
            hits = service.search(session, workspace=ws, query=query)
            assert [h.entry.source_kind for h in hits] == ["post_mortem"], query
        english = service.search(session, workspace=ws, query="refunded")
        assert [h.entry.title for h in english] == ["Refund promised twice"]
        assert service.search(session, workspace=ws, query="livraison parapluie") == []
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.workspace_id == ws.id)).all()
        assert actions.count("library.entry_added") == 2


def test_bad_entries_are_refused_with_what_to_fix(session: Session) -> None:
    ws = _workspace(session)
    with pytest.raises(ValidationFailedError, match="at least one lesson"):
        service.add_entry(session, workspace=ws, title="t", summary="s", lessons=[" "], language="fr", by="x")
    with pytest.raises(ValidationFailedError, match="'fr' or 'en'"):
        service.add_entry(session, workspace=ws, title="t", summary="s", lessons=["l"], language="de", by="x")
    with pytest.raises(ValidationFailedError, match="unknown playbook"):
        service.add_entry(
            session,
            workspace=ws,
            title="t",
            summary="s",
            lessons=["l"],
            language="fr",
            by="x",
            playbook_keys=["nope"],
        )


def _case(session: Session, ws: Workspace, external_id: str) -> Case:
    message = session.scalars(select(Message).where(Message.external_id == external_id)).one()
    case = Case(workspace_id=ws.id, thread_key=external_id)
    session.add(case)
    session.flush()
    session.add(CaseMessage(case_id=case.id, message_id=message.id))
    session.flush()
    return case


def test_case_marked_as_lesson_and_suggested_on_a_similar_case(session: Session) -> None:
    ws = _workspace(session)
    channel = Channel(workspace_id=ws.id, name="x")
    session.add(channel)
    session.flush()
    for ext, text in [
        ("m1", "Mes livraisons sont toujours retardées, c'est inadmissible"),
        ("m2", "Un jouet cassé"),
    ]:
        session.add(
            Message(
                workspace_id=ws.id,
                channel_id=channel.id,
                external_id=ext,
                text=text,
                created_at=NOW,
                lang="fr",
            )
        )
    session.flush()
    old = _case(session, ws, "m1")
    _case(session, ws, "m2")
    entry = service.mark_case_as_lesson(
        session, workspace=ws, case_id=old.id, by="sarah", lessons=["Donner une date."]
    )
    assert entry.source_kind == "case" and entry.language == "fr"
    with pytest.raises(ConflictError):
        service.mark_case_as_lesson(session, workspace=ws, case_id=old.id, by="sarah", lessons=["again"])
    session.add(
        Message(
            workspace_id=ws.id,
            channel_id=channel.id,
            external_id="m3",
            text="Ma livraison est en retard",
            created_at=NOW,
            lang="fr",
        )
    )
    session.flush()
    third = _case(session, ws, "m3")
    suggested = service.suggest_for_case(session, workspace=ws, case_id=third.id)
    assert [s.entry.id for s in suggested] == [entry.id]
    assert service.suggest_for_case(session, workspace=ws, case_id=old.id) == []  # never itself
