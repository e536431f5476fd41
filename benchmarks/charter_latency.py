"""Latency of the charter check per draft (it runs as a person types) and throughput in batch.

    .venv/bin/python benchmarks/charter_latency.py [--rounds 5]

Drafts: the labelled replies (short, 20-450 characters) plus long drafts made of 8-15 of them
joined (about 600-1,500 characters), half French half English, with the Colibri workspace.
Prints p50/p95/max per draft for short, long and the mix, the first-call cost (loading the
spelling dictionaries and compiling), and checks per second in batch on one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from charter_quality import colibri_config, load_records  # noqa: E402

from vigie.governance.charter import CheckContext, check_text, get_checker  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    records = load_records()
    config = colibri_config()
    rng = random.Random(7)
    short = [(r["text"], r["lang"]) for r in records]
    long: list[tuple[str, str]] = []
    for lang in ("fr", "en"):
        pool = [r["text"] for r in records if r["lang"] == lang]
        for _ in range(60):
            long.append((" ".join(rng.sample(pool, rng.randint(8, 15))), lang))
    context = CheckContext(channel="mastodon", max_length=500, in_reply_to_lang="fr", public=True)

    t0 = time.perf_counter()
    get_checker(config)
    check_text("Bonjour", lang="fr", config=config, context=context)
    first = (time.perf_counter() - t0) * 1000

    def run(drafts: list[tuple[str, str]]) -> list[float]:
        out: list[float] = []
        for _ in range(args.rounds):
            for text, lang in drafts:
                start = time.perf_counter()
                check_text(text, lang=lang, config=config, context=context)
                out.append((time.perf_counter() - start) * 1000)
        return out

    print(f"first call (dictionaries + compile): {first:.0f} ms")
    mix = short + long
    for name, drafts in (("short", short), ("long", long), ("mix", mix)):
        lat = run(drafts)
        chars = statistics.mean(len(t) for t, _ in drafts)
        print(
            f"{name:5} drafts={len(drafts):4} mean_chars={chars:6.0f}  p50={_pct(lat, 0.5):6.2f} ms  "
            f"p95={_pct(lat, 0.95):6.2f} ms  max={max(lat):6.2f} ms"
        )
    start = time.perf_counter()
    n = 0
    for _ in range(args.rounds):
        for text, lang in mix:
            check_text(text, lang=lang, config=config, context=context)
            n += 1
    elapsed = time.perf_counter() - start
    print(f"batch: {n} checks in {elapsed:.2f} s = {n / elapsed:.0f} checks/s (one core, mix)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
