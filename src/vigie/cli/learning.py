"""`vigie train` and `vigie eval`: train a classifier from labelled data, measure one on held-out data."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import typer

from vigie.analysis.actions import corrections_as_training_rows
from vigie.analysis.classifiers import (
    EvalReport,
    evaluate,
    load_model,
    read_labelled,
    task_labels,
    train_classifier,
)
from vigie.analysis.classifiers.training import DEFAULT_LEXICAL_WEIGHT, WORKERS_ENV
from vigie.analysis.pipeline import Pipeline, TextItem
from vigie.cli.context import CliContext, domain_errors, get_workspace, print_json
from vigie.core.errors import ValidationFailedError

CORRECTION_WEIGHT = 5.0


def _pipeline_predict(task: str, texts: Sequence[str]) -> tuple[list[str], str]:
    """Predictions of the built-in analysis pipeline for ``task`` (what `vigie analyze` gives)."""
    pipeline = Pipeline.build()
    results = pipeline.analyse_texts([TextItem(t) for t in texts])
    if task == "sentiment":
        return [r.sentiment.label for r in results], "analysis pipeline (sentiment)"
    if task == "toxicity":
        return ["toxic" if r.toxicity.toxic else "non_toxic" for r in results], "analysis pipeline (toxicity)"
    return (
        ["complaint" if "complaint" in r.intents.labels else "not_complaint" for r in results],
        "analysis pipeline (intents)",
    )


def _print_report(report: EvalReport, system: str) -> None:
    typer.echo(f"system: {system}")
    typer.echo(f"n: {report.n}")
    typer.echo(f"accuracy: {report.accuracy:.4f}")
    typer.echo(f"macro-F1: {report.macro_f1:.4f}")
    typer.echo(f"macro-recall: {report.macro_recall:.4f}")
    typer.echo("")
    width = max(len(label) for label in report.labels) + 2
    typer.echo(f"{'class':{width}} precision  recall     F1  support")
    for label, s in report.per_class.items():
        typer.echo(f"{label:{width}} {s.precision:9.4f} {s.recall:7.4f} {s.f1:6.4f} {s.support:8d}")
    typer.echo("")
    typer.echo("confusion matrix (rows = true, columns = predicted):")
    typer.echo(" " * width + " ".join(f"{label:>{width}}" for label in report.labels))
    for label, row in zip(report.labels, report.confusion, strict=True):
        typer.echo(f"{label:{width}}" + " ".join(f"{v:>{width}d}" for v in row))


def train_command(
    task: str = typer.Argument(..., help="sentiment, toxicity or complaint."),
    data: Path = typer.Option(..., "--data", help="Labelled CSV (text,label) or JSONL ({text, label})."),
    out: Path = typer.Option(..., "--out", help="Where to write the model (.npz)."),
    workspace: str | None = typer.Option(
        None, "--workspace", "-w", help="Add this workspace's stored analysis corrections (they weigh more)."
    ),
    c: float | None = typer.Option(
        None, "--c", help="Regularisation C; default: chosen by cross-validation."
    ),
    lexical_weight: float = typer.Option(
        DEFAULT_LEXICAL_WEIGHT,
        "--lexical-weight",
        help="Weight of the lexicon features (sentiment and toxicity lexicons, emoji, punctuation); 0: none.",
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        help=f"Processes for the cross-validation fits; default: ${WORKERS_ENV}, else all cores.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Train a classifier for TASK and save it to --out.

    Progress (features, each C's cross-validation score, the final fit) goes to stderr. From 30,000
    rows C is chosen on 3 folds instead of 5.
    """
    started = time.perf_counter()
    with domain_errors():
        task_labels(task)
        rows = read_labelled(data, task)
        typer.echo(f"Read {len(rows)} rows from {data}.", err=True)
        texts = [r.text for r in rows]
        labels = [r.label for r in rows]
        weights = [1.0] * len(rows)
        n_corrections = 0
        if workspace is not None:
            ctx = CliContext()
            with ctx.transaction() as session:
                corrections = corrections_as_training_rows(session, get_workspace(session, workspace), task)
            for row in corrections:
                texts.append(row["text"])
                labels.append(row["label"])
                weights.append(CORRECTION_WEIGHT)
            n_corrections = len(corrections)
        if c is not None and c <= 0:
            raise ValidationFailedError("--c must be a positive number.")
        if lexical_weight < 0:
            raise ValidationFailedError("--lexical-weight must be 0 (no lexicon features) or positive.")
        model = train_classifier(
            task,
            texts,
            labels,
            weights=weights,
            c=c,
            lexical_weight=lexical_weight,
            metadata={"data": str(data), "corrections": n_corrections, "workspace": workspace},
            workers=workers,
            progress=lambda line: typer.echo(line, err=True),
        )
        model.save(out)
    typer.echo(f"Trained in {time.perf_counter() - started:.1f} s.", err=True)
    meta = model.metadata or {}
    summary = {
        "task": task,
        "model": str(out),
        "name": model.name,
        "version": model.version,
        "n_train": len(texts),
        "corrections": n_corrections,
        "label_counts": meta.get("label_counts"),
        "C": meta.get("C"),
        "features": model.n_features,
        "lexical_weight": lexical_weight,
    }
    if as_json:
        print_json(summary)
    else:
        typer.echo(
            f"Trained {task} model {model.version} on {len(texts)} rows ({n_corrections} corrections), "
            f"C={meta.get('C')}, {model.n_features} features -> {out}"
        )


def eval_command(
    task: str = typer.Argument(..., help="sentiment, toxicity or complaint."),
    data: Path = typer.Option(
        ..., "--data", help="Labelled CSV (text,label) or JSONL held out from training."
    ),
    model: Path | None = typer.Option(None, "--model", help="A model from `vigie train`; default: built-in."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Score a model (or the built-in analyser) on labelled data: accuracy, macro-F1/recall, confusion."""
    with domain_errors():
        labels = task_labels(task)
        rows = read_labelled(data, task)
        texts = [r.text for r in rows]
        if model is not None:
            classifier = load_model(model)
            if classifier.task != task:
                raise ValidationFailedError(f"'{model}' is a {classifier.task} model, not a {task} model.")
            predicted = classifier.predict(texts)
            system = f"{classifier.name} {classifier.version} ({model})"
        else:
            predicted, system = _pipeline_predict(task, texts)
        report = evaluate([r.label for r in rows], predicted, labels)
    if as_json:
        print_json({"task": task, "system": system, **report.to_dict()})
    else:
        _print_report(report, system)
