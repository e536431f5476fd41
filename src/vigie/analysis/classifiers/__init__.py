"""Trainable text classifiers (sentiment, toxicity, complaint) and their evaluation.

Public interface used by the analysis pipeline::

    from vigie.analysis.classifiers import TextClassifier, load_builtin, load_model, train_classifier

    model = load_builtin("toxicity")           # None when no built-in exists for that task
    model.predict_proba(["t'es nul"])          # [{"toxic": 0.9, "non_toxic": 0.1}]
"""

from __future__ import annotations

from vigie.analysis.classifiers.builtin import builtin_path, load_builtin
from vigie.analysis.classifiers.data import LabelledRow, read_labelled
from vigie.analysis.classifiers.features import FeatureConfig
from vigie.analysis.classifiers.metrics import EvalReport, evaluate
from vigie.analysis.classifiers.model import TextClassifier, load_model
from vigie.analysis.classifiers.tasks import TASKS, check_label, task_labels
from vigie.analysis.classifiers.training import train_classifier

__all__ = [
    "TASKS",
    "EvalReport",
    "FeatureConfig",
    "LabelledRow",
    "TextClassifier",
    "builtin_path",
    "check_label",
    "evaluate",
    "load_builtin",
    "load_model",
    "read_labelled",
    "task_labels",
    "train_classifier",
]
