"""Compile the classifiers' loops once, right after installing, so the first analysis does not wait.

    python -m vigie.analysis.classifiers.warm

numba compiles them on first use and keeps the machine code on disk; run from the Makefile's install
steps, this moves that one-time cost (about 10 s) from the first ``vigie demo`` or test to the install.
"""

from __future__ import annotations

import sys
import time

from vigie.analysis.classifiers.builtin import load_builtin
from vigie.analysis.classifiers.features import FeatureConfig
from vigie.analysis.classifiers.training import train_classifier

_SAMPLES = ["Merci pour votre aide, tout est réglé !", "Espèce d'incapable, rendez-moi mon argent"]


def warm() -> float:
    """Run every compiled loop once (prediction with the shipped model, training features); seconds spent."""
    start = time.perf_counter()
    model = load_builtin("toxicity")
    if model is not None:
        model.probabilities(_SAMPLES)
    trained = train_classifier(
        "toxicity",
        _SAMPLES * 4,
        ["non_toxic", "toxic"] * 4,
        c=1.0,
        threshold=0.5,
        config=FeatureConfig(min_df=1),
    )
    trained.probabilities(_SAMPLES)
    return time.perf_counter() - start


def main() -> int:
    sys.stderr.write(f"compiled the classifiers' loops in {warm():.1f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
