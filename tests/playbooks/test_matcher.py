from __future__ import annotations

import json
from pathlib import Path

import pytest

from vigie.playbooks.drafts import extract_order_number, fill
from vigie.playbooks.matcher import MessageFacts, author_type, facts_from_analysis, suggest
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir

SPEC = load_workspace_dir(example_workspace_dir())
PLAYBOOKS = [p.model_dump() for p in SPEC.playbooks]
TOPICS = len(SPEC.workspace.topics)

STARTER_SET = {
    "troll",
    "factual-error",
    "mea-culpa",
    "delivery-complaint",
    "refund-request",
    "activist-demand",
    "crisis-holding-statement",
    "praise-thanks",
    "expert-question",
}


def _top(facts: MessageFacts) -> list[str]:
    return [s.key for s in suggest(PLAYBOOKS, facts, topic_count=TOPICS)]


def test_starter_set_is_shipped_bilingual() -> None:
    keys = {p["key"] for p in PLAYBOOKS}
    assert STARTER_SET <= keys
    for playbook in PLAYBOOKS:
        assert set(playbook["templates"]) == {"fr", "en"}, playbook["key"]


def test_ranking_follows_the_triggers_with_reasons() -> None:
    refund = MessageFacts(
        language="fr",
        intents=("complaint",),
        sentiment="negative",
        topics=("refund",),
        author_type="customer",
    )
    suggestions = suggest(PLAYBOOKS, refund, topic_count=TOPICS)
    assert suggestions[0].key == "refund-request"
    assert "topic refund" in suggestions[0].reasons
    praise = MessageFacts(intents=("praise",), sentiment="positive", author_type="customer")
    assert _top(praise)[0] == "praise-thanks"
    activist = MessageFacts(
        intents=("manager_demand",), sentiment="negative", topics=("sustainability",), author_type="activist"
    )
    assert _top(activist)[0] == "activist-demand"


def test_hard_conditions_rule_playbooks_out() -> None:
    calm = MessageFacts(intents=("question",), sentiment="neutral", toxicity=0.1, crisis_grade="normal")
    assert "crisis-holding-statement" not in _top(calm)
    assert "troll" not in _top(calm)
    crisis = MessageFacts(intents=("question",), sentiment="negative", crisis_grade="crisis")
    assert _top(crisis)[0] == "crisis-holding-statement"
    toxic = MessageFacts(intents=("complaint",), sentiment="negative", toxicity=0.9, author_type="troll")
    assert _top(toxic)[0] == "troll"


def test_facts_and_author_types_from_stored_json() -> None:
    analysis = {
        "language": {"code": "fr"},
        "sentiment": {"label": "negative"},
        "toxicity": {"score": 0.4},
        "intents": {"labels": ["complaint"]},
        "topics": {"keys": ["delivery"]},
    }
    facts = facts_from_analysis(analysis, author_type="customer")
    assert (facts.language, facts.intents, facts.topics, facts.toxicity) == (
        "fr",
        ("complaint",),
        ("delivery",),
        0.4,
    )
    assert facts_from_analysis(None).intents == ()
    assert author_type(["Activist"]) == "activist"
    assert author_type([], toxic_messages=3) == "troll"
    assert author_type([], messages=2) == "customer"
    assert author_type([]) == "unknown"
    with pytest.raises(ValueError, match="limit"):
        suggest(PLAYBOOKS, facts, limit=0)


def test_draft_fills_variables_and_reports_the_missing_ones() -> None:
    templates = {
        "fr": "Bonjour {customer_name}, commande {order_number}. {agent_signature}",
        "en": "Hi {customer_name}",
    }
    draft = fill(
        playbook="p",
        templates=templates,
        language="fr",
        values={"customer_name": "Léa", "order_number": None},
    )
    assert draft.text == "Bonjour Léa, commande [order_number?]. [agent_signature?]"
    assert draft.missing == ["order_number", "agent_signature"]
    assert "{" not in draft.text
    assert fill(playbook="p", templates=templates, language="de", values={}).language == "en"
    assert extract_order_number("ma commande n° 784512 est en retard") == "784512"
    assert extract_order_number("order #CO-2026-0042 never came") == "CO-2026-0042"
    assert extract_order_number("rien reçu depuis 2026") is None


def test_labelled_set_is_large_and_bilingual() -> None:
    items = [
        json.loads(line)
        for line in (Path(__file__).parent / "labelled_messages.jsonl").read_text().splitlines()
    ]
    assert len(items) >= 60
    assert {i["expected"] for i in items} <= {p["key"] for p in PLAYBOOKS}
