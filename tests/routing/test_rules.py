"""The pure routing rules: requirements, availability, scoring, relaxations, learnt penalties."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from vigie.core.errors import ValidationFailedError
from vigie.routing.rules import Absence, MemberProfile, RoutingRequest, availability, needs_of, route

# Wednesday 18 November 2026, 10:00 in Paris.
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
CM = frozenset({"answer", "apology", "refund", "compensation"})


def member(key: str, **fields: object) -> MemberProfile:
    base = MemberProfile(
        id=hash(key) % 10_000,
        key=key,
        name=key.title(),
        roles=("junior-cm",),
        languages=frozenset({"fr", "en"}),
        topics=None,
        expertise={},
        timezone="Europe/Paris",
        capabilities=CM,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


TEAM = (
    member("junior", topics=frozenset({"delivery", "refund"}), expertise={"delivery": 2}),
    member("senior", expertise={"delivery": 4, "refund": 4}, max_open_cases=20),
    member(
        "expert",
        roles=("expert",),
        topics=frozenset({"app_bug"}),
        expertise={"app_bug": 5},
        capabilities=frozenset({"answer"}),
        mandate_topics=frozenset({"app_bug"}),
    ),
    member("boss", roles=("spokesperson",), capabilities=CM | {"official_statement"}, max_open_cases=8),
    member("anglo", languages=frozenset({"en"}), capabilities=frozenset({"answer"})),
)


def test_needs_come_from_intents_topics_and_author() -> None:
    assert needs_of(RoutingRequest("fr", topics=("refund",))) == ("refund",)
    assert needs_of(RoutingRequest("fr", intents=("legal_threat",))) == ("official_statement",)
    influential = RoutingRequest("fr", author_labels=("journalist",), author_influence=0.7)
    assert needs_of(influential) == ("official_statement",)
    assert needs_of(replace(influential, author_influence=0.2)) == ()


def test_manager_demand_goes_to_the_spokesperson_with_the_reason() -> None:
    result = route(RoutingRequest("fr", topics=("delivery",), intents=("manager_demand",)), TEAM, now=NOW)
    assert result.member_key == "boss"
    assert "porte-parole" in result.explain("fr") and "spokesperson" in result.explain("en")


def test_technical_question_goes_to_the_expert_but_a_complaint_does_not() -> None:
    tech = route(RoutingRequest("fr", topics=("app_bug",), intents=("question",)), TEAM, now=NOW)
    assert tech.member_key == "expert" and any(r.code == "expert" for r in tech.reasons)
    complaint = route(RoutingRequest("fr", topics=("delivery",), intents=("complaint",)), TEAM, now=NOW)
    assert complaint.member_key in {"junior", "senior"}


def test_refund_goes_to_someone_who_may_refund() -> None:
    team = (member("nope", capabilities=frozenset({"answer"}), expertise={"refund": 5}), member("yes"))
    assert route(RoutingRequest("en", topics=("refund",)), team, now=NOW).member_key == "yes"


def test_language_and_availability_filter_and_relax() -> None:
    english_only = route(RoutingRequest("de"), (member("a", languages=frozenset({"en"})),), now=NOW)
    assert english_only.member_key == "a" and english_only.relaxed == ("language",)
    away = member(
        "away", absences=(Absence(date(2026, 11, 16), date(2026, 11, 20)),), expertise={"delivery": 5}
    )
    here = member("here")
    assert availability(away, NOW) == "absent"
    assert route(RoutingRequest("fr", topics=("delivery",)), (away, here), now=NOW).member_key == "here"
    full = member("full", open_cases=3, max_open_cases=3)
    assert availability(full, NOW) == "at the load cap"
    night = datetime(2026, 11, 18, 22, 0, tzinfo=UTC)
    assert availability(here, night) == "outside working hours"
    assert availability(here, datetime(2026, 11, 21, 10, 0, tzinfo=UTC)) == "not a working day"
    nobody = route(RoutingRequest("fr"), (here,), now=night)
    assert nobody.member_key == "here" and "availability" in nobody.relaxed
    assert route(RoutingRequest("fr"), (), now=NOW).member_key is None


def test_load_and_handback_penalties_change_the_choice() -> None:
    a, b = member("a", expertise={"delivery": 3}), member("b", expertise={"delivery": 3})
    request = RoutingRequest("fr", topics=("delivery",), intents=("complaint",))
    assert route(request, (a, b), now=NOW).member_key == "a"  # tie broken by key
    assert route(request, (replace(a, open_cases=15), b), now=NOW).member_key == "b"
    learnt = route(request, (a, b), now=NOW, penalties={("a", "topic:delivery"): 1})
    assert learnt.member_key == "b"
    assert any(
        r.code == "handbacks"
        for r in route(request, (a,), now=NOW, penalties={("a", "intent:complaint"): 2}).reasons
    )
    assert route(replace(request, exclude=frozenset({"a"})), (a, b), now=NOW).member_key == "b"


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(ValidationFailedError, match="timezone-aware"):
        route(RoutingRequest("fr"), TEAM, now=datetime(2026, 11, 18, 9, 0))  # noqa: DTZ001
    with pytest.raises(ValidationFailedError, match="unknown time zone"):
        availability(member("x", timezone="Mars/Olympus"), NOW)
    with pytest.raises(ValidationFailedError, match="'fr' and 'en'"):
        route(RoutingRequest("fr"), TEAM, now=NOW).explain("de")
