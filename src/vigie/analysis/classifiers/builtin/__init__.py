"""Built-in models shipped inside the package (see docs/models.md for what each was trained on)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from vigie.analysis.classifiers.tasks import task_labels

if TYPE_CHECKING:
    from vigie.analysis.classifiers.model import TextClassifier

BUILTIN_DIR = Path(__file__).resolve().parent


def builtin_path(task: str) -> Path:
    """Where the built-in model of ``task`` lives (it may not exist)."""
    task_labels(task)
    return BUILTIN_DIR / f"{task}.npz"


@lru_cache(maxsize=8)
def load_builtin(task: str) -> TextClassifier | None:
    """The built-in model of ``task``, loaded once per process, or ``None`` when none is shipped."""
    from vigie.analysis.classifiers.model import load_model

    path = builtin_path(task)
    if not path.is_file():
        return None
    return load_model(path)
