"""Pages of the web lists: ``?page=`` checked before it reaches the database."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.db import db
from app.inputs import DB_INT_MAX


def page_number() -> int:
    """``?page=`` as a whole number from 1; anything else, or a number beyond what the
    database's offsets reach (``10**20`` would overflow them), is a page that does not
    exist: 404."""
    raw = request.args.get("page", "")
    if raw == "":
        return 1
    try:
        page = int(raw)
    except ValueError:
        abort(404)
    if not 1 <= page <= DB_INT_MAX:
        abort(404)
    return page


def list_page(query: Select[Any], *, per_page: int, max_per_page: int) -> Pagination:
    """The requested page of ``query`` (404 beyond the last one, as ``db.paginate``)."""
    return db.paginate(query, page=page_number(), per_page=per_page, max_per_page=max_per_page)
