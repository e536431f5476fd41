"""Ingest benchmark: messages per second and peak memory of `vigie ingest` on SQLite and PostgreSQL.

Generates COUNT JSONL messages in a temporary file, then for each backend creates a fresh database
(migrated with Alembic), a workspace with its channels, and runs the real CLI (`vigie ingest … --json`)
in a child process, timing it and reading that child's peak RSS (``os.wait4`` rusage ``ru_maxrss``).

    .venv/bin/python benchmarks/ingest.py                   # 1,000,000 messages, both backends
    .venv/bin/python benchmarks/ingest.py --count 100000 --backend sqlite

PostgreSQL comes from --postgres-url (default: $VIGIE_TEST_POSTGRES_URL or the local server); a
database ``vigie_bench_<random>`` is created there and dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from vigie.storage.db import make_engine, make_session_factory, transaction
from vigie.storage.migrate import upgrade
from vigie.workspace.models import Channel, Workspace

CHANNELS = ["x", "mastodon", "facebook", "forum", "email"]
PHRASES = [
    "Ma commande n'est toujours pas arrivée, ça fait {d} jours",
    "Merci pour la livraison rapide, tout est parfait !",
    "J'attends mon remboursement depuis {d} semaines, c'est inadmissible",
    "L'appli plante quand je veux payer, erreur {d}",
    "My parcel was supposed to arrive {d} days ago, any news?",
    "Great customer service, thanks a lot!",
    "Is the promo code still valid until Sunday?",
    "Le colis est arrivé abîmé, la poêle est rayée",
]


def generate(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            author = rng.randrange(max(count // 20, 1))
            record: dict[str, object] = {
                "id": f"b{n}",
                "channel": CHANNELS[n % len(CHANNELS)],
                "author": {
                    "handle": f"@client{author}",
                    "name": f"Client {author}",
                    "followers": author % 5000,
                },
                "text": rng.choice(PHRASES).format(d=rng.randrange(2, 30)),
                "created_at": (start + timedelta(seconds=n * 2)).isoformat(),
                "lang": "fr" if n % 3 else "en",
            }
            if n % 10 == 9:
                record["in_reply_to"] = f"b{n - rng.randrange(1, 9)}"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def prepare(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    with transaction(make_session_factory(engine)) as session:
        workspace = Workspace(slug="bench", name="Bench")
        session.add(workspace)
        session.flush()
        for name in CHANNELS:
            session.add(Channel(workspace_id=workspace.id, name=name))
    engine.dispose()


INGEST_ONLY = False


def run_ingest(database_url: str, path: Path, batch_size: int | None) -> tuple[float, int, dict[str, object]]:
    """Run `vigie ingest` in a child; returns (seconds, peak RSS in KiB, the JSON summary).

    With --ingest-only the child clears the post-ingest hooks (e.g. analysis) after importing the CLI,
    so the figure is ingest alone; by default it is ingest plus every registered hook.
    """
    env = {**os.environ, "VIGIE_DATABASE_URL": database_url}
    if batch_size:
        env["VIGIE_INGEST_BATCH_SIZE"] = str(batch_size)
    code = "from vigie.cli.main import main\n"
    if INGEST_ONLY:
        code += "from vigie.ingest.hooks import post_ingest_hooks\npost_ingest_hooks.clear()\n"
    command = [sys.executable, "-c", code + "main()"]
    command += ["ingest", str(path), "--workspace", "bench", "--json"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        # wait4 gives this child's own rusage (its peak RSS), not the maximum over all children.
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(
                f"ingest failed ({child.returncode}): {err.read().decode(errors='replace')[-2000:]}"
            )
        return elapsed, usage.ru_maxrss, json.loads(out.read())


def bench_backend(name: str, database_url: str, path: Path, count: int, batch_size: int | None) -> None:
    prepare(database_url)
    seconds, peak_kib, summary = run_ingest(database_url, path, batch_size)
    assert summary["accepted"] == count, summary
    print(
        f"{name:<10} {count:>9,} messages  {seconds:8.1f} s  {count / seconds:>9,.0f} msg/s  "
        f"peak RSS {peak_kib / 1024:7.1f} MiB"
    )
    seconds2, peak2, summary2 = run_ingest(database_url, path, batch_size)
    assert summary2["duplicates"] == count, summary2
    print(
        f"{name:<10} rerun (all duplicates)  {seconds2:8.1f} s  {count / seconds2:>9,.0f} msg/s  "
        f"peak RSS {peak2 / 1024:7.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("VIGIE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres"),
    )
    parser.add_argument("--batch-size", type=int, default=None, help="VIGIE_INGEST_BATCH_SIZE (default 1000)")
    parser.add_argument(
        "--ingest-only", action="store_true", help="clear post-ingest hooks (analysis…) in the child"
    )
    args = parser.parse_args()
    global INGEST_ONLY  # noqa: PLW0603 - a flag for run_ingest, set once from the command line
    INGEST_ONLY = args.ingest_only

    with tempfile.TemporaryDirectory(prefix="vigie-bench-") as tmp:
        path = Path(tmp) / "messages.jsonl"
        started = time.perf_counter()
        generate(path, args.count)
        size = path.stat().st_size
        print(
            f"generated {args.count:,} messages ({size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s; "
            f"batch size {args.batch_size or 'default'}; hooks {'off' if args.ingest_only else 'on'}; python {sys.version.split()[0]}; cpus {os.cpu_count()}"
        )
        if args.backend in ("sqlite", "both"):
            bench_backend(
                "sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", path, args.count, args.batch_size
            )
        if args.backend in ("postgresql", "both"):
            admin = make_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
            name = f"vigie_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(args.postgres_url).set(database=name).render_as_string(hide_password=False)
            try:
                bench_backend("postgresql", url, path, args.count, args.batch_size)
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
