"""There is no path to a channel except vigie.governance.gate.pass_gate: scan the source tree."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "vigie"
GATE = SRC / "governance" / "gate.py"
MODELS = SRC / "governance" / "models.py"

# What only the gate may do: build a publication or an outbox row, touch the publishers, or write to
# those tables with a Core statement.
FORBIDDEN = [
    (re.compile(r"(?<!class )\b(Publication|OutboxItem)\s*\("), "creates a publication/outbox row"),
    (re.compile(r"\b(insert|update)\s*\(\s*(Publication|OutboxItem)\b"), "writes publications/outbox rows"),
    (re.compile(r"\b(publication|outbox_item)\b['\"]?\s*\)?\s*\.\s*insert\b"), "writes the tables directly"),
    (re.compile(r"INSERT\s+INTO\s+\"?(publication|outbox_item)\b", re.IGNORECASE), "raw SQL insert"),
    (
        re.compile(r"\b_(PUBLISHERS|Delivery|Publisher|outbox_publisher|jsonl_publisher|publish)\b"),
        "private gate API",
    ),
    (re.compile(r"\bgate\._"), "private gate API"),
    (re.compile(r"from\s+vigie\.governance\.gate\s+import\s+[^\n]*\b_\w+"), "private gate API"),
]


def violations(root: Path, *, allowed: set[Path]) -> list[str]:
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if path in allowed or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for pattern, what in FORBIDDEN:
                if pattern.search(line):
                    found.append(f"{path.relative_to(root)}:{number}: {what}: {line.strip()}")
    return found


def test_no_other_module_publishes() -> None:
    assert GATE.is_file() and MODELS.is_file()
    problems = violations(SRC, allowed={GATE, MODELS})
    assert problems == [], "texts must leave only through vigie.governance.gate.pass_gate:\n" + "\n".join(
        problems
    )


def test_the_scan_catches_a_bypass(tmp_path: Path) -> None:
    bad = tmp_path / "crisis" / "shortcut.py"
    bad.parent.mkdir()
    bad.write_text(
        "from vigie.governance.gate import _PUBLISHERS\n"
        "session.add(OutboxItem(text=text))\n"
        "session.execute(insert(Publication).values(text=text))\n"
        "gate._outbox_publisher(session, d)\n",
        encoding="utf-8",
    )
    found = violations(tmp_path, allowed=set())
    assert {int(item.split(":")[1]) for item in found} == {1, 2, 3, 4}, found


def test_the_gate_itself_uses_what_is_scanned() -> None:
    """If the gate stops using these names the scan would silently check nothing."""
    text = GATE.read_text(encoding="utf-8")
    assert "OutboxItem(" in text and "Publication(" in text and "_PUBLISHERS" in text
