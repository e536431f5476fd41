"""Routing on real complaints: tweets to US airlines (Twitter US Airline Sentiment, shared part).

The dataset labels each negative tweet with a complaint reason. A test workspace maps each reason to a
team; the tweets are analysed by Vigie's pipeline with the workspace's topics (keywords written below
from general knowledge of airline complaints, *not* tuned on the labels) and routed by
``vigie.routing.rules.route`` **without looking at the reason**. A routing is right when the member chosen
belongs to the reason's team. Tweets labelled "Can't Tell" are left out (no right team).

    .venv/bin/python benchmarks/routing_airline.py [--limit N]

Prints the share routed to the right team, overall, per reason, per half of the data (even and odd
rows, to show the figure is stable), and two baselines: everything to the largest team, and
keyword topics only (the main topic found decides, no routing rules).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path

from vigie.analysis.pipeline import Pipeline, TextItem
from vigie.routing.rules import WEEKDAYS, MemberProfile, RoutingRequest, route

DATASET = (
    Path(__file__).resolve().parents[2] / "shared" / "datasets" / "twitter-airline-sentiment" / "Tweets.csv"
)

# Complaint reason (dataset label) -> team.
TEAMS = {
    "Lost Luggage": "baggage",
    "Damaged Luggage": "baggage",
    "Late Flight": "disruption",
    "Cancelled Flight": "disruption",
    "Flight Booking Problems": "booking",
    "Bad Flight": "inflight",
    "Flight Attendant Complaints": "inflight",
    "longlines": "airport",
    "Customer Service Issue": "customer_care",
}

# Topic keywords, written from general knowledge of what people complain about to airlines.
TOPICS = [
    {
        "key": "baggage",
        "name": {"en": "Baggage"},
        "keywords": {
            "en": [
                "bag",
                "baggage",
                "luggage",
                "suitcase",
                "carousel",
                "baggage claim",
                "lost bag",
                "checked bag",
                "damaged",
                "broken",
                "stroller",
                "car seat",
                "delivered",
            ]
        },
    },
    {
        "key": "disruption",
        "name": {"en": "Delays and cancellations"},
        "keywords": {
            "en": [
                "delay",
                "delayed",
                "late",
                "cancelled",
                "canceled",
                "cancellation",
                "cancelled flightled",
                "missed connection",
                "missed my connection",
                "tarmac",
                "stuck",
                "diverted",
                "weather",
                "hours",
                "rebooked",
                "stranded",
                "on time",
            ]
        },
    },
    {
        "key": "booking",
        "name": {"en": "Booking"},
        "keywords": {
            "en": [
                "booking",
                "book",
                "booked",
                "reservation",
                "ticket",
                "website",
                "online",
                "app",
                "change fee",
                "confirmation",
                "itinerary",
                "upgrade",
                "miles",
                "points",
                "fare",
                "voucher",
                "credit card",
                "error",
            ]
        },
    },
    {
        "key": "inflight",
        "name": {"en": "On board"},
        "keywords": {
            "en": [
                "seat",
                "seats",
                "legroom",
                "wifi",
                "wi-fi",
                "food",
                "meal",
                "snack",
                "drinks",
                "entertainment",
                "flight attendant",
                "attendant",
                "crew",
                "pilot",
                "dirty",
                "cold",
                "hot",
                "plane",
                "aircraft",
                "boarding",
                "overhead",
            ]
        },
    },
    {
        "key": "airport",
        "name": {"en": "Airport"},
        "keywords": {
            "en": [
                "line",
                "lines",
                "queue",
                "security",
                "tsa",
                "check-in",
                "check in",
                "counter",
                "kiosk",
                "terminal",
                "gate agent",
                "gate",
            ]
        },
    },
    {
        "key": "customer_care",
        "name": {"en": "Customer care"},
        "keywords": {
            "en": [
                "customer service",
                "hold",
                "on hold",
                "phone",
                "call",
                "calling",
                "called",
                "hung up",
                "agent",
                "representative",
                "rep",
                "rude",
                "response",
                "respond",
                "reply",
                "answer",
                "email",
                "dm",
                "help",
                "nobody",
                "no one",
            ]
        },
    },
]

CM = frozenset({"answer", "apology", "refund", "compensation"})


@dataclass(frozen=True, slots=True)
class Row:
    tweet_id: str
    reason: str
    text: str


def roster() -> tuple[tuple[MemberProfile, ...], dict[str, str]]:
    """Two specialists per team (24/7 for the measurement), customer care as generalists, and a
    spokesperson in customer care (manager demands go there)."""
    members: list[MemberProfile] = []
    team_of: dict[str, str] = {}
    every_day = frozenset(WEEKDAYS)
    for n, team in enumerate(sorted(set(TEAMS.values()))):
        for i in range(2):
            key = f"{team}-{i}"
            generalist = team == "customer_care"
            members.append(
                MemberProfile(
                    id=n * 10 + i,
                    key=key,
                    name=key,
                    roles=("cm",),
                    languages=frozenset({"en"}),
                    topics=None if generalist else frozenset({team}),
                    expertise={team: 3},
                    days=every_day,
                    start=clock(0, 0),
                    end=clock(23, 59),
                    timezone="UTC",
                    max_open_cases=10**9,
                    capabilities=CM | ({"official_statement"} if generalist and i == 0 else frozenset()),
                )
            )
            team_of[key] = team
    return tuple(members), team_of


def load_rows(path: Path, limit: int | None) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            reason = record["negativereason"]
            if record["airline_sentiment"] != "negative" or reason not in TEAMS:
                continue
            rows.append(Row(record["tweet_id"], reason, record["text"]))
            if limit and len(rows) >= limit:
                break
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N usable tweets")
    parser.add_argument("--dataset", type=Path, default=DATASET)
    args = parser.parse_args()
    if not args.dataset.exists():
        sys.exit(f"Dataset not found at {args.dataset}; pass --dataset PATH/Tweets.csv.")
    rows = load_rows(args.dataset, args.limit)
    pipeline = Pipeline.for_workspace({"topics": TOPICS, "languages": ["en"]})
    members, team_of = roster()
    now = datetime(2015, 2, 24, 12, 0, tzinfo=UTC)
    start = time.perf_counter()
    partials = pipeline.analyse_texts([TextItem(r.text, "en") for r in rows])
    analysed = time.perf_counter() - start
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    halves: dict[int, Counter[str]] = {0: Counter(), 1: Counter()}
    keyword_only = 0
    no_topic = 0
    start = time.perf_counter()
    for index, (row, partial) in enumerate(zip(rows, partials, strict=True)):
        analysis = pipeline.finish(partial, None)
        matches = analysis.topics.matches
        # Main topic first (most matched keywords), as vigie.cases does when it files a message.
        topics = tuple(sorted(analysis.topics.keys, key=lambda k: -len(matches.get(k, []))))
        if not topics:
            no_topic += 1
        keyword_only += int((topics[0] if topics else "customer_care") == TEAMS[row.reason])
        request = RoutingRequest(language="en", topics=topics, intents=tuple(analysis.intents.labels))
        chosen = route(request, members, now=now)
        ok = chosen.member_key is not None and team_of[chosen.member_key] == TEAMS[row.reason]
        total[row.reason] += 1
        right[row.reason] += int(ok)
        half = halves[index % 2]
        half["n"] += 1
        half["ok"] += int(ok)
    routed = time.perf_counter() - start
    n = sum(total.values())
    teams = Counter(TEAMS[r] for r in total.elements())
    largest, largest_n = teams.most_common(1)[0]
    print(f"dataset: {args.dataset}  negative tweets with a reason (Can't Tell left out): {n}")
    print(f"routed to the right team: {sum(right.values()) / n:.1%}  ({sum(right.values())}/{n})")
    for parity, counts in halves.items():
        print(
            f"  {'even' if parity == 0 else 'odd'} rows: {counts['ok'] / max(counts['n'], 1):.1%} of {counts['n']}"
        )
    print(f"baseline, everything to the largest team ({largest}): {largest_n / n:.1%}")
    print(
        f"baseline, main keyword topic only, no routing rules (no topic -> customer_care): {keyword_only / n:.1%}"
    )
    print(f"tweets with no topic found: {no_topic / n:.1%}")
    print("per reason (team): right / total")
    for reason, count in total.most_common():
        print(f"  {reason:<28} ({TEAMS[reason]:<13}) {right[reason] / count:6.1%}  {right[reason]}/{count}")
    print(
        f"analysis {analysed:.1f} s, routing {routed:.2f} s ({n / routed:.0f} decisions/s, {len(members)} members)"
    )


if __name__ == "__main__":
    main()
