"""Pages of the lists: keyset pages (``?after=`` / ``?before=`` a row), so that a deep
page costs what the first does. No list pages by number (an OFFSET reads every row
before the page)."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from flask import abort, request
from sqlalchemy import Integer, Select, and_, bindparam, or_, select

from app.db import db
from app.inputs import DB_INT_MAX

T = TypeVar("T")


# --- keyset pages: newest first, by (moment, id) -------------------------------------

#: A position in a newest-first list: the moment (UTC, to the microsecond) and the id of
#: the row the page starts after, e.g. ``20261201150000123456-42``.
_CURSOR = re.compile(r"(\d{20})-(\d{1,10})")


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page of a newest-first list, and where the pages beside it start."""

    items: list[T]
    #: ``?after=`` for the next page (older rows); None on the last page.
    after: str | None
    #: ``?before=`` for the previous page (newer rows); None on the first page.
    before: str | None


def encode_cursor(moment: datetime, row_id: int) -> str:
    return f"{moment.astimezone(UTC):%Y%m%d%H%M%S%f}-{row_id}"


def decode_cursor(raw: str) -> tuple[datetime, int] | None:
    """The (moment, id) a cursor names; None when it is not one."""
    match = _CURSOR.fullmatch(raw)
    if match is None or int(match[2]) > DB_INT_MAX:
        return None
    try:
        moment = datetime.strptime(match[1], "%Y%m%d%H%M%S%f").replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment, int(match[2])


def cursor_arg(name: str) -> tuple[datetime, int] | None:
    raw = request.args.get(name, "")
    if raw == "":
        return None
    position = decode_cursor(raw)
    if position is None:
        abort(
            400,
            description=f"The list position in the address (?{name}=) is damaged: "
            "open the list again from its first page.",
        )
    return position


def beyond(moment: Any, row_id: Any, position: tuple[datetime, int], *, older: bool) -> Any:
    """The rows past ``position`` in a (moment, id) order: older ones (a newest-first list
    going on) or newer ones.

    The bound on the moment alone is implied by the rest but is what the database can
    start an index scan from (PostgreSQL does not read the OR as a range of the index):
    without it, a page deep in the list walks every row before it."""
    at, last = position
    if older:
        return and_(moment <= at, or_(moment < at, and_(moment == at, row_id < last)))
    return and_(moment >= at, or_(moment > at, and_(moment == at, row_id > last)))


def _ordered(
    query: Select[Any], moment: Any, row_id: Any, *, older: bool, position: Any, limit: int
) -> Select[Any]:
    """``query`` past ``position`` (a (moment, id) pair of values or of bind parameters;
    None: from the start) in (``moment``, ``row_id``) order, newest first if ``older``, at
    most ``limit`` rows."""
    if position is not None:
        query = query.where(beyond(moment, row_id, position, older=older))
    order = (moment.desc(), row_id.desc()) if older else (moment, row_id)
    return query.order_by(*order).limit(limit)


#: Page statements of queries built once (:func:`_page_statement`), by the query's identity
#: and the page's kind; bounded (the oldest made goes first), in case a caller passes a
#: query built anew with parameters.
_PAGE_STATEMENTS: OrderedDict[tuple[int, ...], tuple[Select[Any], Select[Any]]] = OrderedDict()
_PAGE_STATEMENTS_KEPT = 256


def _page_statement(
    query: Select[Any], moment: Any, row_id: Any, *, older: bool, positioned: bool, limit: int
) -> Select[Any]:
    """``query`` ordered by (``moment``, ``row_id``), newest first if ``older``, past the
    position in the parameters ``page_at`` and ``page_id`` if ``positioned``, at most
    ``limit`` rows; made once per query object (a query built once per process, its values
    given as parameters, spares each request building the statement and its cache key)."""
    key = (id(query), id(moment), id(row_id), older, positioned, limit)
    kept = _PAGE_STATEMENTS.get(key)
    if kept is not None and kept[0] is query:
        return kept[1]
    position = (bindparam("page_at", type_=moment.type), bindparam("page_id", type_=Integer))
    statement = _ordered(
        query, moment, row_id, older=older, position=position if positioned else None, limit=limit
    )
    _PAGE_STATEMENTS[key] = (query, statement)
    if len(_PAGE_STATEMENTS) > _PAGE_STATEMENTS_KEPT:
        with suppress(KeyError):  # another thread dropped the oldest first
            _PAGE_STATEMENTS.popitem(last=False)
    return statement


