"""The plugin manager (pluggy) and the registry of analysers it collects.

Nothing is built at import time: ``make_plugin_manager()`` registers the built-ins and, unless told not
to, loads third-party plugins from the ``vigie.plugins`` entry point group; ``default_registry()`` keeps
one registry per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import pluggy

from vigie.analysis.analysers import Analyser
from vigie.analysis.schemas import Task
from vigie.core.errors import ValidationFailedError
from vigie.plugins import hookspecs
from vigie.plugins.builtin import analysers as builtin_analysers

# When a workspace selects nothing for a task, the first of these that is registered is used.
DEFAULT_PREFERENCE: dict[Task, tuple[str, ...]] = {
    Task.LANGUAGE: ("vigie-langid",),
    Task.SENTIMENT: ("vigie-model", "vigie-lexicon"),
    Task.TOXICITY: ("vigie-model", "vigie-lexicon"),
    Task.INTENTS: ("vigie-rules-model", "vigie-rules"),
    Task.TOPICS: ("vigie-keywords",),
    Task.PII: ("vigie-patterns",),
}


class PluginError(ValidationFailedError):
    code = "plugin_error"


def make_plugin_manager(
    *, load_entry_points: bool = True, extra_plugins: Sequence[object] = ()
) -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    manager.register(builtin_analysers, name="vigie.builtin.analysers")
    if load_entry_points:
        try:
            manager.load_setuptools_entrypoints(hookspecs.ENTRY_POINT_GROUP)
        except Exception as error:  # noqa: BLE001 - any failure of a third-party plugin
            raise PluginError(
                f"A plugin of the '{hookspecs.ENTRY_POINT_GROUP}' entry point group failed to load: {error}. "
                "Fix or uninstall that package."
            ) from error
    for plugin in extra_plugins:
        manager.register(plugin)
    return manager


class AnalyserRegistry:
    """Analysers by task and name; resolves a workspace's ``analysers`` selection."""

    def __init__(self, analysers: Iterable[Analyser[Any]]) -> None:
        self._by_task: dict[Task, dict[str, Analyser[Any]]] = {task: {} for task in Task}
        for analyser in analysers:
            if not isinstance(analyser, Analyser):
                raise PluginError(
                    f"A plugin returned {analyser!r} from vigie_analysers; expected an instance of "
                    "vigie.analysis.analysers.Analyser."
                )
            task = Task(analyser.task)
            if not analyser.name:
                raise PluginError(f"Analyser {type(analyser).__name__} for task '{task}' has no name.")
            if analyser.name in self._by_task[task]:
                raise PluginError(
                    f"Two analysers are named '{analyser.name}' for task '{task}'; rename one of the plugins."
                )
            self._by_task[task][analyser.name] = analyser

    @classmethod
    def from_plugin_manager(cls, manager: pluggy.PluginManager) -> AnalyserRegistry:
        analysers: list[Analyser[Any]] = []
        for batch in manager.hook.vigie_analysers():
            analysers.extend(batch or [])
        return cls(analysers)

    def names(self, task: Task | str) -> list[str]:
        return sorted(self._by_task[Task(task)])

    def get(self, task: Task | str, name: str) -> Analyser[Any]:
        task = self._task(task)
        try:
            return self._by_task[task][name]
        except KeyError:
            known = ", ".join(self.names(task)) or "none"
            raise PluginError(
                f"No analyser named '{name}' for task '{task}'. Available for {task}: {known}. "
                "Install the plugin that provides it or change `analysers:` in workspace.yaml."
            ) from None

    def default(self, task: Task | str) -> Analyser[Any]:
        task = self._task(task)
        for name in DEFAULT_PREFERENCE[task]:
            analyser = self._by_task[task].get(name)
            if analyser is not None:
                return analyser
        if self._by_task[task]:
            return self._by_task[task][self.names(task)[0]]
        raise PluginError(f"No analyser is registered for task '{task}'.")

    def select(self, selection: Mapping[str, str] | None = None) -> dict[Task, Analyser[Any]]:
        """One analyser per task: the selected name where given, else the default."""
        chosen = dict(selection or {})
        for key in chosen:
            self._task(key)
        return {
            task: self.get(task, chosen[task.value]) if task.value in chosen else self.default(task)
            for task in Task
        }

    @staticmethod
    def _task(task: Task | str) -> Task:
        try:
            return Task(task)
        except ValueError:
            known = ", ".join(t.value for t in Task)
            raise PluginError(
                f"Unknown analysis task '{task}' in `analysers:`; known tasks: {known}."
            ) from None


@cache
def default_registry() -> AnalyserRegistry:
    """The registry of built-in and installed plugins, built once per process on first use."""
    return AnalyserRegistry.from_plugin_manager(make_plugin_manager())
