"""`vigie worker`: consume Redis Streams queues; `vigie worker dead-letters`: what failed for good."""

from __future__ import annotations

import os
import signal
import socket
import threading
from datetime import UTC, datetime
from types import FrameType

import redis
import typer

from vigie.cli.context import CliContext, fail, print_json
from vigie.workers import analysis as _analysis_queue  # noqa: F401 - registers the message.ingested consumer
from vigie.workers.bus import DEFAULT_CLAIM_IDLE_MS, DEFAULT_MAX_ATTEMPTS, Bus, connect
from vigie.workers.loop import run_worker
from vigie.workers.registry import WorkerContext, consumers

app = typer.Typer(
    help="Background workers on Redis Streams (VIGIE_REDIS_URL); see docs/workers.md.",
    invoke_without_command=True,
)


def _bus(max_attempts: int, claim_idle_ms: int) -> Bus:
    url = CliContext().settings.redis_url
    client = connect(url)
    try:
        client.ping()
    except redis.RedisError as error:
        fail(f"Redis is unreachable at {url} ({error}). Start Redis or set VIGIE_REDIS_URL.")
    return Bus(client, max_attempts=max_attempts, claim_idle_ms=claim_idle_ms)


def _check_queues(queues: list[str]) -> None:
    unknown = [q for q in queues if q not in consumers]
    if unknown:
        fail(f"Unknown queue(s): {', '.join(unknown)}. Known queues: {', '.join(sorted(consumers))}.")


@app.callback()
def worker_command(
    ctx: typer.Context,
    queue: list[str] = typer.Option([], "--queue", "-q", help="Queue to consume (repeatable; default: all)."),
    consumer: str | None = typer.Option(
        None, "--consumer", help="Consumer name in the group (default: host-pid); unique per process."
    ),
    once: bool = typer.Option(False, "--once", help="Process what is waiting, then exit."),
    batch_size: int = typer.Option(100, "--batch-size", min=1, help="Messages read per batch."),
    block_ms: int = typer.Option(2000, "--block-ms", min=1, help="How long one read waits for messages."),
    max_attempts: int = typer.Option(
        DEFAULT_MAX_ATTEMPTS, "--max-attempts", min=1, help="Deliveries before a message is dead-lettered."
    ),
    claim_idle_ms: int = typer.Option(
        DEFAULT_CLAIM_IDLE_MS, "--claim-idle-ms", min=0, help="Reclaim pending messages idle this long."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as one JSON object at the end."),
) -> None:
    """Consume queues until Ctrl-C / SIGTERM (or, with --once, until nothing is waiting)."""
    if ctx.invoked_subcommand is not None:
        return
    queues = queue or sorted(consumers)
    _check_queues(queues)
    name = consumer or f"{socket.gethostname()}-{os.getpid()}"
    bus = _bus(max_attempts, claim_idle_ms)
    cli = CliContext()
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if not once:
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        typer.echo(f"Worker {name} consuming {', '.join(queues)} (Ctrl-C to stop).", err=True)
    stats = run_worker(
        queues,
        name,
        bus=bus,
        context=WorkerContext(session_factory=cli.session_factory),
        stop_event=stop,
        batch_size=batch_size,
        block_ms=block_ms,
        once=once,
    )
    result = {
        "consumer": name,
        "queues": queues,
        "processed": stats.processed,
        "failed": stats.failed,
        "dead_lettered": stats.dead_lettered,
        "batches": stats.batches,
        "errors": stats.errors,
    }
    if as_json:
        print_json(result)
    else:
        typer.echo(
            f"{stats.processed} processed, {stats.failed} failed attempts, "
            f"{stats.dead_lettered} dead-lettered in {stats.batches} batches."
        )
    if stats.dead_lettered:
        raise typer.Exit(1)


@app.command("dead-letters")
def dead_letters_command(
    queue: str = typer.Option(..., "--queue", "-q", help="Queue whose dead letters to list."),
    limit: int = typer.Option(100, "--limit", min=1, help="At most this many, oldest first."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """List messages that used all their attempts, with their last error."""
    _check_queues([queue])
    letters = _bus(DEFAULT_MAX_ATTEMPTS, DEFAULT_CLAIM_IDLE_MS).dead_letters(queue, count=limit)
    if as_json:
        print_json([letter.to_dict() for letter in letters])
        return
    if not letters:
        typer.echo(f"No dead letters for {queue}.")
        return
    for letter in letters:
        when = datetime.fromtimestamp(letter.dead_at, tz=UTC).isoformat(timespec="seconds")
        last = letter.error.strip().splitlines()[-1] if letter.error.strip() else ""
        typer.echo(f"{letter.id}  {when}  attempts={letter.attempts}  original={letter.original_id}  {last}")
