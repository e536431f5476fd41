"""The shipped model was trained with the lexicons the package ships now (else: rebuild it)."""

from __future__ import annotations

from vigie.analysis.classifiers import load_builtin
from vigie.analysis.classifiers.lexical import lexicon_fingerprint


def test_shipped_toxicity_model_matches_the_current_lexicons() -> None:
    model = load_builtin("toxicity")
    assert model is not None and model.metadata is not None
    assert model.metadata.get("lexicons") == lexicon_fingerprint(), (
        "toxicity.tsv or a sentiment lexicon changed since the shipped model was trained: "
        "run `.venv/bin/python scripts/build_builtin_models.py` and commit the new toxicity.npz"
    )
