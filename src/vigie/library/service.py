"""Case-library use cases: add entries, index post-mortems and cases, search, suggest for a case.

The caller owns the transaction; every new entry is audited (``library.entry_added``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.audit.service import append_audit
from vigie.cases.service import case_messages, get_case
from vigie.core.clock import utcnow
from vigie.core.errors import ConflictError, NotFoundError, ValidationFailedError
from vigie.crisis.models import PostMortem
from vigie.library.models import LibraryEntry
from vigie.library.search import build_document, index_entry, search_ids
from vigie.playbooks.models import Playbook
from vigie.workspace.models import Workspace

SOURCE_KINDS = ("post_mortem", "case", "manual")


@dataclass(frozen=True)
class SearchResult:
    entry: LibraryEntry
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {**entry_dict(self.entry), "score": round(self.score, 4)}


def entry_dict(entry: LibraryEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "summary": entry.summary,
        "lessons": list(entry.lessons),
        "language": entry.language,
        "tags": list(entry.tags),
        "source": {"kind": entry.source_kind, "id": entry.source_id},
        "playbooks": list(entry.playbook_keys),
        "created_by": entry.created_by,
        "created_at": entry.created_at.isoformat(),
    }


def _playbooks_for_tags(session: Session, workspace: Workspace, tags: list[str]) -> list[str]:
    """Keys of the playbooks whose ``library_tags`` share a tag with the entry."""
    wanted = set(tags)
    rows = session.scalars(
        select(Playbook).where(Playbook.workspace_id == workspace.id).order_by(Playbook.key)
    )
    return [p.key for p in rows if wanted & set(p.spec.get("library_tags", []))]


def add_entry(
    session: Session,
    *,
    workspace: Workspace,
    title: str,
    summary: str,
    lessons: list[str],
    language: str,
    by: str,
    tags: list[str] | None = None,
    source_kind: str = "manual",
    source_id: int | None = None,
    playbook_keys: list[str] | None = None,
    now: datetime | None = None,
) -> LibraryEntry:
    """Create, link and index one entry. Playbooks are linked by shared ``library_tags``."""
    if not title.strip():
        raise ValidationFailedError("a library entry needs a title (--title)")
    if not summary.strip():
        raise ValidationFailedError("a library entry needs a summary of what happened (--summary)")
    clean_lessons = [lesson.strip() for lesson in lessons if lesson.strip()]
    if not clean_lessons:
        raise ValidationFailedError("a library entry needs at least one lesson (--lesson, repeatable)")
    if language not in ("fr", "en"):
        raise ValidationFailedError(f"language must be 'fr' or 'en', not {language!r}")
    if source_kind not in SOURCE_KINDS:
        raise ValidationFailedError(
            f"source kind must be one of {', '.join(SOURCE_KINDS)}, not {source_kind!r}"
        )
    if source_id is not None:
        existing = session.scalar(
            select(LibraryEntry).where(
                LibraryEntry.workspace_id == workspace.id,
                LibraryEntry.source_kind == source_kind,
                LibraryEntry.source_id == source_id,
            )
        )
        if existing is not None:
            raise ConflictError(f"{source_kind} #{source_id} is already library entry #{existing.id}")
    clean_tags = list(dict.fromkeys(t.strip().lower() for t in (tags or []) if t.strip()))
    known = {p for p in session.scalars(select(Playbook.key).where(Playbook.workspace_id == workspace.id))}
    unknown = sorted(set(playbook_keys or []) - known)
    if unknown:
        raise ValidationFailedError(
            f"unknown playbook(s) {', '.join(unknown)}; known: {', '.join(sorted(known)) or 'none'}"
        )
    links = list(
        dict.fromkeys([*(playbook_keys or []), *_playbooks_for_tags(session, workspace, clean_tags)])
    )
    entry = LibraryEntry(
        workspace_id=workspace.id,
        title=title.strip(),
        summary=summary.strip(),
        lessons=clean_lessons,
        language=language,
        tags=clean_tags,
        source_kind=source_kind,
        source_id=source_id,
        playbook_keys=links,
        document=build_document(
            title=title, summary=summary, lessons=clean_lessons, tags=clean_tags, language=language
        ),
        created_by=by,
        created_at=now or utcnow(),
    )
    session.add(entry)
    session.flush()
    index_entry(session, entry)
    append_audit(
        session,
        workspace=workspace,
        actor=by,
        action="library.entry_added",
        object_type="library_entry",
        object_key=str(entry.id),
        payload={"title": entry.title, "source": {"kind": source_kind, "id": source_id}, "playbooks": links},
    )
    return entry


def index_post_mortem(session: Session, *, workspace: Workspace, post_mortem: PostMortem) -> LibraryEntry:
    """Turn a crisis post-mortem into a library entry (idempotent: returns the existing one)."""
    existing = session.scalar(
        select(LibraryEntry).where(
            LibraryEntry.workspace_id == workspace.id,
            LibraryEntry.source_kind == "post_mortem",
            LibraryEntry.source_id == post_mortem.id,
        )
    )
    if existing is not None:
        return existing
    return _add_post_mortem(session, workspace=workspace, post_mortem=post_mortem)


def _add_post_mortem(session: Session, *, workspace: Workspace, post_mortem: PostMortem) -> LibraryEntry:
    return add_entry(
        session,
        workspace=workspace,
        title=post_mortem.title,
        summary=post_mortem.summary,
        lessons=[str(lesson) for lesson in post_mortem.lessons],
        language=post_mortem.language if post_mortem.language in ("fr", "en") else "en",
        tags=[str(t) for t in post_mortem.tags],
        source_kind="post_mortem",
        source_id=post_mortem.id,
        by=post_mortem.author,
        now=post_mortem.created_at,
    )


def index_post_mortems(session: Session, *, workspace: Workspace) -> list[LibraryEntry]:
    """Bring every post-mortem of the workspace into the library; returns the entries created."""
    done = set(
        session.scalars(
            select(LibraryEntry.source_id).where(
                LibraryEntry.workspace_id == workspace.id, LibraryEntry.source_kind == "post_mortem"
            )
        )
    )
    rows = session.scalars(
        select(PostMortem).where(PostMortem.workspace_id == workspace.id).order_by(PostMortem.id)
    ).all()
    return [
        _add_post_mortem(session, workspace=workspace, post_mortem=pm) for pm in rows if pm.id not in done
    ]


def get_entry(session: Session, *, workspace: Workspace, entry_id: int) -> LibraryEntry:
    entry = session.get(LibraryEntry, entry_id)
    if entry is None or entry.workspace_id != workspace.id:
        raise NotFoundError(f"library entry #{entry_id} does not exist in workspace {workspace.slug!r}")
    return entry


def mark_case_as_lesson(
    session: Session,
    *,
    workspace: Workspace,
    case_id: int,
    by: str,
    lessons: list[str],
    title: str | None = None,
    summary: str | None = None,
    language: str | None = None,
    tags: list[str] | None = None,
    playbook_keys: list[str] | None = None,
) -> LibraryEntry:
    """Make a case a library entry; the summary defaults to the case's messages."""
    case = get_case(session, workspace, case_id)
    messages = case_messages(session, workspace, case_id)
    first = messages[0] if messages else None
    lang = language or (first.lang if first is not None and first.lang in ("fr", "en") else None)
    lang = lang or workspace.default_language
    text_summary = summary or "\n".join(m.text for m in messages[:5])
    topics = [str(t) for m in messages for t in ((m.analysis or {}).get("topics", {}) or {}).get("keys", [])]
    return add_entry(
        session,
        workspace=workspace,
        title=title or f"Case #{case.id}: " + (first.text[:80] if first is not None else case.thread_key),
        summary=text_summary,
        lessons=lessons,
        language=lang if lang in ("fr", "en") else "en",
        tags=[*(tags or []), "case", *topics],
        source_kind="case",
        source_id=case.id,
        playbook_keys=playbook_keys,
        by=by,
    )


