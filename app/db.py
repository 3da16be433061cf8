"""The database handle: ``db``, and the declarative base every model shares.

Models import ``db`` from here and from nowhere else; this module knows nothing of the web.
"""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

#: What the migrations make that no model describes: SQLite's full-text index of candidates
#: (an FTS5 virtual table and the tables it keeps its index in) and PostgreSQL's GIN index
#: over the same text (an expression index).
UNMODELLED_TABLE_PREFIXES = ("candidates_fts",)
UNMODELLED_INDEXES = frozenset({"ix_candidates_search"})


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: compare everything but what no model describes."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(UNMODELLED_TABLE_PREFIXES)
    if type_ == "index":
        return name not in UNMODELLED_INDEXES
    return True


#: The escape character of :func:`containing`'s patterns.
LIKE_ESCAPE = "\\"


def containing(text: str) -> str:
    """A LIKE pattern matching values that contain ``text`` as typed: its ``%`` and ``_``
    are letters, not wildcards. Use with ``escape=LIKE_ESCAPE``."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
