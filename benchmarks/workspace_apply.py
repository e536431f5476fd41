"""Workspace as code: how long load, plan, apply, re-plan and export take, for the example workspace and
for a large one (many members, channels and playbooks derived from the example).

    .venv/bin/python benchmarks/workspace_apply.py [--members 500] [--playbooks 300] [--channels 100]
        [--postgres postgresql+psycopg://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from vigie.storage.db import make_engine, make_session_factory, transaction
from vigie.storage.registry import metadata
from vigie.workspace.actions import apply_workspace
from vigie.workspace.export import render_workspace, write_workspace_dir
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.schemas import WorkspaceSpec
from vigie.workspace.service import plan_workspace, workspace_spec


def scaled(spec: WorkspaceSpec, members: int, playbooks: int, channels: int) -> WorkspaceSpec:
    data: dict[str, Any] = spec.model_dump(mode="json")
    base_members = data["team"]["members"]
    data["team"]["members"] = [
        {**base_members[i % len(base_members)], "key": f"m{i:05d}", "email": f"m{i}@colibri.fr"}
        for i in range(members)
    ]
    base_playbooks = data["playbooks"]
    data["playbooks"] = [
        {**base_playbooks[i % len(base_playbooks)], "key": f"p{i:05d}"} for i in range(playbooks)
    ]
    data["workspace"]["channels"] = [
        {"name": f"c{i:04d}", "kind": "forum", "max_length": None, "language": None} for i in range(channels)
    ]
    for role in data["mandates"]["roles"].values():
        role["channels"] = ["*"]
        for kind, approvers in role["approvers"].items():
            role["approvers"][kind] = [a for a in approvers if a in data["mandates"]["roles"]]
    for policy in data["escalation"]["policies"]:
        for steps in policy["levels"].values():
            for step in steps:
                step["notify"] = [t for t in step["notify"] if t.startswith("role:")] or ["role:senior-cm"]
    return WorkspaceSpec.model_validate(data)


def timed(label: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<28} {time.perf_counter() - start:8.3f} s")
    return result


def run(url: str, spec: WorkspaceSpec, name: str) -> None:
    print(
        f"{name} on {url.split(':', 1)[0]}: {len(spec.team.members)} members, "
        f"{len(spec.playbooks)} playbooks, {len(spec.workspace.channels)} channels"
    )
    engine = make_engine(url)
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ws"
        timed("render YAML", lambda: write_workspace_dir(spec, folder))
        loaded = timed("load + validate folder", lambda: load_workspace_dir(folder))

        def plan() -> int:
            with factory() as session:
                return len(plan_workspace(session, loaded).changes)

        def apply() -> int:
            with transaction(factory) as session:
                return len(apply_workspace(session, loaded, "bench").changes)

        print(f"  {'objects':<28} {timed('plan (empty database)', plan):8d}")
        timed("apply (+1 audit entry each)", apply)
        assert timed("plan again (no change)", plan) == 0

        def export() -> int:
            with factory() as session:
                again = workspace_spec(session, loaded.slug)
            assert again is not None
            return len(render_workspace(again))

        timed("export (rows -> YAML)", export)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--playbooks", type=int, default=300)
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    example = load_workspace_dir(example_workspace_dir())
    large = scaled(example, args.members, args.playbooks, args.channels)
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec in (("example", example), ("large", large)):
            run(f"sqlite:///{tmp}/{name}.sqlite3", spec, name)
    if args.postgres:
        admin = make_engine(args.postgres, isolation_level="AUTOCOMMIT")
        for name, spec in (("example", example), ("large", large)):
            db = f"vigie_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{db}"'))
            try:
                run(
                    make_url(args.postgres).set(database=db).render_as_string(hide_password=False), spec, name
                )
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
