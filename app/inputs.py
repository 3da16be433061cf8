"""Characters no text field may hold, checked once where requests are read.

A NUL character cannot be stored by PostgreSQL, and a lone UTF-16 surrogate (``\\ud800``,
which JSON can spell) cannot be encoded as UTF-8 by any database driver: both would fail
deep inside a write. They are refused here, for every query string and form (the JSON
bodies of the API are walked by :func:`json_text_problem` in ``app.api.bodies``), with a
message that names the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Flask, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

#: What a signed 32-bit INTEGER column holds: ids, counts and versions are bounded by it.
DB_INT_MAX = 2**31 - 1

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def stored_int(text: str) -> int | None:
    """``text`` as a non-negative number a 32-bit INTEGER column holds, else None.

    ``str.isdigit`` alone admits "²" and strings too long for ``int()``: both would raise.
    """
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(DB_INT_MAX))):
        return None
    value = int(text)
    return value if value <= DB_INT_MAX else None


#: A NUL, or a UTF-16 surrogate (in a Python str one is always unpaired).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def bad_character(text: str) -> str | None:
    """Why ``text`` cannot be stored (a NUL or an unpaired surrogate), or None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "contains a NUL character (U+0000), which no text may hold"
    return f"contains an unpaired surrogate (U+{ord(char):04X}), which is not a character"


def shown(text: str, limit: int = 60) -> str:
    """``text`` fit for a message: cut short, unprintable characters as escapes."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in cut)


def pointer_part(key: str) -> str:
    """One reference token of a JSON pointer (RFC 6901), shown printable."""
    return shown(key.replace("~", "~0").replace("/", "~1"))


def json_text_problem(value: Any, where: str = "") -> tuple[str, str] | None:
    """The JSON pointer and problem of the first string (value or key) in a parsed JSON
    document that cannot be stored, or None. Iterative, so depth costs no recursion."""
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            problem = bad_character(node)
            if problem is not None:
                return path or "/", problem
        elif isinstance(node, dict):
            for key, item in node.items():
                here = f"{path}/{pointer_part(key)}"
                problem = bad_character(key)
                if problem is not None:
                    return here, f"the key {problem}"
                stack.append((here, item))
        elif isinstance(node, list):
            stack.extend((f"{path}/{index}", item) for index, item in enumerate(node))
    return None


def pairs_problem(pairs: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The name and problem of the first name or value that cannot be stored, or None."""
    for name, value in pairs:
        for text in (name, value):
            problem = bad_character(text)
            if problem is not None:
                return name, problem
    return None


def _check(where: str, values: MultiDict[str, str]) -> None:
    found = pairs_problem(values.items(multi=True))
    if found is not None:
        name, problem = found
        raise BadRequest(f"The {where} field '{shown(name)}' {problem}.")


def init_inputs(app: Flask) -> None:
    @app.before_request
    def _refuse_unstorable_text() -> None:
        _check("query", request.args)
        if request.mimetype in FORM_TYPES:
            _check("form", request.form)
