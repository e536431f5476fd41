"""Playbook suggestion accuracy on a hand-labelled set of French and English messages.

Each item of ``tests/playbooks/labelled_messages.jsonl`` is a message written for this benchmark,
the author type Vigie would know from the author's history, the crisis grade at the time, and the
playbook a senior community manager would open. The message goes through the shipped analysis
pipeline (language, sentiment, toxicity, intents, topics of the Colibri example workspace), then
the matcher ranks the example playbooks. Reported: top-1 and top-3 accuracy, overall and per
language, and the misses.

    .venv/bin/python benchmarks/playbook_suggestion.py
    .venv/bin/python benchmarks/playbook_suggestion.py --json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from vigie.analysis.pipeline import Pipeline, analyse
from vigie.playbooks.matcher import facts_from_analysis, suggest
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir

DATA = Path(__file__).resolve().parents[1] / "tests" / "playbooks" / "labelled_messages.jsonl"


def evaluate(items: list[dict[str, Any]]) -> dict[str, Any]:
    spec = load_workspace_dir(example_workspace_dir())
    playbooks = [p.model_dump() for p in spec.playbooks]
    topics = [t.model_dump() for t in spec.workspace.topics]
    pipeline = Pipeline.build(topics=topics)
    per_lang: dict[str, list[int]] = {}
    top1 = top3 = 0
    misses: list[dict[str, Any]] = []
    started = time.perf_counter()
    for item in items:
        analysis = analyse(item["text"], pipeline=pipeline).to_dict()
        facts = facts_from_analysis(
            analysis, author_type=item["author_type"], crisis_grade=item["crisis_grade"]
        )
        ranked = [s.key for s in suggest(playbooks, facts, limit=3, topic_count=len(topics))]
        hit1 = bool(ranked) and ranked[0] == item["expected"]
        hit3 = item["expected"] in ranked
        top1 += hit1
        top3 += hit3
        counts = per_lang.setdefault(facts.language, [0, 0, 0])
        counts[0] += 1
        counts[1] += hit1
        counts[2] += hit3
        if not hit1:
            misses.append(
                {
                    "text": item["text"][:70],
                    "expected": item["expected"],
                    "got": ranked,
                    "intents": list(facts.intents),
                    "topics": list(facts.topics),
                    "sentiment": facts.sentiment,
                    "toxicity": round(facts.toxicity, 2),
                }
            )
    elapsed = time.perf_counter() - started
    n = len(items)
    return {
        "items": n,
        "top1": round(top1 / n, 3),
        "top3": round(top3 / n, 3),
        "per_language": {
            lang: {"items": c[0], "top1": round(c[1] / c[0], 3), "top3": round(c[2] / c[0], 3)}
            for lang, c in sorted(per_lang.items())
        },
        "ms_per_message": round(1000 * elapsed / n, 2),
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = evaluate(items)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    print(f"{result['items']} messages: top-1 {result['top1']:.1%}, top-3 {result['top3']:.1%}")
    for lang, r in result["per_language"].items():
        print(f"  {lang}: {r['items']} messages, top-1 {r['top1']:.1%}, top-3 {r['top3']:.1%}")
    print(f"  {result['ms_per_message']} ms per message (analysis + matching)")
    for miss in result["misses"]:
        print(f"  miss: {miss}")


if __name__ == "__main__":
    main()
