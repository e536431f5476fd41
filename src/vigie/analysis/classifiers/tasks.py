"""The classification tasks Vigie trains and evaluates, with their fixed label sets."""

from __future__ import annotations

from vigie.core.errors import ValidationFailedError

TASKS: dict[str, tuple[str, ...]] = {
    "sentiment": ("negative", "neutral", "positive"),
    "toxicity": ("toxic", "non_toxic"),
    "complaint": ("complaint", "not_complaint"),
}


def task_labels(task: str) -> tuple[str, ...]:
    """The labels of ``task``, or a clear error naming the known tasks."""
    try:
        return TASKS[task]
    except KeyError:
        known = ", ".join(sorted(TASKS))
        raise ValidationFailedError(f"Unknown task '{task}'. Known tasks: {known}.", task=task) from None


def check_label(task: str, label: str, *, where: str = "") -> str:
    """Return ``label`` normalised (stripped, lower case) or raise an error saying what is allowed."""
    labels = task_labels(task)
    value = label.strip().lower()
    if value not in labels:
        location = f"{where}: " if where else ""
        raise ValidationFailedError(
            f"{location}label '{label}' is not valid for task '{task}'; use one of: {', '.join(labels)}.",
            task=task,
            label=label,
        )
    return value
