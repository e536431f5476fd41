"""Full-text search structures and queries for the case library, on SQLite (FTS5) and PostgreSQL.

Both backends index the same ``document`` (original text + light stems with accents folded, see
``vigie.library.stemming``), so a search for "livraison" finds "livraisons" and "retardé" finds
"retards" on either. The search structures live outside the ORM metadata because they are
backend-specific; ``ensure_search_structures`` creates them on first use (idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from vigie.library.models import LibraryEntry
from vigie.library.stemming import stems, words

FTS_TABLE = "library_entry_fts"
PG_INDEX = "ix_library_entry_document_fts"
# The expression of the PostgreSQL GIN index; queries repeat it verbatim so the planner uses the index.
PG_VECTOR = (
    "(CASE WHEN language = 'fr' THEN to_tsvector('french'::regconfig, document) "
    "ELSE to_tsvector('english'::regconfig, document) END)"
)
LANGUAGES = ("fr", "en")
# PostgreSQL ranks at most this many matches (the newest); SQLite's bm25 ranks all of them.
CANDIDATES = 200


def build_document(*, title: str, summary: str, lessons: list[str], tags: list[str], language: str) -> str:
    """The text indexed for an entry: its words, then their stems in the entry's language."""
    original = "\n".join([title, summary, *lessons, " ".join(tags)])
    stem_language = language if language in LANGUAGES else "en"
    return original + "\n" + " ".join(stems(original, stem_language))


def query_terms(query: str) -> list[set[str]]:
    """Per query word, the forms to look for: the folded word and its French and English stems."""
    terms: list[set[str]] = []
    for word in words(query):
        forms = {word, *(stem for lang in LANGUAGES for stem in stems(word, lang)[:1])}
        terms.append({f for f in forms if f})
    return [t for t in terms if t]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def ensure_search_structures(session: Session) -> None:
    """Create the FTS5 table (SQLite) or the GIN index (PostgreSQL) if missing."""
    dialect = _dialect(session)
    if dialect == "sqlite":
        session.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "document, tokenize = 'unicode61 remove_diacritics 2')"
            )
        )
    elif dialect == "postgresql":
        # Look first: CREATE INDEX takes a lock that blocks writers until the transaction ends.
        if session.scalar(text("SELECT to_regclass(:name)"), {"name": PG_INDEX}) is None:
            session.execute(
                text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON library_entry USING gin ({PG_VECTOR})")
            )


def index_entry(session: Session, entry: LibraryEntry) -> None:
    """(Re)index one entry after its text changed; the caller has flushed it."""
    ensure_search_structures(session)
    if _dialect(session) == "sqlite":
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": entry.id})
        session.execute(
            text(f"INSERT INTO {FTS_TABLE}(rowid, document) VALUES (:id, :doc)"),
            {"id": entry.id, "doc": entry.document},
        )


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float


def _fts5_query(terms: list[set[str]], *, match_all: bool) -> str:
    groups = ["(" + " OR ".join(f'"{form}"' for form in sorted(forms)) + ")" for forms in terms]
    return (" AND " if match_all else " OR ").join(groups)


def _pg_query(terms: list[set[str]], *, match_all: bool) -> str:
    groups = ["(" + " | ".join(f"'{form}'" for form in sorted(forms)) + ")" for forms in terms]
    return (" & " if match_all else " | ").join(groups)


def search_ids(
    session: Session, *, workspace_id: int, query: str, limit: int = 10, match_all: bool = True
) -> list[Hit]:
    """Entry ids matching the query, best first. Every word must match unless ``match_all=False``."""
    terms = query_terms(query)
    if not terms:
        return []
    ensure_search_structures(session)
    if _dialect(session) == "sqlite":
        rows = session.execute(
            text(
                f"SELECT e.id, bm25({FTS_TABLE}) AS rank FROM {FTS_TABLE} "
                f"JOIN library_entry e ON e.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH :q AND e.workspace_id = :ws ORDER BY rank LIMIT :limit"
            ),
            {"q": _fts5_query(terms, match_all=match_all), "ws": workspace_id, "limit": limit},
        ).all()
        return [Hit(int(r[0]), -float(r[1])) for r in rows]
    # The forms are folded letters and digits only (see stemming.words), safe inside a tsquery.
    # Each backend config re-stems them: 'simple' would not, but the document also holds our stems.
    tsquery = _pg_query(terms, match_all=match_all)
    # Two conditions with a constant query each, so that the planner can use the GIN index (BitmapOr).
    # Ranking recomputes each candidate's vector: only the newest CANDIDATES matches are ranked.
    rows = session.execute(
        text(
            f"SELECT id, ts_rank({PG_VECTOR}, CASE WHEN language = 'fr' "
            "THEN to_tsquery('french'::regconfig, :q) ELSE to_tsquery('english'::regconfig, :q) END) AS rank "
            "FROM (SELECT id, language, document FROM library_entry WHERE workspace_id = :ws AND ("
            f"(language = 'fr' AND {PG_VECTOR} @@ to_tsquery('french'::regconfig, :q)) OR "
            f"(language <> 'fr' AND {PG_VECTOR} @@ to_tsquery('english'::regconfig, :q))) "
            "ORDER BY id DESC LIMIT :candidates) AS library_entry "
            "ORDER BY rank DESC, id DESC LIMIT :limit"
        ),
        {"q": tsquery, "ws": workspace_id, "limit": limit, "candidates": CANDIDATES},
    ).all()
    return [Hit(int(r[0]), float(r[1])) for r in rows]