def _page_rows(
    query: Select[Any],
    params: Mapping[str, Any] | None,
    moment: Any,
    row_id: Any,
    *,
    older: bool,
    position: tuple[datetime, int] | None,
    limit: int,
) -> list[Any]:
    """The rows of one page's statement: built for this request when ``params`` is None,
    else once per query (:func:`_page_statement`) and run with ``params``."""
    if params is None:
        statement = _ordered(query, moment, row_id, older=older, position=position, limit=limit)
        return list(db.session.execute(statement))
    values = dict(params)
    if position is not None:
        values["page_at"], values["page_id"] = position
    statement = _page_statement(
        query, moment, row_id, older=older, positioned=position is not None, limit=limit
    )
    return list(db.session.execute(statement, values))


def rows_after(
    query: Select[Any],
    *,
    moment: Any,
    row_id: Any,
    after: tuple[datetime, int] | None,
    per_page: int,
    params: Mapping[str, Any] | None = None,
) -> tuple[list[Any], bool]:
    """The first ``per_page`` rows of ``query`` newest first by (``moment``, ``row_id``)
    past ``after`` (from the newest without it), and whether more follow: one query, on an
    index of (moment, id), however deep the page. With ``params``, ``query`` is one built
    once with bind parameters, and ``params`` their values."""
    rows = _page_rows(query, params, moment, row_id, older=True, position=after, limit=per_page + 1)
    return rows[:per_page], len(rows) > per_page


def newest_first(
    query: Select[Any],
    *,
    moment: Any,
    row_id: Any,
    key: Callable[[Any], tuple[datetime, int]],
    per_page: int,
    params: Mapping[str, Any] | None = None,
) -> KeysetPage[Any]:
    """The page of ``query``'s rows (newest first by ``moment``, then ``row_id``) that
    ``?after=`` or ``?before=`` asks for: one query, however deep the page, using an index
    on (moment, id). ``key`` gives a row's (moment, id). With ``params``, ``query`` is one
    built once with bind parameters (the same object on every request), and ``params``
    their values: the page's statement is then built once too."""
    after, before = cursor_arg("after"), cursor_arg("before")
    if after is not None and before is not None:
        abort(400, description="A list page starts ?after= one row or ?before= one, not both.")
    return newest_page(
        query,
        moment=moment,
        row_id=row_id,
        key=key,
        per_page=per_page,
        after=after,
        before=before,
        params=params,
    )


def newest_page(
    query: Select[Any],
    *,
    moment: Any,
    row_id: Any,
    key: Callable[[Any], tuple[datetime, int]],
    per_page: int,
    after: tuple[datetime, int] | None = None,
    before: tuple[datetime, int] | None = None,
    params: Mapping[str, Any] | None = None,
) -> KeysetPage[Any]:
    """:func:`newest_first` with the positions given (decoded by the caller, as the JSON
    API does with its own messages): the page after ``after``, before ``before``, or the
    first page."""
    if before is None:
        items, more = rows_after(
            query, moment=moment, row_id=row_id, after=after, per_page=per_page, params=params
        )
        return KeysetPage(
            items=items,
            after=encode_cursor(*key(items[-1])) if more else None,
            before=encode_cursor(*key(items[0])) if after is not None and items else None,
        )
    rows = _page_rows(
        query, params, moment, row_id, older=False, position=before, limit=per_page + 1
    )
    items = rows[:per_page][::-1]
    return KeysetPage(
        items=items,
        after=encode_cursor(*key(items[-1])) if items else None,
        before=encode_cursor(*key(items[0])) if len(rows) > per_page else None,
    )


