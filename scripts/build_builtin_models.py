"""Rebuild the built-in models shipped in src/vigie/analysis/classifiers/builtin/ (see docs/models.md).

Only data whose licence allows redistribution of a derived model is used:
- toxicity: mlma-fr (MIT), ftr-fr-racism (MIT), toxifrench-bench/ToxiFrenchBalanced.csv (MIT, the
  authors' own sample). HateDay-french.csv is NOT used (HateDay's own terms were not checked).
  Only the shared parts are read, and the same 30 % of each that benchmarks/quality.py sets aside is
  left out, so the benchmark's figures for the built-in stay held-out.
No built-in is built for sentiment or complaint: no shared dataset with an allowing licence exists.

Usage: .venv/bin/python scripts/build_builtin_models.py [--datasets ../shared/datasets]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import DEFAULT_DATASETS, _fr_toxic_files, set_aside  # noqa: E402

from vigie.analysis.classifiers import FeatureConfig, train_classifier  # noqa: E402
from vigie.analysis.classifiers.builtin import builtin_path  # noqa: E402

ALLOWED_TOXICITY = ("mlma-fr", "ftr-fr-racism", "toxifrench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    args = parser.parse_args()
    files = _fr_toxic_files(args.datasets)
    texts: list[str] = []
    labels: list[str] = []
    for name in ALLOWED_TOXICITY:
        train, _ = set_aside(files[name], [label for _, label in files[name]])
        texts += [t for t, _ in train]
        labels += [label for _, label in train]
    config = FeatureConfig(max_word_features=30_000, max_char_features=60_000)
    model = train_classifier(
        "toxicity",
        texts,
        labels,
        config=config,
        lexical_weight=0.3,  # the lexicon block: +4 to +5 points on HateDay, a set it never trains on
        name="vigie-builtin-toxicity-fr",
        metadata={"data": "mlma-fr + ftr-fr-racism + ToxiFrenchBalanced (MIT), shared parts minus 30% set aside"},
    )
    path = model.save(builtin_path("toxicity"))
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB), version {model.version}, {len(texts)} rows")  # noqa: T201


if __name__ == "__main__":
    main()
