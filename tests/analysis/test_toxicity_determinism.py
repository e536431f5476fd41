"""Stored analyses must not depend on the process: the toxicity terms come out in the same order."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json, sys
from vigie.analysis.pipeline import Pipeline, TextItem
texts = json.loads(sys.argv[1])
results = Pipeline.build().analyse_texts([TextItem(t) for t in texts])
print(json.dumps([r.toxicity.terms for r in results]))
"""

TEXTS = [
    "You stupid idiot, what a pathetic moron, wtf, I'm pissed off",
    "Bande de connards, espèce d'abruti, ferme ta gueule sale con",
]


def _terms(hash_seed: str) -> list[list[str]]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(TEXTS)], env=env, capture_output=True, text=True, check=True
    )
    terms: list[list[str]] = json.loads(out.stdout)
    return terms


def test_toxicity_terms_do_not_depend_on_the_hash_seed() -> None:
    first = _terms("1")
    assert all(len(t) >= 3 for t in first), first
    for seed in ("2", "3", "4"):
        assert _terms(seed) == first
