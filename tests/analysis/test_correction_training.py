"""A correction changes the next trained model's output on that example (with the classifiers' trainer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.analysis.actions import analyse_pending, corrections_as_training_rows, record_correction
from vigie.analysis.classifiers.training import train_classifier
from vigie.core.clock import utcnow
from vigie.ingest.models import Message
from vigie.storage.db import transaction
from vigie.workspace.models import Channel, Workspace

BASE = [
    ("merci, service parfait", "positive"),
    ("super livraison, bravo", "positive"),
    ("j'adore ce produit", "positive"),
    ("très contente de ma commande", "positive"),
    ("great service, thank you", "positive"),
    ("love it, amazing", "positive"),
    ("produit cassé, inadmissible", "negative"),
    ("colis perdu, je suis furieux", "negative"),
    ("service client nul", "negative"),
    ("terrible experience, never again", "negative"),
    ("worst delivery ever", "negative"),
    ("arnaque totale", "negative"),
    ("ma commande arrive demain", "neutral"),
    ("le colis est en route", "neutral"),
    ("what time do you open", "neutral"),
    ("je change d'adresse de livraison", "neutral"),
    ("order placed this morning", "neutral"),
    ("le magasin ouvre à 9h", "neutral"),
]
EXAMPLE = "le livreur est passé à 23h"  # the team reads this as a complaint about a late visit


def test_correction_changes_next_model(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        workspace = Workspace(slug="colibri", name="Colibri", default_language="fr", spec={})
        session.add(workspace)
        session.flush()
        channel = Channel(workspace_id=workspace.id, name="x", kind="x")
        session.add(channel)
        session.flush()
        session.add(
            Message(
                workspace_id=workspace.id,
                channel_id=channel.id,
                external_id="1",
                text=EXAMPLE,
                created_at=utcnow(),
            )
        )
        session.flush()
        analyse_pending(session=session, workspace=workspace)
        workspace_id = workspace.id

    texts, labels = [t for t, _ in BASE], [label for _, label in BASE]
    before = train_classifier("sentiment", texts, labels, c=1.0, folds=2)
    assert before.predict([EXAMPLE]) != ["negative"]

    with transaction(session_factory) as session:
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        message_id = session.scalar(select(Message.id))
        assert message_id is not None
        record_correction(
            session=session,
            workspace=workspace,
            message_id=message_id,
            task="sentiment",
            label="negative",
            corrected_by="léa",
        )
    with session_factory() as session:
        rows = corrections_as_training_rows(session, workspace_id, "sentiment")
    assert rows == [{"text": EXAMPLE, "label": "negative"}]
    after = train_classifier(
        "sentiment",
        texts + [r["text"] for r in rows],
        labels + [r["label"] for r in rows],
        weights=[1.0] * len(texts) + [5.0] * len(rows),
        c=1.0,
        folds=2,
    )
    assert after.predict([EXAMPLE]) == ["negative"]
