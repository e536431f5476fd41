"""The non-volume crisis detectors on real data: negative-share shift per airline, pile-on on rumour threads.

    .venv/bin/python benchmarks/crisis_signals.py [--part airline|pheme|all] [--sweep]

Datasets are read from ../shared/datasets (or VIGIE_DATASETS); a missing one is skipped with a message.

**Airline** (twitter-airline-sentiment, shared part): each airline's tweets, in time order, are one
stream through the product's :class:`ShareShiftDetector` (negative share, cold start) and a
:class:`Grader`. Printed: every episode of signals (signals less than two hours apart), with the share
observed and the baseline, and the highest grade reached. The data has a trap: American Airlines tweets
only exist from 2015-02-22 (a collection artefact); it must not become a crisis. The reference, in
hindsight, is a *shift day* (:func:`shift_days`). Airlines are split in two: ``--sweep`` picks the
thresholds on the tune airlines (Delta, United, Virgin America) only; the report airlines (American,
Southwest, US Airways) are the figures to quote.

**PHEME** (rumoureval2017-pheme, shared part): every thread's replies (stance support / query / deny /
comment) go, in time order, through the product's :class:`PileOnDetector`, a reply counting as
"negative" when it denies or queries the claim. The reference, decided in hindsight on the whole thread,
is written in :func:`reference_onset`. Authors are not in the data: a tweet's author is read from the
first @handle of the replies to it (Twitter prefixes a reply with the handle it answers); a tweet
nobody answered counts as its own author. Threads are split in two halves by a hash of their id:
``--sweep`` searches the detector's thresholds on the *tune* half only, and every figure is printed for
both halves, the *report* half being the one to quote.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import product
from pathlib import Path
from typing import Any

from vigie.crisis.detectors import (
    Observation,
    PileOnConfig,
    PileOnDetector,
    ShareConfig,
    ShareShiftDetector,
    SignalEvent,
    SignalKind,
)
from vigie.crisis.grading import Grade, Grader

DATASETS = Path(os.environ.get("VIGIE_DATASETS", Path(__file__).resolve().parents[2] / "shared" / "datasets"))
EPISODE_GAP = timedelta(hours=2)


# --- airline: negative share per airline ------------------------------------------------------------


def airline_streams(path: Path) -> dict[str, list[Observation]]:
    seen: set[str] = set()
    rows: list[tuple[datetime, str, dict[str, str]]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["tweet_id"] in seen:  # 155 ids appear twice upstream
                continue
            seen.add(row["tweet_id"])
            at = datetime.strptime(row["tweet_created"], "%Y-%m-%d %H:%M:%S %z").astimezone(UTC)
            rows.append((at, row["tweet_id"], row))
    rows.sort(key=lambda item: (item[0], item[1]))
    streams: dict[str, list[Observation]] = {}
    for index, (at, tweet_id, row) in enumerate(rows):
        streams.setdefault(row["airline"], []).append(
            Observation(
                message_id=index,
                at=at,
                channel="twitter",
                external_id=tweet_id,
                author=row["name"],
                text=row["text"],
                negative=row["airline_sentiment"] == "negative",
            )
        )
    return streams


@dataclass
class Episode:
    first: SignalEvent
    last: SignalEvent
    count: int
    peak: float


def episodes(signals: Iterable[SignalEvent]) -> list[Episode]:
    out: list[Episode] = []
    for signal in signals:
        if out and signal.at - out[-1].last.at < EPISODE_GAP:
            episode = out[-1]
            episode.last, episode.count = signal, episode.count + 1
            episode.peak = max(episode.peak, signal.score)
        else:
            out.append(Episode(signal, signal, 1, signal.score))
    return out


TUNE_AIRLINES = ("Delta", "United", "Virgin America")
SHIFT_POINTS = 0.12
SHIFT_MIN_TWEETS = 100


def shift_days(stream: list[Observation]) -> set[str]:
    """UTC days (with at least ``SHIFT_MIN_TWEETS`` tweets and three days before them) whose negative share
    is ``SHIFT_POINTS`` above the mean of the airline's previous days' shares."""
    days: dict[str, list[int]] = {}
    for obs in stream:
        counts = days.setdefault(f"{obs.at:%m-%d}", [0, 0])
        counts[0] += obs.negative
        counts[1] += 1
    shares: list[float] = []
    out = set()
    for day, (negative, total) in sorted(days.items()):
        if total < SHIFT_MIN_TWEETS:
            continue
        share = negative / total
        if len(shares) >= 3 and share >= statistics.mean(shares) + SHIFT_POINTS:
            out.add(day)
        shares.append(share)
    return out


@dataclass
class ShareScore:
    shift_days: int = 0
    found: int = 0
    other_episodes: int = 0
    artefact_episodes: int = 0
    artefact_grade: Grade = Grade.NORMAL

    def line(self) -> str:
        return (
            f"shift days found {self.found}/{self.shift_days}, episodes on other days {self.other_episodes}; "
            f"American cold-start artefact: {self.artefact_episodes} episodes, highest grade {self.artefact_grade.label}"
        )


def score_share(streams: dict[str, list[Observation]], config: ShareConfig) -> ShareScore:
    score = ShareScore()
    for airline, stream in streams.items():
        signals, top = run_airline(stream, config)
        reference = shift_days(stream)
        flagged = {f"{e.first.at:%m-%d}" for e in episodes(signals)}
        score.shift_days += len(reference)
        score.found += len(reference & flagged)
        if airline == "American":
            score.artefact_episodes += len(episodes(signals))
            score.artefact_grade = top
        else:
            score.other_episodes += sum(
                1 for e in episodes(signals) if f"{e.first.at:%m-%d}" not in reference
            )
    return score


def run_airline(stream: list[Observation], config: ShareConfig) -> tuple[list[SignalEvent], Grade]:
    detector = ShareShiftDetector(SignalKind.NEGATIVE_SHARE, config)
    grader = Grader()
    signals: list[SignalEvent] = []
    top = Grade.NORMAL
    for obs in stream:
        found = [s for s in detector.update(obs) if s.scope == "*"]
        signals += found
        grader.observe("*", found, obs.at)
        top = max(top, grader.grade("*"))
    return signals, top


def daily_shares(stream: list[Observation]) -> str:
    days: dict[str, list[int]] = {}
    for obs in stream:
        counts = days.setdefault(f"{obs.at:%m-%d}", [0, 0])
        counts[0] += obs.negative
        counts[1] += 1
    return " ".join(f"{day} {neg / total:.0%}/{total}" for day, (neg, total) in sorted(days.items()))


def airline_part(config: ShareConfig, sweep: bool) -> None:
    path = DATASETS / "twitter-airline-sentiment" / "Tweets.csv"
    if not path.exists():
        print(f"airline: skipped, {path} not found (set VIGIE_DATASETS to ../shared/datasets)")
        return
    streams = airline_streams(path)
    halves = {
        "tune": {a: s for a, s in streams.items() if a in TUNE_AIRLINES},
        "report": {a: s for a, s in streams.items() if a not in TUNE_AIRLINES},
    }
    print(f"== Negative share per airline (ShareShiftDetector, {config})")
    for airline, stream in sorted(streams.items()):
        signals, top = run_airline(stream, config)
        print(
            f"{airline}: {len(stream)} tweets from {stream[0].at:%m-%d %H:%M} UTC; daily negative share {daily_shares(stream)}"
        )
        print(
            f"  shift days (reference): {', '.join(sorted(shift_days(stream))) or 'none'}; {len(signals)} signals, highest grade {top.label}"
        )
        for episode in episodes(signals):
            d = episode.first.details
            print(
                f"  {episode.first.at:%m-%d %H:%M}-{episode.last.at:%H:%M} UTC: {episode.count} signals, peak score "
                f"{episode.peak:.2f}; first: {d['observed_share']:.0%} of {d['window_messages']} vs baseline "
                f"{d['baseline_share']:.0%} (history {d['baseline_messages']:.0f} msgs, cold start {d['cold_start']})"
            )
    previous = replace(config, z_start=3.5, min_history=0)
    for half, subset in halves.items():
        print(f"  {half:<6} airlines: {score_share(subset, config).line()}")
        print(
            f"    with the defaults before the real-data check (z_start 3.5, min_history 0): {score_share(subset, previous).line()}"
        )
    if not sweep:
        return
    results = []
    for z_start, min_history in product((2.5, 3.0, 3.5), (0, 50, 100, 200, 400)):
        candidate = replace(config, z_start=z_start, min_history=min_history)
        tune = score_share(halves["tune"], candidate)
        # Most shift days found, then fewest other episodes, then the shortest blind start.
        results.append(
            ((-tune.found, tune.other_episodes + tune.artefact_episodes, min_history), candidate, tune)
        )
    results.sort(key=lambda item: item[0])
    print("Sweep on the tune airlines (z_start, min_history), best 5:")
    for _, candidate, tune in results[:5]:
        report = score_share(halves["report"], candidate)
        print(
            f"  {candidate.z_start}, {candidate.min_history}: tune {tune.line()}\n      report {report.line()}"
        )


# --- PHEME: pile-on on rumour threads ------------------------------------------------------------------

STANCES = {"0": "support", "1": "query", "2": "deny", "3": "comment"}
REF_AUTHORS = 5
REF_SHARE = 0.25


@dataclass(frozen=True)
class Reply:
    tweet_id: str
    parent: str
    at: datetime
    author: str
    stance: str

    @property
    def against(self) -> bool:
        return self.stance in ("deny", "query")


@dataclass
class Thread:
    root: str
    at: datetime | None
    replies: list[Reply]

    @property
    def half(self) -> str:
        return "tune" if hashlib.sha256(self.root.encode()).digest()[0] % 2 == 0 else "report"


def _walk(tree: dict[str, Any], parent: str | None) -> Iterator[tuple[str, str | None]]:
    for tweet_id, children in tree.items():
        yield tweet_id, parent
        if isinstance(children, dict):
            yield from _walk(children, tweet_id)


def pheme_threads(folder: Path) -> list[Thread]:
    posts: dict[str, dict[str, Any]] = json.loads((folder / "posts.json").read_text(encoding="utf-8"))
    structures: dict[str, Any] = json.loads((folder / "structures.json").read_text(encoding="utf-8"))
    ids = (folder / "post_id.txt").read_text().split()
    labels = (folder / "post_label.txt").read_text().split()
    stance = {tweet_id: STANCES[label] for tweet_id, label in zip(ids, labels, strict=True)}
    edges = [edge for tree in structures.values() for edge in _walk(tree, None)]
    # The author of a tweet: the handle most replies to it start with.
    handles: dict[str, Counter[str]] = {}
    for tweet_id, parent in edges:
        if parent is not None and tweet_id in posts:
            match = re.match(r"\s*@(\w+)", posts[tweet_id]["text"])
            if match:
                handles.setdefault(parent, Counter())[match.group(1).lower()] += 1

    def author(tweet_id: str) -> str:
        counter = handles.get(tweet_id)
        return counter.most_common(1)[0][0] if counter else f"tweet-{tweet_id}"

    threads = []
    for root, tree in structures.items():
        replies = [
            Reply(
                tweet_id,
                parent,
                datetime.fromtimestamp(posts[tweet_id]["time"], UTC),
                author(tweet_id),
                stance.get(tweet_id, "comment"),
            )
            for tweet_id, parent in _walk(tree, None)
            if parent is not None and tweet_id in posts
        ]
        replies.sort(key=lambda r: (r.at, r.tweet_id))
        at = datetime.fromtimestamp(posts[root]["time"], UTC) if root in posts else None
        threads.append(Thread(root, at, replies))
    return threads


def reference_onset(thread: Thread, authors: int = REF_AUTHORS, share: float = REF_SHARE) -> datetime | None:
    """In hindsight, over the whole thread (no time window, unlike the detector): at least ``authors``
    distinct authors denied or queried the claim, and deny/query replies are at least ``share`` of all
    its replies — the crowd turned against the post, not a few doubters in a large friendly thread.
    The onset is the first time the thread met both conditions counting only the replies so far (or,
    if the share only got there later, the reply by which the last condition was met)."""
    against = [r for r in thread.replies if r.against]
    if len({r.author for r in against}) < authors or len(against) / max(len(thread.replies), 1) < share:
        return None
    seen: set[str] = set()
    count = 0
    for index, reply in enumerate(thread.replies, start=1):
        if reply.against:
            seen.add(reply.author)
            count += 1
        if len(seen) >= authors and count / index >= share:
            return reply.at
    return thread.replies[-1].at


def pile_on_onsets(threads: list[Thread], config: PileOnConfig) -> dict[str, datetime]:
    """Every thread's replies through one detector, in time order; the first signal per thread."""
    items: list[tuple[datetime, int, str, Reply | None]] = []
    for thread in threads:
        if thread.at is not None:
            items.append((thread.at, 0, thread.root, None))
        items += [(r.at, 1, thread.root, r) for r in thread.replies]
    items.sort(key=lambda item: (item[0], item[1]))
    detector = PileOnDetector(config)
    seen_authors: set[str] = set()
    first: dict[str, datetime] = {}
    for message_id, (at, _, root, reply) in enumerate(items):
        if reply is None:
            detector.update(Observation(message_id, at, "twitter", root, author=f"source-{root}"))
            continue
        prior = 1 if reply.author in seen_authors else 0
        seen_authors.add(reply.author)
        obs = Observation(
            message_id, at, "twitter", reply.tweet_id, author=reply.author, in_reply_to=reply.parent,
            negative=reply.against, author_prior_messages=prior,
        )  # fmt: skip
        for signal in detector.update(obs):
            first.setdefault(str(signal.details["thread_root"]), signal.at)
    return first