def search(
    session: Session, *, workspace: Workspace, query: str, limit: int = 10, match_all: bool = True
) -> list[SearchResult]:
    if not query.strip():
        raise ValidationFailedError("give words to search for")
    hits = search_ids(session, workspace_id=workspace.id, query=query, limit=limit, match_all=match_all)
    entries = {
        e.id: e
        for e in session.scalars(select(LibraryEntry).where(LibraryEntry.id.in_([h.entry_id for h in hits])))
    }
    return [SearchResult(entries[h.entry_id], h.score) for h in hits if h.entry_id in entries]


def entries_for_playbook(session: Session, *, workspace: Workspace, playbook_key: str) -> list[LibraryEntry]:
    """Entries linked to a playbook, directly or through one of its ``library_tags``."""
    playbook = session.scalar(
        select(Playbook).where(Playbook.workspace_id == workspace.id, Playbook.key == playbook_key)
    )
    if playbook is None:
        raise NotFoundError(f"playbook {playbook_key!r} does not exist in workspace {workspace.slug!r}")
    tags = set(playbook.spec.get("library_tags", []))
    rows = session.scalars(
        select(LibraryEntry).where(LibraryEntry.workspace_id == workspace.id).order_by(LibraryEntry.id.desc())
    )
    return [e for e in rows if playbook_key in e.playbook_keys or tags & set(e.tags)]


def suggest_for_case(
    session: Session, *, workspace: Workspace, case_id: int, limit: int = 3
) -> list[SearchResult]:
    """Library entries similar to a case: any of its messages' words (ranked), excluding itself."""
    case = get_case(session, workspace, case_id)
    text = " ".join(m.text for m in case_messages(session, workspace, case_id))
    if not text.strip():
        return []
    hits = search_ids(session, workspace_id=workspace.id, query=text, limit=limit + 1, match_all=False)
    ids = [h.entry_id for h in hits]
    entries = {e.id: e for e in session.scalars(select(LibraryEntry).where(LibraryEntry.id.in_(ids)))}
    results = [
        SearchResult(entries[h.entry_id], h.score)
        for h in hits
        if h.entry_id in entries
        and not (entries[h.entry_id].source_kind == "case" and entries[h.entry_id].source_id == case.id)
    ]
    return results[:limit]
