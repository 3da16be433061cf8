"""What every JSON endpoint answers with: pages of a list, and 201 Created."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request

from app.api.errors import Problems
from app.inputs import DB_INT_MAX

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


def keyset_args(problems: Problems) -> tuple[int | None, int]:
    """``?after=`` (the last id of the previous page, as its ``next`` address gives it)
    and ``?per_page=`` (1 to 100); a bad one is added to ``problems``."""
    raw = request.args.get("after", "")
    after = _int_arg("after", 0, 1, DB_INT_MAX, problems) if raw != "" else None
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, problems)
    return (after or None), per_page


def page_args() -> tuple[int, int]:
    """``?page=`` (from 1) and ``?per_page=`` (1 to 100), or 422. A page number is at most
    what the database's offsets can reach; beyond the last page the list is empty."""
    problems = Problems()
    page = _int_arg("page", 1, 1, DB_INT_MAX, problems)
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, problems)
    problems.check()
    return page, per_page


def paginated(pagination: Any, item: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": [item(obj) for obj in pagination.items],
        "page": pagination.page,
        "per_page": pagination.per_page,
        "pages": pagination.pages,
        "total": pagination.total,
    }
