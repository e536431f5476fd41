"""The hooks a Vigie plugin can implement (pluggy, project name ``vigie``).

A plugin is a module or object with functions marked ``@hookimpl``; third-party packages expose it
through the entry point group ``vigie.plugins``::

    [project.entry-points."vigie.plugins"]
    my_sentiment = "my_package.vigie_plugin"

Vigie's own analysers are registered through the same hooks (``vigie.plugins.builtin``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from vigie.analysis.analysers import Analyser

PROJECT = "vigie"
ENTRY_POINT_GROUP = "vigie.plugins"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def vigie_analysers() -> list[Analyser[Any]]:  # type: ignore[empty-body]
    """Return the analysers this plugin provides (instances of ``vigie.analysis.analysers.Analyser``).

    Each has a ``task`` (language, sentiment, toxicity, intents, topics, pii), a ``name`` unique for that
    task, and a ``version``. A workspace selects one per task in ``workspace.yaml``::

        analysers:
          sentiment: my-sentiment
    """
