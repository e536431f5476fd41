"""Checks across the files of a workspace: every reference points to something that exists.

Pure: takes a ``WorkspaceSpec`` and returns problems with the file and the path of the field; the
loader turns paths into line numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vigie.workspace.schemas import (
    ALL,
    CharterFile,
    EscalationFile,
    EscalationStep,
    MandatesFile,
    PlaybookFile,
    TeamFile,
    WorkspaceFile,
    WorkspaceSpec,
)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class CrossProblem:
    file: str
    loc: Loc
    message: str
    # Set for a problem in a playbook file, whose name the loader knows.
    playbook: str | None = None


def _listing(values: Iterable[str]) -> str:
    items = sorted(values)
    return ", ".join(items) if items else "(none defined)"


class _Unknown(frozenset[str]):
    """Stands for the keys of a file that failed its own validation: every reference into it passes,
    so that only real problems are reported while the other files are still checked."""

    def __contains__(self, item: object) -> bool:
        return True

    def __or__(self, other: object) -> _Unknown:
        return self

    def __sub__(self, other: object) -> _Unknown:
        return self


def _union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a if isinstance(a, _Unknown) else b if isinstance(b, _Unknown) else a | b


class _Checker:
    def __init__(
        self,
        workspace: WorkspaceFile | None,
        team: TeamFile | None,
        mandates: MandatesFile | None,
        charter: CharterFile | None,
        escalation: EscalationFile | None,
        playbooks: list[PlaybookFile],
    ) -> None:
        self.ws, self.team_file, self.mandates_file = workspace, team, mandates
        self.charter_file, self.escalation_file, self.playbook_files = charter, escalation, playbooks
        self.problems: list[CrossProblem] = []
        unknown = _Unknown()
        self.languages: frozenset[str] = frozenset(workspace.languages) if workspace else unknown
        self.default_language = workspace.default_language if workspace else None
        self.topics: frozenset[str] = frozenset(t.key for t in workspace.topics) if workspace else unknown
        self.channels: frozenset[str] = (
            frozenset(c.name for c in workspace.channels) if workspace else unknown
        )
        self.roles: frozenset[str] = frozenset(mandates.roles) if mandates else unknown
        self.members: frozenset[str] = frozenset(m.key for m in team.members) if team else unknown

    def add(self, file: str, loc: Loc, message: str, playbook: str | None = None) -> None:
        self.problems.append(CrossProblem(file, loc, message, playbook))

    def duplicates(self, file: str, loc: Loc, keys: Sequence[str], what: str, field: str) -> None:
        seen: set[str] = set()
        for index, key in enumerate(keys):
            if key in seen:
                where: Loc = (*loc, index, field) if field else (*loc, index)
                self.add(file, where, f"duplicate {what} {key!r}; each {what} must be unique")
            seen.add(key)

    def refs(
        self,
        file: str,
        loc: Loc,
        values: Sequence[str],
        known: frozenset[str],
        what: str,
        where: str,
        *,
        allow_all: bool = False,
        playbook: str | None = None,
    ) -> None:
        for index, value in enumerate(values):
            if allow_all and value == ALL:
                if len(values) > 1:
                    self.add(file, (*loc, index), f"'*' means every {what}: use it alone", playbook)
                continue
            if value not in known:
                hint = " or '*'" if allow_all else ""
                self.add(
                    file,
                    (*loc, index),
                    f"unknown {what} {value!r}: expected one of {_listing(known)}{hint} ({where})",
                    playbook,
                )

    def localized(
        self, file: str, loc: Loc, text: dict[str, str], *, every: bool, playbook: str | None = None
    ) -> None:
        for lang in text:
            if lang not in self.languages:
                self.add(
                    file,
                    (*loc, lang),
                    f"language {lang!r} is not in workspace.yaml languages ({_listing(self.languages)})",
                    playbook,
                )
        if isinstance(self.languages, _Unknown) or self.default_language is None:
            return
        needed = self.languages if every else {self.default_language}
        missing = sorted(needed - set(text))
        if missing:
            self.add(file, loc, f"missing text for language(s) {', '.join(missing)}", playbook)

    # --- per file ---

    def workspace(self) -> None:
        ws = self.ws
        if ws is None:
            return
        f = "workspace.yaml"
        self.duplicates(f, ("channels",), [c.name for c in ws.channels], "channel name", "name")
        self.duplicates(f, ("topics",), [t.key for t in ws.topics], "topic key", "key")
        self.duplicates(f, ("languages",), list(ws.languages), "language", "")
        for i, channel in enumerate(ws.channels):
            if channel.language is not None and channel.language not in self.languages:
                self.add(f, ("channels", i, "language"), f"language {channel.language!r} is not in languages")
        for i, topic in enumerate(ws.topics):
            self.localized(f, ("topics", i, "name"), topic.name, every=False)
            for lang in topic.keywords:
                if lang not in self.languages:
                    self.add(f, ("topics", i, "keywords", lang), f"language {lang!r} is not in languages")
        for level in ("urgent", "high", "normal", "low"):
            target = getattr(ws.sla, level)
            if target.escalate_to is not None and target.escalate_to not in self.roles:
                self.add(
                    f,
                    ("sla", level, "escalate_to"),
                    f"unknown role {target.escalate_to!r}: expected a role of mandates.yaml "
                    f"({_listing(self.roles)})",
                )

    def team(self) -> None:
        f = "team.yaml"
        if self.team_file is None:
            return
        members = self.team_file.members
        self.duplicates(f, ("members",), [m.key for m in members], "member key", "key")
        for i, member in enumerate(members):
            loc: Loc = ("members", i)
            if not isinstance(self.roles, _Unknown) and member.key in self.roles:
                self.add(
                    f,
                    (*loc, "key"),
                    f"member key {member.key!r} is also a role key; approvers name either, so pick another key",
                )
            self.refs(f, (*loc, "roles"), member.roles, self.roles, "role", "defined in mandates.yaml")
            self.refs(f, (*loc, "languages"), member.languages, self.languages, "language", "workspace.yaml")
            self.refs(
                f, (*loc, "topics"), member.topics, self.topics, "topic", "workspace.yaml", allow_all=True
            )
            for topic in member.expertise:
                if topic not in self.topics:
                    self.add(
                        f,
                        (*loc, "expertise", topic),
                        f"unknown topic {topic!r}: expected one of {_listing(self.topics)} (workspace.yaml)",
                    )

    def mandates(self) -> None:
        f = "mandates.yaml"
        if self.mandates_file is None:
            return
        channels = self.channels
        for key, role in self.mandates_file.roles.items():
            loc: Loc = ("roles", key)
            self.localized(f, (*loc, "name"), role.name, every=False)
            self.refs(f, (*loc, "inherits"), role.inherits, self.roles - {key}, "role", "another role here")
            self.refs(
                f, (*loc, "topics"), role.topics, self.topics, "topic", "workspace.yaml", allow_all=True
            )
            self.refs(
                f, (*loc, "channels"), role.channels, channels, "channel", "workspace.yaml", allow_all=True
            )
            self.refs(
                f,
                (*loc, "languages"),
                role.languages,
                self.languages,
                "language",
                "workspace.yaml",
                allow_all=True,
            )
            for kind, approvers in role.approvers.items():
                self.refs(
                    f,
                    (*loc, "approvers", kind.value),
                    approvers,
                    _union(self.roles, self.members),
                    "approver",
                    "a role key of mandates.yaml or a member key of team.yaml",
                )
        self._inheritance_cycles(f)

    def _inheritance_cycles(self, f: str) -> None:
        assert self.mandates_file is not None
        roles = self.mandates_file.roles
        reported: set[str] = set()
        for start in roles:
            path: list[str] = []
            stack = [(start, iter(roles[start].inherits))]
            on_path = {start}
            path.append(start)
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    on_path.discard(path.pop())
                    continue
                if child not in roles:
                    continue
                if child in on_path:
                    cycle = [*path[path.index(child) :], child]
                    if start == child and start not in reported:
                        reported.update(cycle)
                        self.add(
                            f,
                            ("roles", start, "inherits"),
                            "roles inherit in a cycle: " + " -> ".join(cycle) + "; remove one link",
                        )
                    continue
                on_path.add(child)
                path.append(child)
                stack.append((child, iter(roles[child].inherits)))

    def charter(self) -> None:
        f = "charter.yaml"
        charter = self.charter_file
        if charter is None:
            return
        self.duplicates(
            f, ("rules",), [r.rule_key for r in charter.rules], "rule key (category or key)", "category"
        )
        for group in ("forbidden", "preferred"):
            for i, term in enumerate(getattr(charter.brand_terms, group)):
                if term.lang is not None and term.lang not in self.languages:
                    self.add(
                        f,
                        ("brand_terms", group, i, "lang"),
                        f"language {term.lang!r} is not in workspace.yaml languages ({_listing(self.languages)})",
                    )

    def escalation(self) -> None:
        f = "escalation.yaml"
        esc = self.escalation_file
        if esc is None:
            return
        webhooks = frozenset(w.name for w in esc.webhooks)
        self.duplicates(f, ("webhooks",), [w.name for w in esc.webhooks], "webhook name", "name")
        self.duplicates(f, ("policies",), [p.key for p in esc.policies], "policy key", "key")
        covered: dict[str, str] = {}
        for i, policy in enumerate(esc.policies):
            loc: Loc = ("policies", i)
            if policy.name is not None:
                self.localized(f, (*loc, "name"), policy.name, every=False)
            self.refs(
                f, (*loc, "topics"), policy.topics, self.topics, "topic", "workspace.yaml", allow_all=True
            )
            for topic in policy.topics:
                if topic in covered:
                    self.add(
                        f,
                        (*loc, "topics"),
                        f"topic {topic!r} is already covered by policy {covered[topic]!r}; "
                        "give each topic one policy",
                    )
                covered[topic] = policy.key
            for level in ("watch", "alert", "crisis"):
                self._steps(f, (*loc, "levels", level), getattr(policy.levels, level), webhooks)

    def _steps(self, f: str, loc: Loc, steps: list[EscalationStep], webhooks: frozenset[str]) -> None:
        keys = [s.step for s in steps]
        self.duplicates(f, loc, keys, "step", "step")
        known = set(keys)
        for i, step in enumerate(steps):
            for j, target in enumerate(step.notify):
                kind, _, key = target.partition(":")
                pool = self.roles if kind == "role" else self.members
                if key not in pool:
                    where = "mandates.yaml" if kind == "role" else "team.yaml"
                    self.add(
                        f,
                        (*loc, i, "notify", j),
                        f"unknown {kind} {key!r}: expected one of {_listing(pool)} ({where})",
                    )
            self.refs(f, (*loc, i, "webhooks"), step.webhooks, webhooks, "webhook", "webhooks of this file")
            if step.webhooks and "webhook" not in step.via:
                self.add(f, (*loc, i, "webhooks"), "webhooks are listed but via does not include webhook")
            if "webhook" in step.via and not webhooks:
                self.add(f, (*loc, i, "via"), "via webhook needs at least one entry in webhooks: (top level)")
            if step.next is not None:
                if step.next not in known:
                    self.add(
                        f,
                        (*loc, i, "next"),
                        f"unknown step {step.next!r}: expected a step of the same level ({_listing(known)})",
                    )
                elif step.ack_within_minutes is None:
                    self.add(
                        f,
                        (*loc, i, "ack_within_minutes"),
                        "a step with next needs ack_within_minutes (when to move on)",
                    )
        following = {s.step: s.next for s in steps}
        for i, step in enumerate(steps):
            seen = {step.step}
            current = following.get(step.step)
            while current is not None and current in following:
                if current == step.step:
                    self.add(f, (*loc, i, "next"), f"steps loop back to {step.step!r}; the ladder must end")
                    break
                if current in seen:
                    break
                seen.add(current)
                current = following[current]

    def playbooks(self) -> None:
        for playbook in self.playbook_files:
            key = playbook.key
            self.localized("", ("name",), playbook.name, every=False, playbook=key)
            for i, step in enumerate(playbook.steps):
                self.localized("", ("steps", i), step, every=True, playbook=key)
            self.localized("", ("templates",), playbook.templates, every=True, playbook=key)
            self.refs("", ("involve",), playbook.involve, self.roles, "role", "mandates.yaml", playbook=key)
            self.refs(
                "",
                ("triggers", "topics"),
                playbook.triggers.topics,
                self.topics,
                "topic",
                "workspace.yaml",
                allow_all=True,
                playbook=key,
            )


def cross_check(spec: WorkspaceSpec) -> list[CrossProblem]:
    """Every reference between files, duplicate keys, inheritance cycles, escalation ladders."""
    return cross_check_parts(
        spec.workspace, spec.team, spec.mandates, spec.charter, spec.escalation, spec.playbooks
    )


def cross_check_parts(
    workspace: WorkspaceFile | None,
    team: TeamFile | None,
    mandates: MandatesFile | None,
    charter: CharterFile | None,
    escalation: EscalationFile | None,
    playbooks: list[PlaybookFile],
) -> list[CrossProblem]:
    """Like ``cross_check`` when some files failed their own validation (None): references into a
    failed file are not judged, everything else is."""
    checker = _Checker(workspace, team, mandates, charter, escalation, playbooks)
    checker.workspace()
    checker.team()
    checker.mandates()
    checker.charter()
    checker.escalation()
    checker.playbooks()
    return checker.problems
