"""What every JSON endpoint answers with: pages of a list, and 201 Created."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response, jsonify, request, url_for

from app.api.errors import Problems
from app.inputs import DB_INT_MAX, stored_int
from app.paging import decode_cursor, encode_cursor

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


def created(body: dict[str, Any], location: str) -> tuple[Response, int, dict[str, str]]:
    """201 with the new object and its address."""
    return jsonify(body), 201, {"Location": location}


def _int_arg(name: str, default: int, low: int, high: int | None, problems: Problems) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.add(name, "Expected a whole number.")
        return default
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        problems.add(name, f"Must be {bound}.")
        return default
    return value


def query_int(name: str, problems: Problems, *, low: int, high: int) -> int | None:
    """``?name=`` as a whole number from ``low`` to ``high``; None when not given."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    value = stored_int(raw)
    if value is None or not low <= value <= high:
        problems.add(name, f"Expected a whole number between {low} and {high}.")
        return None
    return value


def query_date(name: str, problems: Problems) -> date | None:
    """``?name=`` as a date (YYYY-MM-DD); None when not given."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.add(name, "Expected a date as YYYY-MM-DD.")
        return None


def query_choice(name: str, enum: Any, problems: Problems) -> Any:
    """``?name=`` as a member of ``enum`` (by value); None when not given."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return enum(raw)
    except ValueError:
        problems.add(name, f"One of: {', '.join(e.value for e in enum)}.")
        return None


def keyset_args(problems: Problems) -> tuple[int | None, int]:
    """``?after=`` (the last id of the previous page, as its ``next`` address gives it)
    and ``?per_page=`` (1 to 100); a bad one is added to ``problems``."""
    raw = request.args.get("after", "")
    after = _int_arg("after", 0, 1, DB_INT_MAX, problems) if raw != "" else None
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, problems)
    return (after or None), per_page


#: Said of ``?page=`` to a list that pages by cursor.
NO_PAGE_NUMBERS = "This list pages with ?after= (follow the answer's 'next' address)."


def cursor_args(problems: Problems) -> tuple[tuple[datetime, int] | None, int]:
    """``?after=`` (a position in a newest-first list, as the previous page's ``next``
    address gives it) and ``?per_page=`` (1 to 100); ``?page=`` is refused. A bad one is
    added to ``problems``."""
    if "page" in request.args:
        problems.add("page", NO_PAGE_NUMBERS)
    raw = request.args.get("after", "")
    after = None
    if raw != "":
        after = decode_cursor(raw)
        if after is None:
            problems.add(
                "after",
                "Not a position in this list: use the 'next' address of the previous page "
                "as it is, or leave 'after' out for the first page.",
            )
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, problems)
    return after, per_page


def next_page(endpoint: str, position: tuple[datetime, int] | str | int | None) -> str | None:
    """The address (a path, as every list's ``next`` is) of the page after ``position``
    (a (moment, id) position, or a cursor as it goes in the address) with the request's
    other parameters (filters, ``per_page``); None when there is no next page."""
    if position is None:
        return None
    after = encode_cursor(*position) if isinstance(position, tuple) else position
    args = {k: v for k, v in request.args.items() if k != "after" and v != ""}
    return url_for(endpoint, after=after, **args)
