"""Pages of the lists: keyset pages (``?after=`` / ``?before=`` a row), so that a deep
page costs what the first does. No list pages by number (an OFFSET reads every row
before the page)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from flask import abort, request
from sqlalchemy import Select, and_, or_, select

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


def rows_after(
    query: Select[Any],
    *,
    moment: Any,
    row_id: Any,
    after: tuple[datetime, int] | None,
    per_page: int,
) -> tuple[list[Any], bool]:
    """The first ``per_page`` rows of ``query`` newest first by (``moment``, ``row_id``)
    past ``after`` (from the newest without it), and whether more follow: one query, on an
    index of (moment, id), however deep the page."""
    if after is not None:
        query = query.where(beyond(moment, row_id, after, older=True))
    rows = list(
        db.session.execute(query.order_by(moment.desc(), row_id.desc()).limit(per_page + 1))
    )
    return rows[:per_page], len(rows) > per_page


def newest_first(
    query: Select[Any],
    *,
    moment: Any,
    row_id: Any,
    key: Callable[[Any], tuple[datetime, int]],
    per_page: int,
) -> KeysetPage[Any]:
    """The page of ``query``'s rows (newest first by ``moment``, then ``row_id``) that
    ``?after=`` or ``?before=`` asks for: one query, however deep the page, using an index
    on (moment, id). ``key`` gives a row's (moment, id)."""
    after, before = cursor_arg("after"), cursor_arg("before")
    if after is not None and before is not None:
        abort(400, description="A list page starts ?after= one row or ?before= one, not both.")
    return newest_page(
        query, moment=moment, row_id=row_id, key=key, per_page=per_page, after=after, before=before
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
) -> KeysetPage[Any]:
    """:func:`newest_first` with the positions given (decoded by the caller, as the JSON
    API does with its own messages): the page after ``after``, before ``before``, or the
    first page."""
    if before is None:
        items, more = rows_after(
            query, moment=moment, row_id=row_id, after=after, per_page=per_page
        )
        return KeysetPage(
            items=items,
            after=encode_cursor(*key(items[-1])) if more else None,
            before=encode_cursor(*key(items[0])) if after is not None and items else None,
        )
    query = query.where(beyond(moment, row_id, before, older=False))
    rows = list(db.session.execute(query.order_by(moment, row_id).limit(per_page + 1)))
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
