"""What the ladder's files may contain, and typed access to what was read.

The key sets (``FAMILY_KEYS``, ``LEVEL_KEYS``, ...) and allowed values list what each
mapping of a family file or of ``competencies.yaml`` may hold. :class:`Reader` reads
strings, ids, integers, lists and items from the line-carrying mappings of
:mod:`ladder.yaml_lines` (or plain mappings) and records every mismatch as a
:class:`~ladder.model.Problem` with its line, never raising.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ladder.model import KINDS, Item, OtherList, Problem, Role, Severity, Track

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

ITEM_KEYS = frozenset({"text", "items"})
OTHER_LIST_KEYS = frozenset({"title", "items"})
SOURCE_KEYS = frozenset({"file", "licence", "url"})
FAMILY_KEYS = frozenset(
    {
        "id",
        "title",
        "description",
        "source",
        "intro",
        "competencies",
        "responsibilities",
        "requirements",
        "performance_indicators",
        "other_lists",
        "levels",
        "specialties",
        "career_ladder",
        "hiring_process",
        "expectations",
        "notes",
    }
)
LEVEL_KEYS = frozenset(
    {
        "id",
        "title",
        "short_title",
        "grade",
        "track",
        "source_line",
        "reports_to",
        "description",
        "market_justification",
        "defined_elsewhere",
        "extends",
        "responsibilities",
        "requirements",
        "performance_indicators",
        "other_lists",
        "notes",
    }
)
EXTENDS_KEYS = frozenset(KINDS)
REPORTS_TO_KEYS = frozenset({"levels", "text"})
SPECIALTY_KEYS = frozenset(
    {
        "id",
        "title",
        "source_line",
        "applies_to",
        "responsibilities",
        "requirements",
        "performance_indicators",
        "other_lists",
        "notes",
    }
)
CAREER_KEYS = frozenset({"text", "moves"})
MOVE_KEYS = frozenset({"text", "family", "level"})
HIRING_KEYS = frozenset({"intro", "stages", "outro"})
STAGE_KEYS = frozenset(
    {
        "id",
        "name",
        "source_line",
        "duration_minutes",
        "conducted_by",
        "format",
        "text",
        "notes",
        "scorecard_focus",
    }
)
CONDUCTED_KEYS = frozenset({"text", "roles", "level", "selected_by"})
EXPECTATIONS_KEYS = frozenset({"title", "source", "items", "notes"})
EXPECTATION_KEYS = frozenset({"id", "title", "url", "source_line", "context", "measures"})
MEASURE_KEYS = frozenset({"text", "segments", "lead_in"})
COMPETENCIES_FILE_KEYS = frozenset({"source", "sets"})
SET_KEYS = frozenset({"id", "title", "intro", "competencies", "notes"})
COMPETENCY_KEYS = frozenset({"id", "name", "description"})
TRACKS = tuple(t.value for t in Track)
ROLES = tuple(r.value for r in Role)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def line_of(container: Any, key: str | int | None = None) -> int | None:
    """The line of entry ``key`` of a mapping or list read by :mod:`ladder.yaml_lines`, else
    the line of the container itself; ``None`` for plain data."""
    lines = getattr(container, "lines", None)
    line: Any = None
    if isinstance(key, str) and isinstance(lines, dict):
        line = lines.get(key)
    elif isinstance(key, int) and isinstance(lines, list) and key < len(lines):
        line = lines[key]
    if line is None:
        line = getattr(container, "line", None)
    return line if isinstance(line, int) else None


def where(file: str, line: int | None) -> str:
    """``file:line``, or ``file`` when the line is not known."""
    return file if line is None else f"{file}:{line}"


class Reader:
    """Typed access to one file's mappings; every mismatch is recorded, never raised."""

    __slots__ = ("file", "problems")

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def note(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message, Severity.NOTE))

    def mapping(self, value: Any, line: int | None, what: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.error(line, f"{what} must be a mapping, found {_type_name(value)}")
        return None

    def keys(
        self,
        m: Mapping[str, Any],
        what: str,
        allowed: frozenset[str],
        required: Sequence[str] = (),
    ) -> None:
        for key in m:
            if key not in allowed:
                self.error(
                    line_of(m, key),
                    f"{what}: unknown key {key!r}{did_you_mean(key, allowed)}",
                )
        for key in required:
            if key not in m:
                self.error(line_of(m), f"{what}: missing required key {key!r}")

    def string(self, m: Mapping[str, Any], key: str, what: str) -> str | None:
        if key not in m:
            return None
        value = m[key]
        line = line_of(m, key)
        if not isinstance(value, str):
            self.error(line, f"{what}: {key!r} must be a string, found {_type_name(value)}")
            return None
        if not value.strip():
            self.error(line, f"{what}: {key!r} must not be empty")
            return None
        return value

    def ident(self, m: Mapping[str, Any], key: str, what: str) -> str | None:
        value = self.string(m, key, what)
        if value is not None and not _ID.match(value):
            self.error(
                line_of(m, key),
                f"{what}: invalid id {value!r}: use lowercase letters, digits and hyphens",
            )
            return None
        return value

    def integer(self, m: Mapping[str, Any], key: str, what: str, minimum: int) -> int | None:
        if key not in m:
            return None
        value = m[key]
        line = line_of(m, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(line, f"{what}: {key!r} must be an integer, found {_type_name(value)}")
            return None
        if value < minimum:
            self.error(line, f"{what}: {key!r} must be at least {minimum}, found {value}")
            return None
        return value

    def seq(self, m: Mapping[str, Any], key: str, what: str) -> Sequence[Any] | None:
        """The list under ``key``: ``None`` when absent, wrong or empty (reported)."""
        if key not in m:
            return None
        value = m[key]
        line = line_of(m, key)
        if not isinstance(value, list):
            self.error(line, f"{what}: {key!r} must be a list, found {_type_name(value)}")
            return None
        if not value:
            self.error(line, f"{what}: {key!r} must not be an empty list (omit the key instead)")
            return None
        return value

    def strings(self, m: Mapping[str, Any], key: str, what: str) -> tuple[str, ...]:
        values = self.seq(m, key, what)
        if values is None:
            return ()
        out: list[str] = []
        for index, value in enumerate(values):
            line = line_of(values, index)
            if not isinstance(value, str):
                self.error(
                    line, f"{what}: {key}[{index}] must be a string, found {_type_name(value)}"
                )
            elif not value.strip():
                self.error(line, f"{what}: {key}[{index}] must not be empty")
            else:
                out.append(value)
        return tuple(out)

    def ids(self, m: Mapping[str, Any], key: str, what: str) -> tuple[tuple[str, int | None], ...]:
        values = self.seq(m, key, what)
        if values is None:
            return ()
        out: list[tuple[str, int | None]] = []
        for index, value in enumerate(values):
            line = line_of(values, index)
            if not isinstance(value, str):
                self.error(line, f"{what}: {key}[{index}] must be an id, found {_type_name(value)}")
            elif not _ID.match(value):
                self.error(
                    line,
                    f"{what}: invalid id {value!r} in {key}: "
                    "use lowercase letters, digits and hyphens",
                )
            else:
                out.append((value, line))
        return tuple(out)

    def items(self, m: Mapping[str, Any], key: str, what: str) -> tuple[Item, ...]:
        values = self.seq(m, key, what)
        if values is None:
            return ()
        out: list[Item] = []
        for index, value in enumerate(values):
            line = line_of(values, index)
            label = f"{what}: {key}[{index}]"
            if isinstance(value, str):
                if value.strip():
                    out.append(Item(value))
                else:
                    self.error(line, f"{label} must not be empty")
            elif isinstance(value, Mapping):
                self.keys(value, label, ITEM_KEYS, ("text",))
                text = self.string(value, "text", label)
                subitems = self.strings(value, "items", label)
                if text is not None:
                    out.append(Item(text, subitems))
            else:
                self.error(
                    line,
                    f"{label} must be a string or a mapping with 'text', found {_type_name(value)}",
                )
        return tuple(out)

    def other_lists(self, m: Mapping[str, Any], what: str) -> tuple[OtherList, ...]:
        """``other_lists``: lists under headings of the page that are none of the three
        kinds, each ``{title, items}``."""
        values = self.seq(m, "other_lists", what)
        if values is None:
            return ()
        out: list[OtherList] = []
        for index, value in enumerate(values):
            label = f"{what}: other_lists[{index}]"
            checked = self.mapping(value, line_of(values, index), label)
            if checked is None:
                continue
            self.keys(checked, label, OTHER_LIST_KEYS, ("title", "items"))
            title = self.string(checked, "title", label)
            items = self.items(checked, "items", label)
            if title is not None and items:
                out.append(OtherList(title, items))
        return tuple(out)

    def notes(self, m: Mapping[str, Any], what: str) -> tuple[str, ...]:
        values = self.strings(m, "notes", what)
        seq = m.get("notes")
        for index, text in enumerate(values):
            self.note(
                line_of(seq, index) if isinstance(seq, list) else line_of(m), f"{what}: {text}"
            )
        return values

    def enum_value(
        self, value: Any, line: int | None, what: str, choices: Sequence[str]
    ) -> str | None:
        if isinstance(value, str) and value in choices:
            return value
        shown = repr(value) if isinstance(value, str) else _type_name(value)
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        self.error(line, f"{what} must be one of {', '.join(choices)}, found {shown}{hint}")
        return None
