"""Case-library search latency with many entries, on SQLite (FTS5) and PostgreSQL (GIN).

Builds ``--entries`` bilingual entries from sentence pieces (half French, half English), then times
``vigie.library.service.search`` for inflected queries. On PostgreSQL it runs in a throw-away
schema (``bench_library``, dropped afterwards) and prints whether the plan uses the GIN index.

    .venv/bin/python benchmarks/library_search.py --entries 5000
    .venv/bin/python benchmarks/library_search.py --entries 5000 --db-url postgresql+psycopg://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from vigie.library import service
from vigie.library.search import PG_VECTOR, _pg_query, query_terms
from vigie.storage.db import make_engine, make_session_factory
from vigie.storage.registry import metadata
from vigie.workspace.models import Workspace

FR = [
    "les livraisons ont pris du retard",
    "un colis perdu par le transporteur",
    "des clients mécontents du remboursement",
    "une erreur de prix dans la publication",
    "la grève des entrepôts a bloqué les commandes",
    "des bouilloires défectueuses rappelées",
    "un influenceur a relayé la plainte",
    "le service client a répondu trop tard",
]
EN = [
    "deliveries were delayed for days",
    "a parcel lost by the courier",
    "customers unhappy with refunds",
    "a pricing error in our post",
    "the warehouse strike blocked orders",
    "faulty kettles were recalled",
    "an influencer shared the complaint",
    "customer service answered too late",
]
QUERIES = [
    "livraison retardée",
    "remboursé",
    "entrepôt grève",
    "delayed delivery",
    "refunded customer",
    "kettle",
]


def run(url: str, entries: int, repeats: int) -> None:
    engine = make_engine(url)
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    rng = random.Random(7)
    with factory() as session:
        ws = Workspace(slug="bench", name="Bench")
        session.add(ws)
        session.flush()
        started = time.perf_counter()
        for i in range(entries):
            lang = "fr" if i % 2 == 0 else "en"
            pieces = FR if lang == "fr" else EN
            summary = ". ".join(rng.sample(pieces, 3))
            service.add_entry(
                session,
                workspace=ws,
                title=f"Entry {i}: {rng.choice(pieces)}",
                summary=summary,
                lessons=[rng.choice(pieces)],
                language=lang,
                by="bench",
            )
        session.commit()
        if engine.dialect.name == "postgresql":
            # What autovacuum does on a live database; without statistics the planner scans every row.
            session.execute(text("ANALYZE library_entry"))
        print(f"{engine.dialect.name}: indexed {entries} entries in {time.perf_counter() - started:.1f} s")
        for query in QUERIES:
            times = []
            count = 0
            for _ in range(repeats):
                t0 = time.perf_counter()
                count = len(service.search(session, workspace=ws, query=query, limit=10))
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"  {query!r:<22} {count:>2} hits  p50 {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms"
            )
        if engine.dialect.name == "postgresql":
            q = _pg_query(query_terms("livraison retardée"), match_all=True)
            plan = session.execute(
                text(
                    f"EXPLAIN SELECT id FROM library_entry WHERE (language = 'fr' AND {PG_VECTOR} @@ "
                    f"to_tsquery('french'::regconfig, :q)) OR (language <> 'fr' AND {PG_VECTOR} @@ "
                    "to_tsquery('english'::regconfig, :q))"
                ),
                {"q": q},
            ).scalars()
            uses = any("ix_library_entry_document_fts" in line for line in plan)
            print(f"  plan uses the GIN index: {uses}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--db-url", default=None, help="PostgreSQL URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    if args.db_url is None:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.entries, args.repeats)
        return
    admin = make_engine(args.db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS bench_library CASCADE"))
        connection.execute(text("CREATE SCHEMA bench_library"))
    try:
        sep = "&" if "?" in args.db_url else "?"
        run(f"{args.db_url}{sep}options=-csearch_path%3Dbench_library", args.entries, args.repeats)
    finally:
        with admin.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS bench_library CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
