"""Alert latency: from the message that tips the grade to the webhook received by a local HTTP server.

Each run builds a fresh database with the Colibri example workspace, points its ``team-chat`` webhook
at an HTTP server on 127.0.0.1 (and e-mail at a local aiosmtpd server), then streams analysed messages
in real time at ``--rate`` messages per second through the online watch (``OnlineWatch``: detectors
updated per message, rows committed, notifications sent by the background dispatcher). After
``--warmup`` seconds of ordinary traffic, a pile-on is injected on one brand post. The latency is the
wall time between handing the tipping message to the watch and the webhook request arriving.

    .venv/bin/python benchmarks/alert_latency.py --runs 20
    .venv/bin/python benchmarks/alert_latency.py --runs 10 --db-url postgresql+psycopg://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlalchemy.engine import make_url

from vigie.core.settings import Settings
from vigie.crisis.delivery import Dispatcher
from vigie.crisis.detectors import Observation
from vigie.crisis.grading import Grade
from vigie.crisis.runner import OnlineWatch
from vigie.storage.db import make_engine, make_session_factory, transaction
from vigie.storage.migrate import upgrade
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir

CHANNELS = ("x", "mastodon", "facebook", "forum", "email")
TOPICS = ("delivery", "refund", "order", "product_quality", "app_bug", "payment", "pricing")


class Receiver:
    def __init__(self) -> None:
        self.arrivals: list[tuple[float, dict[str, Any]]] = []
        self.event = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.arrivals.append((time.perf_counter(), json.loads(body)))
                self.send_response(200)
                self.end_headers()
                outer.event.set()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Sink:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        return "250 OK"


def fresh_database(base_url: str | None, tmp: Path) -> str:
    if base_url is None:
        url = f"sqlite:///{tmp / f'{uuid.uuid4().hex}.sqlite3'}"
    else:
        admin = make_engine(base_url, isolation_level="AUTOCOMMIT")
        name = f"vigie_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


def one_run(
    args: argparse.Namespace, receiver: Receiver, settings: Settings, tmp: Path, seed: int
) -> float | None:
    url = fresh_database(args.db_url, tmp)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        apply_workspace(session, load_workspace_dir(example_workspace_dir()), "benchmark")
    dispatcher = Dispatcher(factory, settings=settings, environ={"VIGIE_WEBHOOK_TEAM_CHAT_URL": receiver.url})
    online = OnlineWatch(factory, "colibri", dispatcher=dispatcher)
    rng = random.Random(seed)
    receiver.arrivals.clear()
    receiver.event.clear()
    interval = 1.0 / args.rate
    total = int(args.rate * (args.warmup + args.buzz))
    inject_at = int(args.rate * args.warmup)
    start_wall = time.perf_counter()
    start_at = datetime.now(UTC)
    roots: list[tuple[str, str]] = []
    tipped_at: float | None = None
    pile = 0
    for n in range(total):
        due = start_wall + n * interval
        while (now := time.perf_counter()) < due:
            if due - now > 0.002:
                time.sleep(due - now - 0.001)
        at = start_at + timedelta(seconds=n * interval)
        channel = rng.choice(CHANNELS)
        topic = rng.choice(TOPICS)
        in_reply_to = None
        author = f"u{rng.randrange(200_000)}"
        negative = rng.random() < 0.15
        if n >= inject_at and n % args.buzz_every == 0:
            # The buzz: a new author replying negatively to the derailed brand post.
            channel, topic, in_reply_to, author, negative = (
                "facebook",
                "delivery",
                "brand-post",
                f"crowd{pile}",
                True,
            )
            pile += 1
        elif roots and rng.random() < 0.3:
            channel, in_reply_to = roots[rng.randrange(len(roots))]
        obs = Observation(
            message_id=n + 1,
            at=at,
            channel=channel,
            external_id=f"m{n}",
            author=author,
            in_reply_to=in_reply_to,
            negative=negative,
            sentiment_score=-0.6 if negative else 0.2,
            topics=(topic,),
        )
        if n == 0:
            obs = Observation(
                message_id=0,
                at=at,
                channel="facebook",
                external_id="brand-post",
                author="colibri_fr",
                topics=("product_quality",),
            )
        elif in_reply_to is None:
            roots.append((channel, obs.external_id))
        handed = time.perf_counter()
        step = online.process(obs)
        if tipped_at is None and any(c.to_grade >= Grade.ALERT for c in step.changes):
            tipped_at = handed
            if args.verbose:
                print(f"  tipped at message {n} ({pile} pile-on replies): {step.changes[-1].reason}")
    late = time.perf_counter() - (start_wall + total * interval)
    receiver.event.wait(timeout=5)
    dispatcher.join()
    dispatcher.close()
    engine.dispose()
    if args.db_url:
        admin = make_engine(args.db_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()
    if args.verbose:
        print(f"  stream finished {late * 1000:.0f} ms behind schedule; {len(receiver.arrivals)} webhooks")
    if tipped_at is None or not receiver.arrivals:
        return None
    return receiver.arrivals[0][0] - tipped_at


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rate", type=float, default=1000.0, help="messages per second")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of ordinary traffic first")
    parser.add_argument("--buzz", type=float, default=2.0, help="seconds of traffic with the pile-on")
    parser.add_argument("--buzz-every", type=int, default=40, help="one pile-on reply every N messages")
    parser.add_argument("--db-url", default=None, help="PostgreSQL admin URL (default: a SQLite file)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    receiver = Receiver()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port)
    latencies: list[float] = []
    missed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            latency = one_run(args, receiver, settings, Path(tmp), seed=run)
            if latency is None:
                missed += 1
                print(f"run {run + 1}: no alert/webhook")
                continue
            latencies.append(latency)
            print(f"run {run + 1}: {latency * 1000:.1f} ms")
    controller.stop()
    if not latencies:
        print("no latency measured")
        return 1
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    summary = {
        "runs": args.runs,
        "measured": len(latencies),
        "missed": missed,
        "rate_per_s": args.rate,
        "backend": "postgresql" if args.db_url else "sqlite",
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
