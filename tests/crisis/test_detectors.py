"""The pure detectors and the grader: what fires, what does not, and what each signal explains."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from vigie.crisis.detectors import (
    InfluencerDetector,
    Observation,
    PileOnDetector,
    ShareConfig,
    ShareShiftDetector,
    SignalEvent,
    SignalKind,
    SpreadDetector,
)
from vigie.crisis.grading import Grade, Grader, GradeThresholds
from vigie.crisis.watch import CrisisWatch, WatchConfig

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def obs(n: int, at: datetime, **kw: object) -> Observation:
    values: dict[str, object] = {
        "message_id": n,
        "at": at,
        "channel": "facebook",
        "external_id": f"m{n}",
        "author": f"user{n}",
    }
    values.update(kw)
    return Observation(**values)  # type: ignore[arg-type]


def pile_on_stream(start_id: int = 1000) -> list[Observation]:
    """A brand post, one complainer, then a growing crowd of new authors replying negatively."""
    out = [obs(start_id, T0, external_id="post", author="colibri", topics=("delivery",))]
    out.append(
        obs(start_id + 1, T0 + timedelta(minutes=2), external_id="c1", in_reply_to="post", author="first",
            negative=True, topics=("delivery",))
    )  # fmt: skip
    t = T0 + timedelta(minutes=4)
    for i in range(20):
        t += timedelta(seconds=max(10, 80 - 4 * i))  # accelerating
        parent = "c1" if i % 2 == 0 else "post"
        out.append(
            obs(start_id + 2 + i, t, external_id=f"r{i}", in_reply_to=parent, author=f"crowd{i}", negative=True,
                topics=("delivery",))
        )  # fmt: skip
    return out


def run(detector: PileOnDetector | ShareShiftDetector | InfluencerDetector | SpreadDetector,
        stream: list[Observation]) -> list[SignalEvent]:  # fmt: skip
    events: list[SignalEvent] = []
    for o in stream:
        events += detector.update(o)
    return events


def test_pile_on_names_thread_first_complainer_and_drivers() -> None:
    events = run(PileOnDetector(), pile_on_stream())
    assert events, "a pile-on of 20 new authors must be detected"
    first = events[0]
    assert first.kind is SignalKind.PILE_ON
    assert first.scope == "delivery"
    assert first.details["thread_root"] == "post"
    assert first.details["thread_root_message_id"] == 1000
    assert first.details["first_complainer"] == {"author": "first", "message_id": 1001}
    # The first complainer's comment drew replies: it leads the drivers.
    assert first.message_ids[0] == 1001
    assert first.details["distinct_authors"] >= 5
    assert first.details["new_author_share"] == 1.0
    assert "first complainer @first" in first.summary


def test_pile_on_needs_distinct_authors_and_negativity() -> None:
    # One angry author posting 20 times is not a pile-on.
    same = [
        obs(
            i,
            T0 + timedelta(seconds=20 * i),
            external_id=f"r{i}",
            in_reply_to="post",
            author="angry",
            negative=True,
        )
        for i in range(20)
    ]
    assert run(PileOnDetector(), same) == []
    # Twenty different authors replying kindly is not one either.
    kind = [
        obs(i, T0 + timedelta(seconds=20 * i), external_id=f"r{i}", in_reply_to="post", author=f"a{i}")
        for i in range(20)
    ]
    assert run(PileOnDetector(), kind) == []


def test_pile_on_is_causal() -> None:
    """A score at time t uses nothing after t: the events up to t do not change when the future does."""
    stream = pile_on_stream()
    cut = 12
    prefix_events = run(PileOnDetector(), stream[:cut])
    later = stream[:cut] + [
        obs(9000 + i, stream[cut - 1].at + timedelta(seconds=1 + i), external_id=f"z{i}", in_reply_to="post",
            author=f"z{i}", negative=True)
        for i in range(30)
    ]  # fmt: skip
    full_events = run(PileOnDetector(), later)
    assert [e for e in full_events if e.at <= stream[cut - 1].at] == prefix_events


def _mixed_stream(
    n: int, negative_rate: float, start: datetime, seed: int, first_id: int = 0
) -> list[Observation]:
    rng = random.Random(seed)
    return [
        obs(
            first_id + i,
            start + timedelta(seconds=30 * i),
            negative=rng.random() < negative_rate,
            topics=("refund",),
        )
        for i in range(n)
    ]


def test_negative_share_shift_fires_on_a_shift_not_on_a_steady_level() -> None:
    steady = _mixed_stream(600, 0.3, T0, seed=1)
    assert run(ShareShiftDetector(SignalKind.NEGATIVE_SHARE), steady) == []
    shifted = steady + _mixed_stream(80, 0.9, steady[-1].at + timedelta(seconds=30), seed=2, first_id=600)
    events = run(ShareShiftDetector(SignalKind.NEGATIVE_SHARE), shifted)
    assert events
    first = events[0]
    assert first.at > steady[-1].at
    assert first.details["baseline_share"] < 0.4
    assert first.details["observed_share"] > first.details["baseline_share"] + 0.2
    assert set(first.message_ids) <= {o.message_id for o in shifted if o.negative}
    assert {e.scope for e in events} >= {"*", "refund"}


def test_negative_share_waits_for_its_own_history_before_signalling() -> None:
    # A brand-new workspace that is 80 % negative from its first message (an airline, say): its normal,
    # not a shift, though far above the prior. Without the wait for history it would be flagged.
    new = [obs(i, T0 + timedelta(seconds=20 * i), negative=i % 5 != 0) for i in range(150)]
    assert run(ShareShiftDetector(SignalKind.NEGATIVE_SHARE), new) == []
    assert run(ShareShiftDetector(SignalKind.NEGATIVE_SHARE, ShareConfig(min_history=0)), new)
    # Once the baseline rests on the workspace's own messages, a flood is flagged.
    calm = _mixed_stream(300, 0.2, T0, seed=3)
    flood = [obs(300 + i, calm[-1].at + timedelta(seconds=10 * (i + 1)), negative=True) for i in range(20)]
    events = run(ShareShiftDetector(SignalKind.NEGATIVE_SHARE), calm + flood)
    assert events and events[0].message_ids[-1] >= 300
    assert events[0].details["baseline_messages"] >= 200


def test_toxic_share_uses_toxicity_scores() -> None:
    calm = [obs(i, T0 + timedelta(seconds=30 * i), toxicity=0.1, negative=True) for i in range(300)]
    toxic = [obs(300 + i, calm[-1].at + timedelta(seconds=10 * (i + 1)), toxicity=0.9) for i in range(20)]
    events = run(ShareShiftDetector(SignalKind.TOXIC_SHARE), calm + toxic)
    assert events and events[0].kind is SignalKind.TOXIC_SHARE
    with pytest.raises(ValueError, match="negative_share or toxic_share"):
        ShareShiftDetector(SignalKind.PILE_ON)


def test_influencer_journalist_joining() -> None:
    detector = InfluencerDetector()
    quiet = obs(1, T0, author="journo", author_labels=frozenset({"journalist"}), followers=80_000)
    assert detector.update(quiet) == [], "a journalist saying something neutral on a calm topic is no signal"
    angry = obs(2, T0 + timedelta(minutes=1), author="journo", author_labels=frozenset({"journalist"}),
                followers=80_000, negative=True, topics=("product_safety",))  # fmt: skip
    events = detector.update(angry)
    assert len(events) == 1 and events[0].kind is SignalKind.INFLUENCER
    assert events[0].message_ids == (2,) and "journalist" in events[0].summary
    # Signalled once per quiet period.
    assert detector.update(obs(3, T0 + timedelta(minutes=2), author="journo", negative=True,
                               author_labels=frozenset({"journalist"}))) == []  # fmt: skip


def test_spread_to_other_channels() -> None:
    detector = SpreadDetector()
    # An hour of history where the topic lives on x only: that is the baseline.
    stream = [obs(99, T0 - timedelta(minutes=125), channel="x", negative=True, topics=("refund",))]
    stream += [
        obs(100 + i, T0 - timedelta(minutes=70 - 3 * i), channel="x", negative=True, topics=("refund",))
        for i in range(5)
    ]
    for i, channel in enumerate(["x"] * 4 + ["mastodon"] * 3 + ["forum"] * 3):
        stream.append(obs(i, T0 + timedelta(minutes=i), channel=channel, negative=True, topics=("refund",)))
    events = run(detector, stream)
    assert len(events) == 1
    assert events[0].details["origin_channel"] == "x"
    assert set(events[0].details["channels"]) == {"x", "mastodon", "forum"}
    assert events[0].details["new_channels"] == ["mastodon", "forum"]
    # A topic that is everywhere in the baseline too is not spreading.
    steady = [
        obs(i, T0 + timedelta(minutes=i), channel=c, negative=True, topics=("refund",))
        for i, c in enumerate(["x", "mastodon", "forum"] * 100)
    ]
    assert run(SpreadDetector(), steady) == []
    # Positive talk on many channels is not a spread.
    calm = [
        obs(i, T0 + timedelta(minutes=i), channel=c, topics=("refund",))
        for i, c in enumerate(["x", "forum"] * 6)
    ]
    assert run(SpreadDetector(), calm) == []


def _signal(score: float, at: datetime, kind: SignalKind = SignalKind.PILE_ON) -> SignalEvent:
    return SignalEvent(kind=kind, scope="*", at=at, score=score, summary="s", message_ids=())


def test_grades_rise_at_once_and_come_down_slowly_without_flapping() -> None:
    grader = Grader(GradeThresholds(cooldown=timedelta(minutes=30), signal_ttl=timedelta(minutes=20)))
    change = grader.observe("*", [_signal(0.7, T0)], T0)
    assert change is not None and change.to_grade is Grade.ALERT and change.from_grade is Grade.NORMAL
    # Two kinds together push to crisis (noisy-or: 1 - 0.3 * 0.5 = 0.85).
    change = grader.observe(
        "*", [_signal(0.5, T0 + timedelta(minutes=1), SignalKind.INFLUENCER)], T0 + timedelta(minutes=1)
    )
    assert change is not None and change.to_grade is Grade.CRISIS
    # Signals expire after 20 min, but the grade holds for the 30 min cool-down: no flapping.
    assert grader.observe("*", [], T0 + timedelta(minutes=25)) is None
    assert grader.grade("*") is Grade.CRISIS
    # Then it steps down one grade at a time, each step waiting the cool-down again.
    down = grader.tick(T0 + timedelta(minutes=32))
    assert [c.to_grade for c in down] == [Grade.ALERT]
    assert grader.tick(T0 + timedelta(minutes=40)) == []
    assert [c.to_grade for c in grader.tick(T0 + timedelta(minutes=63))] == [Grade.WATCH]


def test_hysteresis_keeps_a_grade_between_leave_and_enter() -> None:
    grader = Grader(GradeThresholds(cooldown=timedelta(0)))
    assert grader.observe("*", [_signal(0.65, T0)], T0) is not None  # alert
    # 0.5 is below alert's enter threshold (0.6) but above its leave threshold (0.4): stays alert.
    assert grader.observe("*", [_signal(0.5, T0 + timedelta(minutes=16))], T0 + timedelta(minutes=16)) is None
    assert grader.grade("*") is Grade.ALERT


def test_threshold_validation() -> None:
    with pytest.raises(ValueError, match="leave threshold"):
        GradeThresholds(enter=(0.3, 0.6, 0.85), leave=(0.4, 0.5, 0.7))


def test_watch_grades_a_pile_on_per_topic_and_workspace() -> None:
    watch = CrisisWatch()
    changes = []
    for o in pile_on_stream():
        changes += watch.process(o).changes
    scopes = {(c.scope, c.to_grade) for c in changes}
    assert ("delivery", Grade.ALERT) in scopes or ("delivery", Grade.CRISIS) in scopes
    assert any(c.scope == "*" for c in changes)
    assert watch.grades()["delivery"] in ("alert", "crisis")


def test_correlated_signals_do_not_stack_but_independent_ones_do() -> None:
    grader = Grader()
    grader.observe("*", [_signal(0.7, T0), _signal(0.7, T0, SignalKind.NEGATIVE_SHARE)], T0)
    assert grader.grade("*") is Grade.ALERT, "pile-on and negative share measure the same crowd"
    grader.observe("*", [_signal(0.6, T0, SignalKind.SPREAD)], T0)
    assert grader.grade("*") is Grade.CRISIS


def test_watch_scores_volume_per_bucket_with_the_volume_detector() -> None:
    watch = CrisisWatch(WatchConfig(volume_bucket=timedelta(minutes=1)))
    n = 0
    signals: list[SignalEvent] = []
    for minute in range(400):
        for second in (10, 40):
            n += 1
            signals += watch.process(
                obs(n, T0 + timedelta(minutes=minute, seconds=second), topics=("order",))
            ).signals
    assert not [s for s in signals if s.kind is SignalKind.VOLUME], "a steady rate is no anomaly"
    spike_start = T0 + timedelta(minutes=400)
    for i in range(80):
        n += 1
        signals += watch.process(obs(n, spike_start + timedelta(seconds=i * 0.7), topics=("order",))).signals
    # The spike's bucket is scored when it closes: at the next message, or a tick.
    signals += watch.tick(spike_start + timedelta(minutes=1, seconds=5)).signals
    volume = [s for s in signals if s.kind is SignalKind.VOLUME]
    assert volume, "80 messages in a minute after 2 per minute is a spike"
    assert {s.details["series"] for s in volume} >= {"workspace:*", "topic:order", "channel:facebook"}
    assert all(s.at == spike_start + timedelta(minutes=1) for s in volume)
    assert volume[0].message_ids and volume[0].details["observed"] == 80
