"""The database handle: ``db``, and the declarative base every model shares.

Models import ``db`` from here and from nowhere else; this module knows nothing of the web.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Boolean, MetaData, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

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


class InParameter(ColumnElement[bool]):
    """``column IN`` the values of the statement's parameter ``name`` (a list given when
    it runs): :func:`in_parameter`."""

    inherit_cache = True
    _traverse_internals: ClassVar[list[tuple[str, InternalTraversal]]] = [
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]
    type = Boolean()
    # A comparison in itself: no '= 1' after it where booleans are numbers (SQLite).
    _is_implicitly_boolean = True

    def __init__(self, column: Any, name: str) -> None:
        self.column = column
        self.name = name


def in_parameter(column: Any, name: str) -> InParameter:
    """``column IN (…)`` of the list given as the parameter ``name`` when the statement
    runs, for a statement built once. On PostgreSQL it is ``column = ANY(%(name)s)``, one
    array parameter: the statement's text is the same however many values come, so the
    driver prepares it once and SQLAlchemy writes nothing anew per execution (an expanding
    IN is rewritten with one placeholder per value each time). Elsewhere, SQLAlchemy's
    expanding IN."""
    return InParameter(column, name)


@compiles(InParameter)
def _in_parameter(element: InParameter, compiler: SQLCompiler, **kw: Any) -> str:
    values = bindparam(element.name, expanding=True)
    return compiler.process(element.column.in_(values), **kw)


@compiles(InParameter, "postgresql")
def _any_of_parameter(element: InParameter, compiler: SQLCompiler, **kw: Any) -> str:
    values = bindparam(element.name, type_=ARRAY(element.column.type))
    return compiler.process(element.column == any_(values), **kw)
