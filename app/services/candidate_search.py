"""Candidate search in the database: PostgreSQL full text (GIN) or SQLite FTS5.

``candidates.search_text`` is kept in step with the fields it is made of by a flush hook
(:func:`_refresh_search_text`): any code that changes a candidate's name, e-mail address,
notes or CV text, or erases the candidate, changes what search finds without calling
anything. :func:`matching` is the WHERE clause of a search, for either database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, event, func, literal_column, text
from sqlalchemy.orm import Session

from app.db import db
from app.models import Candidate
from pipelines.search import document, fts5_query, query_terms, tsquery

SEARCHED_FIELDS = ("name", "email", "notes", "cv_text")


def search_text_of(candidate: Candidate) -> str:
    """What the candidate is found by; nothing once their personal data is erased."""
    if candidate.erased_at is not None:
        return ""
    return document(getattr(candidate, field) for field in SEARCHED_FIELDS)


def _changed(session: Session, candidate: Candidate) -> bool:
    if candidate in session.new:
        return True
    state = db.inspect(candidate)
    return any(
        state.attrs[field].history.has_changes() for field in (*SEARCHED_FIELDS, "erased_at")
    )


def _refresh_search_text(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Candidate) and _changed(session, obj):
            obj.search_text = search_text_of(obj)


if not event.contains(Session, "before_flush", _refresh_search_text):
    event.listen(Session, "before_flush", _refresh_search_text)


def matching(query: str) -> ColumnElement[bool] | None:
    """Candidates whose search text has every word of ``query`` as a word's beginning;
    None when the query has no words (search for nothing: no filter)."""
    terms = query_terms(query)
    if not terms:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        # Written as the index is ('simple' inline, not a parameter), so the planner uses it.
        vector = func.to_tsvector(literal_column("'simple'"), Candidate.search_text)
        return vector.op("@@")(func.to_tsquery(literal_column("'simple'"), tsquery(terms)))
    ids = text("SELECT rowid FROM candidates_fts WHERE candidates_fts MATCH :fts_query")
    return Candidate.id.in_(ids.bindparams(fts_query=fts5_query(terms)))


__all__ = ["SEARCHED_FIELDS", "matching", "search_text_of"]
