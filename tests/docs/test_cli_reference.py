"""docs/cli.md is generated from the command line itself; this fails when a command changed without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_current(tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "typer",
            "vigie.cli.main",
            "utils",
            "docs",
            "--name",
            "vigie",
            "--output",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert out.read_text() == (ROOT / "docs" / "cli.md").read_text(), (
        "docs/cli.md is stale: regenerate it with "
        "`.venv/bin/typer vigie.cli.main utils docs --name vigie --output docs/cli.md`"
    )
