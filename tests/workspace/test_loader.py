"""Loading and validating workspace folders (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workspace.conftest import edit
from vigie.workspace.export import init_workspace_dir, render_workspace
from vigie.workspace.loader import (
    InvalidWorkspaceError,
    SpecIssue,
    example_workspace_dir,
    load_workspace_dir,
    load_workspace_texts,
)
from vigie.workspace.schemas import WorkspaceSpec

_edit = edit


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def _issues(folder: Path) -> list[SpecIssue]:
    with pytest.raises(InvalidWorkspaceError) as caught:
        load_workspace_dir(folder)
    return caught.value.issues


def test_example_is_complete_and_bilingual() -> None:
    spec = load_workspace_dir(example_workspace_dir())
    assert spec.slug == "colibri"
    assert spec.workspace.languages == ["fr", "en"]
    assert {m.key for m in spec.team.members} == {
        "camille",
        "lucas",
        "sarah",
        "hugo",
        "ines",
        "marc",
        "claire",
        "nadia",
    }
    assert set(spec.mandates.roles) == {
        "junior-cm",
        "senior-cm",
        "expert",
        "spokesperson",
        "legal",
        "community-lead",
    }
    junior = spec.role("junior-cm").commitments
    assert junior.refund.max_amount == 50 and junior.compensation.max_amount == 20
    assert spec.role("senior-cm").commitments.refund.max_amount == 200
    assert spec.role("spokesperson").commitments.refund.max_amount == 1000
    assert {c.name: c.max_length for c in spec.workspace.channels}["x"] == 280
    assert len(spec.playbooks) >= 3
    for playbook in spec.playbooks:
        assert set(playbook.templates) == {"fr", "en"}
        assert all(set(step) == {"fr", "en"} for step in playbook.steps)
    alert = spec.escalation.policies[0].levels.alert
    assert alert[0].ack_within_minutes and alert[0].next == alert[1].step


def test_wrong_type_names_file_line_field_and_expectation(folder: Path) -> None:
    team = folder / "team.yaml"
    _edit(team, "max_open_cases: 5\n", "max_open_cases: plenty\n")
    (first,) = _issues(folder)
    assert first.file == "team.yaml"
    assert first.line == _line_of(team, "max_open_cases: plenty")
    assert first.field == "members[4].max_open_cases"
    assert "valid integer" in first.message and "plenty" in first.message
    assert f"team.yaml:{first.line}: members[" in str(first)


def test_unknown_field_lists_allowed_fields(folder: Path) -> None:
    team = folder / "team.yaml"
    _edit(team, "    handle: Hugo\n", "    handel: Hugo\n")
    (issue,) = _issues(folder)
    assert issue.line == _line_of(team, "handel: Hugo")
    assert issue.field == "members[3].handel"
    assert "unknown field 'handel'" in issue.message and "handle" in issue.message


def test_missing_field_says_what_is_expected(folder: Path) -> None:
    _edit(folder / "workspace.yaml", "timezone: Europe/Paris\n", "")
    (issue,) = _issues(folder)
    assert (issue.file, issue.field) == ("workspace.yaml", "timezone")
    assert "required" in issue.message and "IANA" in issue.message


def test_bad_reference_is_found_across_files(folder: Path) -> None:
    team = folder / "team.yaml"
    _edit(team, "roles: [legal]", "roles: [lawyer]")
    (issue,) = _issues(folder)
    assert issue.file == "team.yaml"
    assert issue.line == _line_of(team, "roles: [lawyer]")
    assert issue.field == "members[6].roles[0]"
    assert "unknown role 'lawyer'" in issue.message and "spokesperson" in issue.message


def test_all_errors_of_all_files_are_reported_together(folder: Path) -> None:
    _edit(folder / "team.yaml", "roles: [legal]", "roles: [lawyer]")
    _edit(folder / "escalation.yaml", "next: lead", "next: nobody")
    _edit(folder / "escalation.yaml", "notify: [member:claire, role:legal]", "notify: [member:clara]")
    _edit(folder / "mandates.yaml", "inherits: [junior-cm]", "inherits: [community-lead]")
    _edit(folder / "playbooks/troll.yaml", "involve: [senior-cm]", "involve: [moderator]")
    by_file = {(i.file, i.field) for i in _issues(folder)}
    assert ("team.yaml", "members[6].roles[0]") in by_file
    assert ("escalation.yaml", "policies[0].levels.watch[0].next") in by_file
    assert ("escalation.yaml", "policies[0].levels.crisis[1].notify[0]") in by_file
    assert ("mandates.yaml", "roles.senior-cm.inherits") in by_file
    assert ("playbooks/troll.yaml", "involve[0]") in by_file


def test_inheritance_cycle_is_named(folder: Path) -> None:
    _edit(folder / "mandates.yaml", "inherits: [junior-cm]", "inherits: [spokesperson]")
    (issue,) = [i for i in _issues(folder) if "cycle" in i.message]
    assert "senior-cm -> spokesperson -> senior-cm" in issue.message


def test_duplicate_yaml_key_and_duplicate_member_are_refused(folder: Path) -> None:
    _edit(folder / "workspace.yaml", "name: Colibri\n", "name: Colibri\nname: Colibri bis\n")
    team = folder / "team.yaml"
    _edit(team, "  - key: lucas\n", "  - key: camille\n")
    issues = _issues(folder)
    assert [i.file for i in issues] == ["team.yaml", "workspace.yaml"]
    duplicate_key, duplicate_member = issues[1], issues[0]
    assert "duplicate" in duplicate_key.message.lower() and duplicate_key.line == 5
    # workspace.yaml is unreadable, yet the other files are still cross-checked.
    assert "duplicate member key 'camille'" in duplicate_member.message
    lines = [n for n, line in enumerate(team.read_text().splitlines(), 1) if line == "  - key: camille"]
    assert duplicate_member.line == lines[1] and duplicate_member.field == "members[1].key"


def test_broken_yaml_has_a_line(folder: Path) -> None:
    charter = folder / "charter.yaml"
    _edit(charter, "competitors: [", "competitors: [[")
    (issue,) = _issues(folder)
    assert issue.file == "charter.yaml" and issue.line is not None and "not valid YAML" in issue.message


def test_playbook_key_must_match_file_and_templates_use_known_variables(folder: Path) -> None:
    _edit(folder / "playbooks/troll.yaml", "key: troll", "key: trolls")
    _edit(folder / "playbooks/delivery-complaint.yaml", "{agent_signature}", "{agent}")
    issues = _issues(folder)
    files = {i.file: i.message for i in issues}
    assert "rename the file" in files["playbooks/troll.yaml"]
    assert "unknown variable(s) agent" in files["playbooks/delivery-complaint.yaml"]


def test_missing_file_and_unexpected_file(folder: Path) -> None:
    (folder / "charter.yaml").unlink()
    (folder / "notes.yaml").write_text("a: 1\n")
    messages = {i.file: i.message for i in _issues(folder)}
    assert "missing" in messages["charter.yaml"]
    assert "unexpected file" in messages["notes.yaml"]


def test_webhook_url_is_never_in_the_file(folder: Path) -> None:
    _edit(
        folder / "escalation.yaml",
        "url_env: VIGIE_WEBHOOK_TEAM_CHAT_URL",
        "url_env: https://chat.example/hooks/secret",
    )
    (issue,) = _issues(folder)
    assert issue.field == "webhooks[0].url_env" and "environment variable" in issue.message


def test_render_is_deterministic_and_loads_back_to_the_same_spec() -> None:
    spec = load_workspace_dir(example_workspace_dir())
    texts = render_workspace(spec)
    assert texts == render_workspace(spec)
    again = load_workspace_texts(texts)
    assert isinstance(again, WorkspaceSpec)
    assert again == spec


def test_init_rewrites_slug_and_refuses_a_used_folder(tmp_path: Path) -> None:
    init_workspace_dir(tmp_path / "acme", slug="acme", name='Acme "SA"')
    spec = load_workspace_dir(tmp_path / "acme")
    assert (spec.slug, spec.workspace.name) == ("acme", 'Acme "SA"')
    assert "# Colibri" in (tmp_path / "acme" / "workspace.yaml").read_text()  # comments kept
    with pytest.raises(Exception, match="not an empty folder"):
        init_workspace_dir(tmp_path / "acme")
    with pytest.raises(Exception, match="invalid slug"):
        init_workspace_dir(tmp_path / "other", slug="Bad Slug")
