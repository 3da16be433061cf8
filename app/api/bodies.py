"""Strict JSON request bodies: an endpoint's fields, their types, and nothing else.

A body that is not a JSON object, has an unknown field or a value of the wrong JSON type
answers 400; values of the right type that are not valid are collected as
:class:`~app.api.errors.Problems` for one 422 that names every field. The same
definitions write the request schemas of the OpenAPI document, so the two cannot drift.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import request

from app.api.errors import ApiError, Problems
from app.inputs import DB_INT_MAX, json_text_problem


class Kind(StrEnum):
    STRING = "string"
    EMAIL = "email"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "date-time"
    STRING_LIST = "string-list"
    STRING_MAP = "string-map"


_JSON_TYPE = {
    Kind.STRING: "a string",
    Kind.EMAIL: "a string",
    Kind.INTEGER: "an integer",
    Kind.BOOLEAN: "true or false",
    Kind.DATE: "a string",
    Kind.DATETIME: "a string",
    Kind.STRING_LIST: "a list of strings",
    Kind.STRING_MAP: "an object whose values are strings",
}


#: Kinds whose values are free text (a string, or strings in a list or map): each field
#: of these kinds has a ``max_length`` (for a list or map: of each string in it).
TEXT_KINDS = frozenset({Kind.STRING, Kind.EMAIL, Kind.STRING_LIST, Kind.STRING_MAP})


@dataclass(frozen=True)
class Field:
    """One field of a body. An integer field is always bounded by what the database's
    INTEGER columns hold (``minimum``/``maximum`` narrow that), so an id or count too large
    to store is a 422 on the field, not a database error."""

    name: str
    kind: Kind
    description: str
    required: bool = False
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    example: Any = None
    #: Documented as the schema's enum; the services check the value.
    choices: tuple[str, ...] | None = None

    def has_type(self, value: object) -> bool:
        if self.kind is Kind.INTEGER:
            return isinstance(value, int) and not isinstance(value, bool)
        if self.kind is Kind.BOOLEAN:
            return isinstance(value, bool)
        if self.kind is Kind.STRING_LIST:
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        if self.kind is Kind.STRING_MAP:
            return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return isinstance(value, str)

    @property
    def low(self) -> int:
        return -DB_INT_MAX if self.minimum is None else max(self.minimum, -DB_INT_MAX)

    @property
    def high(self) -> int:
        return DB_INT_MAX if self.maximum is None else min(self.maximum, DB_INT_MAX)

    def _texts(self, value: Any) -> list[tuple[str, str]]:
        """(where, text) of every string of a text value."""
        if self.kind is Kind.STRING_LIST:
            return [(f"Entry {number}", v) for number, v in enumerate(value, start=1)]
        if self.kind is Kind.STRING_MAP:
            return [(f"The value of {key!r}", v) for key, v in value.items()]
        if self.kind in (Kind.STRING, Kind.EMAIL):
            return [("", value)]
        return []

    def _fits(self, value: Any, problems: Problems | None = None) -> bool:
        assert self.max_length is not None
        fits = True
        for where, text in self._texts(value):
            if len(text) > self.max_length:
                fits = False
                if problems is not None:
                    prefix = f"{where}: at most" if where else "At most"
                    problems.add(self.name, f"{prefix} {self.max_length} characters.")
        return fits

    def convert(self, value: Any, problems: Problems) -> Any:
        """The value as the view uses it; ``None`` when absent. Problems are added."""
        if isinstance(value, str):
            value = value.strip()
            if not value:
                value = None
        if value is None:
            if self.required:
                problems.add(self.name, "This field is required.")
            return copy.copy(self.default)
        if self.max_length is not None and not self._fits(value, problems):
            return None if self.kind in (Kind.STRING, Kind.EMAIL) else copy.copy(self.default)
        if self.kind is Kind.INTEGER and not self.low <= value <= self.high:
            bound = f"At least {self.low}." if value < self.low else f"At most {self.high}."
            problems.add(self.name, bound)
            return None  # never looked up or stored
        if self.kind is Kind.EMAIL:
            try:
                validate_email(value, check_deliverability=False)
            except EmailNotValidError as exc:
                problems.add(self.name, f"Not a valid e-mail address: {exc}")
                return None
        if self.kind is Kind.DATE:
            return _date(self.name, value, problems)
        if self.kind is Kind.DATETIME:
            return _datetime(self.name, value, problems)
        if self.kind is Kind.STRING_LIST:
            items = [v.strip() for v in value]
            if any(not v for v in items):
                problems.add(self.name, "The list has an empty entry.")
            return list(dict.fromkeys(v for v in items if v))
        return value

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any]
        text: dict[str, Any] = {"type": "string"}
        if self.max_length is not None:
            text["maxLength"] = self.max_length
        if self.kind is Kind.INTEGER:
            schema = {"type": "integer", "minimum": self.low, "maximum": self.high}
        elif self.kind is Kind.BOOLEAN:
            schema = {"type": "boolean"}
        elif self.kind is Kind.STRING_LIST:
            schema = {"type": "array", "items": text}
        elif self.kind is Kind.STRING_MAP:
            schema = {"type": "object", "additionalProperties": text}
        else:
            schema = text
            if self.kind is not Kind.STRING:
                schema["format"] = self.kind.value
            if self.choices is not None:
                schema["enum"] = list(self.choices)
        if not self.required:
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"].append(None)
        schema["description"] = self.description
        if self.default is not None:
            schema["default"] = self.default
        if self.example is not None:
            schema["examples"] = [self.example]
        return schema


def _date(name: str, value: str, problems: Problems) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.add(name, "Give a date as YYYY-MM-DD.")
        return None


def _datetime(name: str, value: str, problems: Problems) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.add(name, "Give a time in ISO 8601, e.g. 2030-03-04T10:00:00+01:00.")
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        problems.add(name, "Give the time with its UTC offset, e.g. 2030-03-04T10:00:00+01:00.")
        return None
    return parsed


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _load_json_object() -> dict[str, Any]:
    if not request.is_json:
        raise ApiError(
            400, "Send the body as a JSON object with the header 'Content-Type: application/json'."
        )
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ApiError(400, "The request body is empty; send a JSON object.")
    try:
        data = json.loads(raw, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except ValueError as exc:
        raise ApiError(400, f"The body is not valid JSON: {exc}.") from None
    except RecursionError:
        raise ApiError(
            400, "The body is not valid JSON for this API: it is nested too deeply."
        ) from None
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object, not " + type(data).__name__ + ".")
    found = json_text_problem(data)
    if found is not None:
        pointer, problem = found
        field = pointer.split("/")[1]
        raise ApiError(
            422,
            f"The text at {pointer} {problem}.",
            fields={field: [f"At {pointer}: {problem}."]},
            pointer=pointer,
        )
    return data


@dataclass(frozen=True)
class Body:
    """The JSON object an endpoint accepts: its fields, and nothing else."""

    fields: tuple[Field, ...]
    description: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def parse(self) -> tuple[dict[str, Any], Problems]:
        """Values by field name (absent ones as their default) and the value problems.

        Raises a 400 ``ApiError`` for a body that is not a JSON object, an unknown field or
        a value of the wrong JSON type; the caller adds its own problems and calls
        ``problems.check()``.
        """
        data = _load_json_object()
        unknown = sorted(set(data) - set(self.names))
        if unknown:
            accepted = ", ".join(self.names) or "no fields"
            raise ApiError(
                400,
                f"Unknown field(s): {', '.join(unknown)}. This endpoint accepts: {accepted}.",
                fields={name: ["Not a field of this endpoint."] for name in unknown},
            )
        wrong = {
            f.name: [f"Expected {_JSON_TYPE[f.kind]}."]
            for f in self.fields
            if data.get(f.name) is not None and not f.has_type(data[f.name])
        }
        if wrong:
            names = ", ".join(wrong)
            raise ApiError(400, f"Wrong JSON type for {names}; see 'fields'.", fields=wrong)
        problems = Problems()
        values = {f.name: f.convert(data.get(f.name), problems) for f in self.fields}
        return values, problems

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.name: f.schema() for f in self.fields},
        }
        required = [f.name for f in self.fields if f.required]
        if required:
            schema["required"] = required
        if self.description:
            schema["description"] = self.description
        return schema