@dataclass
class PileOnScore:
    threads: int
    reference: int
    flagged: int
    hits: int
    minutes_from_first_reply: list[float]
    minutes_from_reference: list[float]

    @property
    def precision(self) -> float:
        return self.hits / self.flagged if self.flagged else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        first = (
            statistics.median(self.minutes_from_first_reply)
            if self.minutes_from_first_reply
            else float("nan")
        )
        ref = statistics.median(self.minutes_from_reference) if self.minutes_from_reference else float("nan")
        return (
            f"{self.threads} threads, {self.reference} pile-ons by the reference, {self.flagged} flagged, "
            f"{self.hits} right: precision {self.precision:.2f}, recall {self.recall:.2f}, F1 {self.f1:.2f}; "
            f"median minutes to the signal from the first reply {first:.1f}, from the reference onset {ref:+.1f}"
        )


def score_pile_on(threads: list[Thread], flagged: dict[str, datetime]) -> PileOnScore:
    score = PileOnScore(len(threads), 0, 0, 0, [], [])
    for thread in threads:
        onset = reference_onset(thread)
        signal = flagged.get(thread.root)
        score.reference += onset is not None
        score.flagged += signal is not None
        if onset is not None and signal is not None:
            score.hits += 1
            score.minutes_from_first_reply.append((signal - thread.replies[0].at).total_seconds() / 60)
            score.minutes_from_reference.append((signal - onset).total_seconds() / 60)
    return score


