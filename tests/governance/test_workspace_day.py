"""Mandates' validity days are the workspace's own calendar days (Europe/Paris for Colibri), for the gate
and for routing alike, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session, sessionmaker
from tests.governance.conftest import colibri

from vigie.core.clock import local_date, running_from
from vigie.governance.service import load_governance
from vigie.routing.actions import build_roster
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.schemas import WorkspaceSpec
from vigie.workspace.service import workspace_day

# 23:30 UTC on 31 December is already 00:30 on 1 January in Paris.
NEW_YEAR_IN_PARIS = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
NEW_YEAR_EVE_IN_PARIS = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)


def test_local_date_reads_the_day_in_the_zone() -> None:
    assert local_date("Europe/Paris", NEW_YEAR_IN_PARIS) == date(2027, 1, 1)
    assert local_date("UTC", NEW_YEAR_IN_PARIS) == date(2026, 12, 31)
    assert local_date("America/Montreal", NEW_YEAR_IN_PARIS) == date(2026, 12, 31)


def test_governance_resolves_mandates_for_the_workspace_day(factory: sessionmaker[Session]) -> None:
    with factory() as session, running_from(NEW_YEAR_IN_PARIS):
        workspace = colibri(session)
        assert workspace_day(workspace) == date(2027, 1, 1)
        assert load_governance(session, workspace).book.today == date(2027, 1, 1)


def spokesperson_until_new_year_eve(spec: WorkspaceSpec) -> WorkspaceSpec:
    roles = dict(spec.mandates.roles)
    roles["spokesperson"] = roles["spokesperson"].model_copy(update={"valid_until": date(2026, 12, 31)})
    return spec.model_copy(update={"mandates": spec.mandates.model_copy(update={"roles": roles})})


def test_routing_ends_a_mandate_at_midnight_in_the_workspace_zone(factory: sessionmaker[Session]) -> None:
    spec = spokesperson_until_new_year_eve(load_workspace_dir(example_workspace_dir()))
    with factory() as session:
        workspace = colibri(session)

        def marc_may_speak_officially(now: datetime) -> bool:
            members = build_roster(session, workspace, now=now, spec=spec).members
            marc = next(m for m in members if m.key == "marc")
            return "official_statement" in marc.capabilities

        assert marc_may_speak_officially(NEW_YEAR_EVE_IN_PARIS)
        assert not marc_may_speak_officially(NEW_YEAR_IN_PARIS)