# --- keyset pages: newest first, by id ----------------------------------------------


def id_arg(name: str) -> int | None:
    """``?after=`` / ``?before=`` as a row id; 400 for anything else."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    # isascii: str.isdigit also takes "²", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= DB_INT_MAX:
        abort(
            400,
            description=f"The list position in the address (?{name}=) is damaged: "
            "open the list again from its first page.",
        )
    return int(raw)


def newest_by_id(
    query: Select[Any], *, row_id: Any, key: Callable[[Any], int], per_page: int
) -> KeysetPage[Any]:
    """The page of ``query``'s rows, newest (highest id) first, that ``?after=`` or
    ``?before=`` (a row id) asks for: one query, however deep the page. The cursors of the
    answer are row ids as text."""
    after, before = id_arg("after"), id_arg("before")
    if after is not None and before is not None:
        abort(400, description="A list page starts ?after= one row or ?before= one, not both.")
    if before is None:
        if after is not None:
            query = query.where(row_id < after)
        rows = list(db.session.execute(query.order_by(row_id.desc()).limit(per_page + 1)))
        items = rows[:per_page]
        return KeysetPage(
            items=items,
            after=str(key(items[-1])) if len(rows) > per_page else None,
            before=str(key(items[0])) if after is not None and items else None,
        )
    rows = list(
        db.session.execute(query.where(row_id > before).order_by(row_id).limit(per_page + 1))
    )
    items = rows[:per_page][::-1]
    return KeysetPage(
        items=items,
        after=str(key(items[-1])) if items else None,
        before=str(key(items[0])) if len(rows) > per_page else None,
    )


# --- keyset pages: in the order of one unique column ---------------------------------


def by_unique_column(
    query: Select[Any],
    *,
    column: Any,
    row_id: Any,
    key: Callable[[Any], int],
    per_page: int,
) -> KeysetPage[Any]:
    """The page of ``query``'s rows in ascending order of ``column`` (unique, e.g. an
    e-mail address) that ``?after=`` or ``?before=`` (a row id) asks for. The address
    names a row by its id, never by its value (an e-mail address has no place in an
    address, nor in the server's logs): the query reads that row's value itself."""
    after, before = id_arg("after"), id_arg("before")
    if after is not None and before is not None:
        abort(400, description="A list page starts ?after= one row or ?before= one, not both.")
    return unique_column_page(
        query,
        column=column,
        row_id=row_id,
        key=key,
        per_page=per_page,
        after=after,
        before=before,
    )


def unique_column_page(
    query: Select[Any],
    *,
    column: Any,
    row_id: Any,
    key: Callable[[Any], int],
    per_page: int,
    after: int | None = None,
    before: int | None = None,
) -> KeysetPage[Any]:
    """:func:`by_unique_column` with the positions (row ids) given. One query, however
    deep the page, using an index on ``column``; a position whose row is gone gives an
    empty page."""

    def value_of(position: int) -> Any:
        # Not correlated: the list's own query reads the same table.
        return select(column).where(row_id == position).correlate(None).scalar_subquery()

    if before is None:
        if after is not None:
            query = query.where(column > value_of(after))
        rows = list(db.session.execute(query.order_by(column).limit(per_page + 1)))
        items = rows[:per_page]
        return KeysetPage(
            items=items,
            after=str(key(items[-1])) if len(rows) > per_page else None,
            before=str(key(items[0])) if after is not None and items else None,
        )
    query = query.where(column < value_of(before))
    rows = list(db.session.execute(query.order_by(column.desc()).limit(per_page + 1)))
    items = rows[:per_page][::-1]
    return KeysetPage(
        items=items,
        after=str(key(items[-1])) if items else None,
        before=str(key(items[0])) if len(rows) > per_page else None,
    )
