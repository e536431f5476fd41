"""Recall and precision of the charter check per category, on the labelled replies.

    .venv/bin/python benchmarks/charter_quality.py                 # dev and holdout halves, and both
    .venv/bin/python benchmarks/charter_quality.py --split dev --errors
    .venv/bin/python benchmarks/charter_quality.py --build         # rebuild the .jsonl from the .src

A finding matches an expected one when the category is equal and the spans overlap. Precision
counts every finding the check reports (a finding that overlaps no expected span of its category
is a false positive); recall counts expected spans found. The workspace is the Colibri example.

Labelling policy (see tests/governance/data/replies_labelled.src):
- apology: "nous vous présentons nos excuses", "désolés pour ce retard", "we're sorry for ...",
  "our apologies"; not empathy ("désolés d'apprendre", "sorry to hear", "sorry you feel that way");
- refund / compensation / discount: stated or offered by us, conditional ones included,
  negated ones excluded; customers' requests ("votre demande de remboursement") are not commitments;
- deadline: a date or delay we promise, not a past date or a date we refuse to promise;
- personal data: the customer's data, also in private replies (the severity differs there);
  the organisation's contacts (and e-mails on its domain) are not personal data.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from vigie.governance.charter import CharterConfig, CheckContext, check_text

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "governance" / "data"
SOURCE = DATA / "replies_labelled.src"
LABELLED = DATA / "replies_labelled.jsonl"
TODAY = date(2026, 11, 20)
CHANNEL_LIMITS = {"x": 280, "mastodon": 500}
CODES = {
    "apo": "commitment.apology",
    "ref": "commitment.refund",
    "comp": "commitment.compensation",
    "disc": "commitment.discount",
    "dl": "commitment.deadline",
    "liab": "legal.liability",
    "hs": "legal.health_safety",
    "abs": "legal.absolute_claim",
    "compet": "legal.competitor",
    "email": "personal_data.email",
    "phone": "personal_data.phone",
    "pay": "personal_data.payment",
    "addr": "personal_data.address",
    "ins": "tone.insult",
    "aggr": "tone.aggressive",
    "sp": "spelling",
    "brand": "brand.term",
}
_MARK = re.compile(r"\[\[([\w+]+)\|(.*?)\]\]")


def parse_source(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    counters: dict[str, int] = defaultdict(int)
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        head, _, marked = line.partition(" | ")
        fields = head.split()
        split, lang, opts = fields[0], fields[1], fields[2:]
        text_parts: list[str] = []
        expected: list[dict[str, Any]] = []
        pos = 0
        length = 0
        for m in _MARK.finditer(marked):
            before = marked[pos : m.start()]
            text_parts.append(before)
            length += len(before)
            code, evidence = m.group(1), m.group(2)
            for one in code.split("+"):
                if one not in CODES:
                    raise SystemExit(f"{path}:{lineno}: unknown code {one!r}")
                expected.append({"category": CODES[one], "start": length, "end": length + len(evidence)})
            text_parts.append(evidence)
            length += len(evidence)
            pos = m.end()
        text_parts.append(marked[pos:])
        text = "".join(text_parts)
        record: dict[str, Any] = {
            "id": "",
            "split": split,
            "lang": lang,
            "in_reply_to_lang": lang,
            "channel": "facebook",
            "public": True,
            "text": text,
        }
        for opt in opts:
            if opt.startswith("re="):
                record["in_reply_to_lang"] = opt[3:]
            elif opt.startswith("ch="):
                record["channel"] = opt[3:]
            elif opt == "priv":
                record["public"] = False
                record["channel"] = "email"
            elif opt == "mm":
                expected.append({"category": "language.mismatch", "start": 0, "end": len(text)})
            else:
                raise SystemExit(f"{path}:{lineno}: unknown option {opt!r}")
        limit = CHANNEL_LIMITS.get(record["channel"])
        if limit is not None and len(text) > limit:
            expected.append({"category": "channel.length", "start": limit, "end": len(text)})
        counters[split] += 1
        record["id"] = f"{split}-{lang}-{counters[split]:03d}"
        record["expected"] = sorted(expected, key=lambda e: (e["start"], e["category"]))
        records.append(record)
    return records


def load_records() -> list[dict[str, Any]]:
    with LABELLED.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def colibri_config() -> CharterConfig:
    from vigie.workspace.loader import example_workspace_dir, load_workspace_dir

    spec = load_workspace_dir(example_workspace_dir())
    return CharterConfig.from_workspace_spec(spec.workspace, spec.charter)


def evaluate(
    records: list[dict[str, Any]], config: CharterConfig, *, show_errors: bool
) -> dict[str, list[int]]:
    """Per category: [true positives (findings), false positives, expected found, expected missed]."""
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for rec in records:
        context = CheckContext(
            channel=rec["channel"],
            max_length=CHANNEL_LIMITS.get(rec["channel"]),
            in_reply_to_lang=rec["in_reply_to_lang"],
            public=rec["public"],
            today=TODAY,
        )
        findings = check_text(rec["text"], lang=rec["lang"], config=config, context=context)
        expected = rec["expected"]
        text = rec["text"]
        for f in findings:
            ok = any(
                e["category"] == f.category.value and f.start < e["end"] and e["start"] < f.end
                for e in expected
            )
            stats[f.category.value][0 if ok else 1] += 1
            if not ok and show_errors:
                print(f"FP {rec['id']} {f.category.value}: {text[f.start : f.end]!r}  <- {text}")
        for e in expected:
            ok = any(
                e["category"] == f.category.value and f.start < e["end"] and e["start"] < f.end
                for f in findings
            )
            stats[e["category"]][2 if ok else 3] += 1
            if not ok and show_errors:
                print(f"FN {rec['id']} {e['category']}: {text[e['start'] : e['end']]!r}  <- {text}")
    return stats


def report(title: str, stats: dict[str, list[int]]) -> None:
    print(f"\n{title}")
    print(
        f"{'category':28} {'expected':>8} {'found':>6} {'reported':>8} {'FP':>4} {'recall':>7} {'precision':>9}"
    )
    totals = [0, 0, 0, 0]
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for cat in sorted(stats):
        tp, fp, found, missed = stats[cat]
        for i, v in enumerate(stats[cat]):
            totals[i] += v
            groups[cat.split(".")[0]][i] += v
        print(_row(cat, tp, fp, found, missed))
    for name in ("commitment", "personal_data"):
        print(_row(f"[{name}.*]", *groups[name]))
    print(_row("[all]", *totals))


def _row(name: str, tp: int, fp: int, found: int, missed: int) -> str:
    recall = f"{found / (found + missed):.2f}" if found + missed else "-"
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    return f"{name:28} {found + missed:>8} {found:>6} {tp + fp:>8} {fp:>4} {recall:>7} {precision:>9}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", action="store_true", help="rebuild the .jsonl from the .src and exit")
    parser.add_argument(
        "--split", choices=["dev", "holdout", "fresh", "fresh2", "all"], help="evaluate one split only"
    )
    parser.add_argument("--errors", action="store_true", help="print every false positive and miss")
    args = parser.parse_args()
    if args.build:
        records = parse_source(SOURCE)
        with LABELLED.open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"wrote {len(records)} replies to {LABELLED.relative_to(ROOT)}")
        return 0
    records = load_records()
    config = colibri_config()
    splits = [args.split] if args.split else ["dev", "holdout", "fresh", "fresh2", "all"]
    for split in splits:
        subset = records if split == "all" else [r for r in records if r["split"] == split]
        n_fr = sum(1 for r in subset if r["lang"] == "fr")
        stats = evaluate(subset, config, show_errors=args.errors)
        report(f"== {split}: {len(subset)} replies ({n_fr} fr, {len(subset) - n_fr} en)", stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
