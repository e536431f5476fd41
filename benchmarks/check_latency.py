"""Latency of checking a draft end to end (charter + mandate verdict), as it runs while a person types.

Usage: .venv/bin/python benchmarks/check_latency.py [--drafts 2000] [--seed 7] [--json]

What is timed, on the Colibri example workspace:

* **typing path**: ``check_for_writer`` with the workspace's governance data already loaded (the web
  editor keeps it per workspace): the charter's findings on the text, then the verdict for the writer's
  mandate with the approvers named. Per draft, p50/p95/p99/max, split into short (< 280 characters) and
  long (800 to 3000 characters) drafts; writers rotate over junior, senior, expert and spokesperson.
* **batch**: the same checks back to back, in checks per second (what ``vigie check --file`` does after
  loading the workspace once).
* **cold start**: loading the workspace from a fresh SQLite database and the first check (process
  start-up cost, dictionaries loaded once).

Drafts are generated from realistic French and English reply sentences (amounts in several formats,
deadlines, apologies, negations, personal data, tone), deterministically from ``--seed``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from vigie.governance.checking import GovernanceData, check_for_writer, governance_from_spec
from vigie.governance.service import load_governance
from vigie.storage.db import make_engine, make_session_factory, transaction
from vigie.storage.registry import metadata
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.models import Workspace

FR = [
    "Bonjour, merci pour votre message.",
    "Nous sommes désolés pour ce retard de livraison.",
    "Nous vous remboursons 80 € d'ici vendredi.",
    "Un avoir de 15 euros vous a été attribué sur votre compte.",
    "Nous ne pouvons pas rembourser les frais de port dans ce cas.",
    "Si le colis est perdu, nous vous rembourserons intégralement.",
    "Votre commande sera livrée sous 48h.",
    "Nous vous offrons une remise de 10 % sur votre prochaine commande.",
    "Pouvez-vous nous écrire en message privé avec votre numéro de commande ?",
    "Notre service client est joignable au 0 800 00 00 00.",
    "Je comprends votre frustration, c'est normal.",
    "Nous transmettons votre remarque à l'équipe produit.",
    "Le livreur est passé mais vous étiez absent, un nouveau passage est prévu demain.",
    "C'est entièrement notre faute, nous aurions dû vérifier.",
    "Franchement, relisez nos conditions avant de vous plaindre.",
    "Écrivez-nous à jean.dupont@gmail.com pour le suivi.",
    "Nos poêles sont garanties sans PFAS et 100 % sûres.",
    "Merci de votre patience, nous revenons vers vous rapidement.",
]
EN = [
    "Hi, thanks for reaching out.",
    "We're sorry about the delay with your delivery.",
    "We will refund you $25 by Monday.",
    "A €15 voucher has been added to your account.",
    "We can't offer a refund on shipping costs in this case.",
    "If the parcel is lost we will refund you in full.",
    "Your order will arrive within 3 days.",
    "Here is a 10% discount on your next order.",
    "Could you DM us your order number?",
    "I understand how frustrating this is.",
    "We've passed your feedback to the product team.",
    "Honestly, maybe read the terms before complaining.",
    "Thanks for your patience, we'll get back to you soon.",
]
WRITERS = ["camille", "sarah", "ines", "marc", "lucas", "hugo"]
CHANNELS = ["x", "mastodon", "facebook", "forum", "email"]


def make_drafts(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    drafts: list[dict[str, Any]] = []
    for index in range(count):
        lang = "fr" if rng.random() < 0.65 else "en"
        pool = FR if lang == "fr" else EN
        long = rng.random() < 0.3
        sentences: list[str] = []
        target = rng.randint(800, 3000) if long else rng.randint(40, 270)
        while sum(len(s) + 1 for s in sentences) < target:
            sentences.append(rng.choice(pool))
        text = " ".join(sentences)
        if not long:
            text = text[:279]
        drafts.append(
            {
                "id": index,
                "text": text,
                "lang": lang,
                "long": long,
                "writer": WRITERS[index % len(WRITERS)],
                "channel": rng.choice(CHANNELS),
                "in_reply_to_lang": lang if rng.random() < 0.9 else ("en" if lang == "fr" else "fr"),
            }
        )
    return drafts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "n": len(values_ms),
        "p50_ms": round(percentile(values_ms, 0.50), 3),
        "p95_ms": round(percentile(values_ms, 0.95), 3),
        "p99_ms": round(percentile(values_ms, 0.99), 3),
        "max_ms": round(max(values_ms), 3),
        "mean_ms": round(statistics.fmean(values_ms), 3),
    }


def check_one(data: GovernanceData, draft: dict[str, Any], today: date) -> str:
    outcome = check_for_writer(
        draft["text"],
        data=data,
        writer=draft["writer"],
        today=today,
        lang=draft["lang"],
        channel=draft["channel"],
        in_reply_to_lang=draft["in_reply_to_lang"],
    )
    return outcome.result.verdict.value


def cold_start(today: date) -> dict[str, float]:
    """A fresh SQLite database with the example applied: load the governance data, check once."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        metadata.create_all(engine)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            apply_workspace(session, load_workspace_dir(example_workspace_dir()), "bench")
        started = time.perf_counter()
        with factory() as session:
            workspace = session.query(Workspace).filter_by(slug="colibri").one()
            data = load_governance(session, workspace, today=today)
        loaded = time.perf_counter()
        check_one(data, make_drafts(1, 1)[0], today)
        checked = time.perf_counter()
        engine.dispose()
    return {
        "load_governance_ms": round((loaded - started) * 1000, 2),
        "first_check_ms": round((checked - loaded) * 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--drafts", type=int, default=2000, help="number of drafts (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.drafts < 10:
        parser.error("--drafts must be at least 10")
    today = date(2026, 11, 18)
    cold = cold_start(today)  # first: includes loading dictionaries and compiling the checker
    data = governance_from_spec(load_workspace_dir(example_workspace_dir()), today=today)
    drafts = make_drafts(args.drafts, args.seed)
    for draft in drafts[:20]:  # warm-up
        check_one(data, draft, today)

    short_ms: list[float] = []
    long_ms: list[float] = []
    verdicts: dict[str, int] = {}
    for draft in drafts:
        started = time.perf_counter()
        verdict = check_one(data, draft, today)
        elapsed = (time.perf_counter() - started) * 1000
        (long_ms if draft["long"] else short_ms).append(elapsed)
        verdicts[verdict] = verdicts.get(verdict, 0) + 1

    started = time.perf_counter()
    for draft in drafts:
        check_one(data, draft, today)
    batch_seconds = time.perf_counter() - started

    result = {
        "drafts": len(drafts),
        "chars": {
            "short_mean": round(statistics.fmean(len(d["text"]) for d in drafts if not d["long"]), 1),
            "long_mean": round(statistics.fmean(len(d["text"]) for d in drafts if d["long"]), 1),
        },
        "typing_path": {
            "all": summary(short_ms + long_ms),
            "short": summary(short_ms),
            "long": summary(long_ms),
        },
        "batch_checks_per_second": round(len(drafts) / batch_seconds, 1),
        "cold_start": cold,
        "verdicts": verdicts,
        "python": sys.version.split()[0],
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"{len(drafts)} drafts (short mean {result['chars']['short_mean']} chars, long mean {result['chars']['long_mean']})"
    )
    for name, stats in result["typing_path"].items():
        print(
            f"  {name:<6} n={stats['n']:>5}  p50 {stats['p50_ms']:.2f} ms  p95 {stats['p95_ms']:.2f} ms  "
            f"p99 {stats['p99_ms']:.2f} ms  max {stats['max_ms']:.2f} ms"
        )
    print(f"  batch: {result['batch_checks_per_second']} checks/s (one core)")
    print(
        f"  cold start: load governance {cold['load_governance_ms']} ms, first check {cold['first_check_ms']} ms"
    )
    print(f"  verdicts: {verdicts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
