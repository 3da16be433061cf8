"""Candidate search: one tokenizer for both databases, so both find the same candidates.

The text a candidate is found by (name, e-mail address, notes, the CV's text) is stored
already split into words by :func:`document`: lower-case, accents removed, every run of
letters and digits one word, words joined by single spaces. PostgreSQL indexes that column
with ``to_tsvector('simple', …)`` and SQLite with an FTS5 table (``unicode61``); both then
see exactly these words. A query is split the same way (:func:`query_terms`), and each of
its words must begin a word of the document (a prefix match), all of them (AND).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]+")

#: A query keeps at most this many words; more add nothing but cost.
MAX_TERMS = 8
#: A document keeps at most this many characters (a CV's text can be long).
MAX_DOCUMENT = 200_000


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of ``text``: folded to lower case, without accents, in order."""
    return _WORD.findall(_fold(text))


def document(parts: Iterable[str | None]) -> str:
    """The searchable text of several fields: their words, space-separated, bounded."""
    joined = " ".join(" ".join(words(part)) for part in parts if part)
    joined = " ".join(joined.split())
    if len(joined) > MAX_DOCUMENT:
        joined = joined[:MAX_DOCUMENT].rsplit(" ", 1)[0]
    return joined


def query_terms(query: str) -> list[str]:
    """The distinct words of a search query, in order, at most :data:`MAX_TERMS`."""
    seen: dict[str, None] = {}
    for word in words(query):
        seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


def tsquery(terms: Iterable[str]) -> str:
    """PostgreSQL ``to_tsquery('simple', …)`` text: every term as a quoted prefix, ANDed."""
    return " & ".join("'" + term.replace("'", "''") + "':*" for term in terms)


def fts5_query(terms: Iterable[str]) -> str:
    """SQLite FTS5 ``MATCH`` text: every term as a quoted prefix, ANDed."""
    return " AND ".join('"' + term.replace('"', '""') + '"*' for term in terms)


__all__ = ["MAX_TERMS", "document", "fts5_query", "query_terms", "tsquery", "words"]