def pheme_part(config: PileOnConfig, sweep: bool) -> None:
    folder = DATASETS / "rumoureval2017-pheme"
    if not (folder / "posts.json").exists():
        print(f"pheme: skipped, {folder} not found (set VIGIE_DATASETS to ../shared/datasets)")
        return
    threads = pheme_threads(folder)
    halves = {half: [t for t in threads if t.half == half] for half in ("tune", "report")}
    replies = [r for t in threads for r in t.replies]
    known = sum(1 for r in replies if not r.author.startswith("tweet-"))
    print(
        f"\n== Pile-on on PHEME threads ({len(threads)} threads, {len(replies)} replies, "
        f"author known for {known}); reference: {REF_AUTHORS}+ distinct deny/query authors over the thread, "
        f"deny/query >= {REF_SHARE:.0%} of its replies"
    )
    flagged = pile_on_onsets(threads, config)
    previous = pile_on_onsets(threads, replace(config, window=timedelta(minutes=30), min_negative_share=0.5))
    print(f"PileOnDetector {config}")
    for half, subset in halves.items():
        print(f"  {half:<6}: {score_pile_on(subset, flagged).line()}")
        print(
            f"    with the defaults before the real-data check (30 min, share 0.5): {score_pile_on(subset, previous).line()}"
        )
    print(f"  all   : {score_pile_on(threads, flagged).line()}")
    if not sweep:
        return
    # Shares below 0.4 are left out: deny/query is much rarer than negative sentiment, and a product
    # thread at the usual negative share (the prior is 25 %) must not count as a pile-on.
    grid = product(
        (timedelta(minutes=30), timedelta(minutes=45), timedelta(minutes=60), timedelta(minutes=90)),
        (3, 4, 5, 6),
        (0.4, 0.5, 0.6),
        (0.0, 1.0),
    )
    results = []
    for window, authors, share, acceleration in grid:
        candidate = replace(
            config,
            window=window,
            min_authors=authors,
            min_negative_share=share,
            min_acceleration=acceleration,
        )
        tune = score_pile_on(halves["tune"], pile_on_onsets(halves["tune"], candidate))
        results.append((tune.f1, candidate))
    results.sort(key=lambda item: -item[0])
    print("Sweep on the tune half (window, min_authors, min_negative_share, min_acceleration), best 5:")
    for f1, candidate in results[:5]:
        report = score_pile_on(halves["report"], pile_on_onsets(halves["report"], candidate))
        print(
            f"  {int(candidate.window.total_seconds() // 60)} min, {candidate.min_authors}, "
            f"{candidate.min_negative_share}, {candidate.min_acceleration}: tune F1 {f1:.2f}; report: {report.line()}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("airline", "pheme", "all"), default="all")
    parser.add_argument("--sweep", action="store_true", help="Search the thresholds on the tune half.")
    args = parser.parse_args()
    if args.part in ("airline", "all"):
        airline_part(ShareConfig(), args.sweep)
    if args.part in ("pheme", "all"):
        pheme_part(PileOnConfig(), args.sweep)


if __name__ == "__main__":
    main()
