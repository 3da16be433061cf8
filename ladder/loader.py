"""Read the ladder's YAML files, keeping line numbers, and build and validate the model.

Nothing here raises on bad data: every problem becomes a :class:`~ladder.model.Problem`
(``file:line: message``) and the loader carries on, so one run reports all of them.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ladder.model import (
    KINDS,
    CareerLadder,
    Competency,
    CompetencySet,
    ConductedBy,
    Expectation,
    Expectations,
    Extends,
    Family,
    HiringProcess,
    Item,
    Ladder,
    Level,
    Measure,
    Move,
    Problem,
    ReportsTo,
    Role,
    Severity,
    Source,
    Specialty,
    Stage,
    Track,
)

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

DATA_DIR = Path(__file__).resolve().parent / "data"
COMPETENCIES_FILE = "competencies.yaml"

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

# ---------------------------------------------------------------------------------------------
# YAML with line numbers


class LineLoader(_BaseLoader):
    """A safe loader whose composed nodes keep their start marks (line numbers)."""


class LMap(dict[str, Any]):
    """A mapping read from YAML: ``line`` of the mapping, ``lines[key]`` of each key."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int | None = None) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


class LList(list[Any]):
    """A sequence read from YAML: ``line`` of the sequence, ``lines[i]`` of each entry."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int | None = None) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_FLOAT = "tag:yaml.org,2002:float"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _Converter:
    """Turns a composed node tree into LMap/LList/scalars, reporting what it cannot take."""

    __slots__ = ("active", "file", "problems")

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.active: set[int] = set()

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, message))

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _INT:
            try:
                return int(node.value)
            except ValueError:
                return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on")
        if tag == _FLOAT:
            return _CONSTRUCTOR.construct_yaml_float(node)
        if tag.startswith("tag:yaml.org,2002:"):
            try:
                return _CONSTRUCTOR.construct_object(node, deep=True)
            except yaml.YAMLError:
                pass
        self.error(node, f"unsupported YAML tag {tag!r}")
        return node.value

    def convert(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        key = id(node)
        if key in self.active:
            self.error(node, "recursive alias: a node contains itself")
            return None
        self.active.add(key)
        try:
            if isinstance(node, MappingNode):
                return self.mapping(node)
            if isinstance(node, SequenceNode):
                return self.sequence(node)
        finally:
            self.active.discard(key)
        return None  # pragma: no cover - the composer only builds the three node kinds

    def mapping(self, node: MappingNode) -> LMap:
        if node.tag != _MAP:
            self.error(node, f"unsupported YAML tag {node.tag!r}")
        result = LMap(node.start_mark.line + 1)
        lines = result.lines
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _MERGE):
                self.error(key_node, "mapping keys must be plain strings")
                continue
            if key_node.tag == _MERGE:
                self.error(key_node, "merge keys ('<<') are not supported")
                continue
            key = key_node.value
            if key in lines:
                self.error(key_node, f"duplicate key {key!r} (first at line {lines[key]})")
                continue
            result[key] = self.convert(value_node)
            lines[key] = line
        return result

    def sequence(self, node: SequenceNode) -> LList:
        if node.tag != _SEQ:
            self.error(node, f"unsupported YAML tag {node.tag!r}")
        result = LList(node.start_mark.line + 1)
        lines = result.lines
        for child in node.value:
            result.append(self.convert(child))
            lines.append(child.start_mark.line + 1)
        return result


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into LMap/LList/scalars; problems instead of exceptions."""
    problems: list[Problem] = []
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [Problem(file, line, f"malformed YAML: {detail or exc}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, None, f"malformed YAML: {exc}")]
    finally:
        loader.dispose()
    if node is None:
        return None, problems
    return _Converter(file, problems).convert(node), problems


def read_yaml_file(path: Path) -> tuple[Any, list[Problem]]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, None, f"cannot read file: not UTF-8 ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(file, None, f"cannot read file: {exc.strerror or exc}")]
    return parse_yaml(text, file)


# ---------------------------------------------------------------------------------------------
# Canonical output


class _FlowList(list[Any]):
    """A list of ids written on one line: ``[csm, senior-csm]``."""


class _PyDumper(yaml.SafeDumper):
    """Pure-Python dumper (the C emitter cannot choose styles per scalar)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style: str = super().choose_scalar_style()
        event = self.event
        if style == "'" and isinstance(event, yaml.ScalarEvent):
            value = event.value
            if value.count("'") > value.count('"') and "\\" not in value:
                return '"'
        return style


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence(_SEQ, data, flow_style=True)


_PyDumper.add_representer(_FlowList, _represent_flow_list)

_FLOW_UNDER = frozenset({"extends"})
_FLOW_KEYS = frozenset({"applies_to", "roles", "segments"})


def _flow_ids(value: Any, key: str | None = None, parent: str | None = None) -> Any:
    if isinstance(value, Mapping):
        return {k: _flow_ids(v, k, key) for k, v in value.items()}
    if isinstance(value, list):
        flow = (
            parent in _FLOW_UNDER
            or key in _FLOW_KEYS
            or (key == "levels" and parent == "reports_to")
        )
        if flow and all(isinstance(v, str) for v in value):
            return _FlowList(value)
        return [_flow_ids(v) for v in value]
    return value


def dump_family(data: Mapping[str, Any]) -> str:
    """The canonical YAML text of a family file (or of ``competencies.yaml``).

    ``yaml.safe_load(dump_family(d)) == d`` for any mapping of strings, numbers, booleans,
    lists and mappings.
    """
    text: str = yaml.dump(
        _flow_ids(data),
        Dumper=_PyDumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    return text


# ---------------------------------------------------------------------------------------------
# Reading typed fields


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


def _line_of(container: Any, key: str | int | None = None) -> int | None:
    lines = getattr(container, "lines", None)
    line: Any = None
    if isinstance(key, str) and isinstance(lines, dict):
        line = lines.get(key)
    elif isinstance(key, int) and isinstance(lines, list) and key < len(lines):
        line = lines[key]
    if line is None:
        line = getattr(container, "line", None)
    return line if isinstance(line, int) else None


class _Reader:
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
                    _line_of(m, key),
                    f"{what}: unknown key {key!r}{did_you_mean(key, allowed)}",
                )
        for key in required:
            if key not in m:
                self.error(_line_of(m), f"{what}: missing required key {key!r}")

    def string(self, m: Mapping[str, Any], key: str, what: str) -> str | None:
        if key not in m:
            return None
        value = m[key]
        line = _line_of(m, key)
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
                _line_of(m, key),
                f"{what}: invalid id {value!r}: use lowercase letters, digits and hyphens",
            )
            return None
        return value

    def integer(self, m: Mapping[str, Any], key: str, what: str, minimum: int) -> int | None:
        if key not in m:
            return None
        value = m[key]
        line = _line_of(m, key)
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
        line = _line_of(m, key)
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
            line = _line_of(values, index)
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
            line = _line_of(values, index)
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
            line = _line_of(values, index)
            label = f"{what}: {key}[{index}]"
            if isinstance(value, str):
                if value.strip():
                    out.append(Item(value))
                else:
                    self.error(line, f"{label} must not be empty")
            elif isinstance(value, Mapping):
                self.keys(value, label, _ITEM_KEYS, ("text",))
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

    def notes(self, m: Mapping[str, Any], what: str) -> tuple[str, ...]:
        values = self.strings(m, "notes", what)
        seq = m.get("notes")
        for index, text in enumerate(values):
            self.note(
                _line_of(seq, index) if isinstance(seq, list) else _line_of(m), f"{what}: {text}"
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


_ITEM_KEYS = frozenset({"text", "items"})
_SOURCE_KEYS = frozenset({"file", "licence", "url"})
_FAMILY_KEYS = frozenset(
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
        "levels",
        "specialties",
        "career_ladder",
        "hiring_process",
        "expectations",
        "notes",
    }
)
_LEVEL_KEYS = frozenset(
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
        "notes",
    }
)
_EXTENDS_KEYS = frozenset(KINDS)
_REPORTS_TO_KEYS = frozenset({"levels", "text"})
_SPECIALTY_KEYS = frozenset(
    {
        "id",
        "title",
        "source_line",
        "applies_to",
        "responsibilities",
        "requirements",
        "performance_indicators",
        "notes",
    }
)
_CAREER_KEYS = frozenset({"text", "moves"})
_MOVE_KEYS = frozenset({"text", "family", "level"})
_HIRING_KEYS = frozenset({"intro", "stages", "outro"})
_STAGE_KEYS = frozenset(
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
_CONDUCTED_KEYS = frozenset({"text", "roles", "level", "selected_by"})
_EXPECTATIONS_KEYS = frozenset({"title", "source", "items", "notes"})
_EXPECTATION_KEYS = frozenset({"id", "title", "url", "source_line", "context", "measures"})
_MEASURE_KEYS = frozenset({"text", "segments", "lead_in"})
_COMPETENCIES_FILE_KEYS = frozenset({"source", "sets"})
_SET_KEYS = frozenset({"id", "title", "intro", "competencies", "notes"})
_COMPETENCY_KEYS = frozenset({"id", "name", "description"})
_TRACKS = tuple(t.value for t in Track)
_ROLES = tuple(r.value for r in Role)


# ---------------------------------------------------------------------------------------------
# Building the model from one document


@dataclass(frozen=True, slots=True)
class _Ref:
    """A reference to check once every file is read."""

    file: str
    line: int | None
    target: str
    kind: str  # "level", "family", "level-or-family", "competency-set"
    what: str


@dataclass(slots=True)
class _Collected:
    """What the builders gather besides the model: references and id positions."""

    refs: list[_Ref]
    level_lines: dict[str, tuple[str, int | None]]
    family_lines: dict[str, tuple[str, int | None]]
    extends_lines: dict[tuple[str, str, str], int | None]
    reports_lines: dict[tuple[str, str], int | None]


class _FamilyBuilder:
    def __init__(self, reader: _Reader, collected: _Collected) -> None:
        self.r = reader
        self.c = collected

    def ref(self, line: int | None, target: str, kind: str, what: str) -> None:
        self.c.refs.append(_Ref(self.r.file, line, target, kind, what))

    def source(self, m: Mapping[str, Any], what: str) -> Source | None:
        if "source" not in m:
            return None
        value = self.r.mapping(m["source"], _line_of(m, "source"), f"{what}: 'source'")
        if value is None:
            return None
        label = f"{what}: source"
        self.r.keys(value, label, _SOURCE_KEYS, ("file",))
        file = self.r.string(value, "file", label)
        if file is None:
            return None
        return Source(
            file, self.r.string(value, "licence", label), self.r.string(value, "url", label)
        )

    def family(self, m: Mapping[str, Any], stem: str) -> Family | None:
        r = self.r
        family_id = r.ident(m, "id", "family")
        what = f"family {family_id!r}" if family_id else "family"
        r.keys(m, what, _FAMILY_KEYS, ("id", "title", "levels"))
        title = r.string(m, "title", what)
        if family_id is not None and family_id != stem:
            r.error(
                _line_of(m, "id"),
                f"{what}: id does not match the file name {stem!r}.yaml",
            )
        fid = family_id or stem
        competencies = r.ident(m, "competencies", what)
        if competencies is not None:
            self.ref(_line_of(m, "competencies"), competencies, "competency-set", what)
        levels = self.levels(m, fid, what)
        specialties = self.specialties(m, fid, what, levels)
        family = Family(
            id=fid,
            title=title or fid,
            levels=levels,
            description=r.string(m, "description", what),
            source=self.source(m, what),
            intro=r.strings(m, "intro", what),
            competencies=competencies,
            responsibilities=r.items(m, "responsibilities", what),
            requirements=r.items(m, "requirements", what),
            performance_indicators=r.items(m, "performance_indicators", what),
            specialties=specialties,
            career_ladder=self.career_ladder(m, what),
            hiring_process=self.hiring_process(m, what),
            expectations=self.expectations(m, what, specialties),
            notes=r.notes(m, what),
            file=r.file,
        )
        if family_id is not None:
            previous = self.c.family_lines.get(family_id)
            if previous is not None:
                r.error(
                    _line_of(m, "id"),
                    f"duplicate family id {family_id!r} (also at {_where(*previous)})",
                )
            else:
                self.c.family_lines[family_id] = (r.file, _line_of(m, "id"))
        return family

    def list_of_mappings(
        self, m: Mapping[str, Any], key: str, what: str
    ) -> Iterator[tuple[Mapping[str, Any], int | None]]:
        values = self.r.seq(m, key, what)
        if values is None:
            return
        for index, value in enumerate(values):
            line = _line_of(values, index)
            checked = self.r.mapping(value, line, f"{what}: {key}[{index}]")
            if checked is not None:
                yield checked, line

    def levels(self, m: Mapping[str, Any], family_id: str, what: str) -> tuple[Level, ...]:
        out: list[Level] = []
        for value, line in self.list_of_mappings(m, "levels", what):
            level = self.level(value, line, family_id)
            if level is not None:
                out.append(level)
        return tuple(out)

    def level(self, m: Mapping[str, Any], line: int | None, family_id: str) -> Level | None:
        r = self.r
        level_id = r.ident(m, "id", "level")
        what = f"level {level_id!r}" if level_id else "level"
        r.keys(m, what, _LEVEL_KEYS, ("id", "title", "track"))
        title = r.string(m, "title", what)
        track_value = m.get("track")
        track = (
            r.enum_value(track_value, _line_of(m, "track"), f"{what}: 'track'", _TRACKS)
            if "track" in m
            else None
        )
        extends = self.extends(m, level_id, what)
        reports_to = self.reports_to(m, level_id, what)
        short_title = r.string(m, "short_title", what)
        grade = r.integer(m, "grade", what, 1)
        description = r.strings(m, "description", what)
        market_justification = r.string(m, "market_justification", what)
        defined_elsewhere = r.string(m, "defined_elsewhere", what)
        responsibilities = r.items(m, "responsibilities", what)
        requirements = r.items(m, "requirements", what)
        performance_indicators = r.items(m, "performance_indicators", what)
        notes = r.notes(m, what)
        source_line = r.integer(m, "source_line", what, 1)
        level = (
            None
            if level_id is None or title is None or track is None
            else Level(
                id=level_id,
                family=family_id,
                title=title,
                track=Track(track),
                short_title=short_title,
                grade=grade,
                reports_to=reports_to,
                description=description,
                market_justification=market_justification,
                defined_elsewhere=defined_elsewhere,
                extends=extends,
                responsibilities=responsibilities,
                requirements=requirements,
                performance_indicators=performance_indicators,
                notes=notes,
                source_line=source_line,
            )
        )
        if level_id is not None:
            previous = self.c.level_lines.get(level_id)
            if previous is not None:
                r.error(
                    _line_of(m, "id"),
                    f"duplicate level id {level_id!r} (also at {_where(*previous)})",
                )
                return None
            self.c.level_lines[level_id] = (r.file, _line_of(m, "id"))
        return level

    def extends(self, m: Mapping[str, Any], level_id: str | None, what: str) -> Extends:
        if "extends" not in m:
            return Extends()
        value = self.r.mapping(m["extends"], _line_of(m, "extends"), f"{what}: 'extends'")
        if value is None:
            return Extends()
        label = f"{what}: extends"
        self.r.keys(value, label, _EXTENDS_KEYS)
        if not value:
            self.r.error(_line_of(m, "extends"), f"{label} must not be empty (omit the key)")
        lists: dict[str, tuple[str, ...]] = {}
        for kind in KINDS:
            entries = self.r.ids(value, kind, label)
            ids: list[str] = []
            for target, line in entries:
                if target in ids:
                    self.r.error(line, f"{label}.{kind}: {target!r} is listed twice")
                    continue
                ids.append(target)
                self.ref(line, target, "level-or-family", f"{label}.{kind}")
                if level_id is not None:
                    self.c.extends_lines.setdefault((level_id, kind, target), line)
            lists[kind] = tuple(ids)
        return Extends(
            lists["responsibilities"], lists["requirements"], lists["performance_indicators"]
        )

    def reports_to(self, m: Mapping[str, Any], level_id: str | None, what: str) -> ReportsTo | None:
        if "reports_to" not in m:
            return None
        value = self.r.mapping(m["reports_to"], _line_of(m, "reports_to"), f"{what}: 'reports_to'")
        if value is None:
            return None
        label = f"{what}: reports_to"
        self.r.keys(value, label, _REPORTS_TO_KEYS)
        targets: list[str] = []
        for target, line in self.r.ids(value, "levels", label):
            self.ref(line, target, "level", f"{label}.levels")
            targets.append(target)
            if level_id is not None:
                self.c.reports_lines.setdefault((level_id, target), line)
        text = self.r.string(value, "text", label)
        if "levels" not in value and "text" not in value:
            self.r.error(_line_of(m, "reports_to"), f"{label} needs 'levels' or 'text'")
        return ReportsTo(tuple(targets), text)

    def specialties(
        self, m: Mapping[str, Any], family_id: str, what: str, levels: tuple[Level, ...]
    ) -> tuple[Specialty, ...]:
        r = self.r
        out: list[Specialty] = []
        seen: dict[str, int | None] = {}
        level_ids = [lv.id for lv in levels]
        for value, line in self.list_of_mappings(m, "specialties", what):
            specialty_id = r.ident(value, "id", "specialty")
            label = f"specialty {specialty_id!r}" if specialty_id else "specialty"
            r.keys(value, label, _SPECIALTY_KEYS, ("id", "title"))
            title = r.string(value, "title", label)
            applies_to: list[str] = []
            for target, target_line in r.ids(value, "applies_to", label):
                if target not in level_ids:
                    r.error(
                        target_line,
                        f"{label}: applies_to names {target!r}, which is not a level of "
                        f"family {family_id!r}{did_you_mean(target, level_ids)}",
                    )
                else:
                    applies_to.append(target)
            specialty = Specialty(
                id=specialty_id or "",
                family=family_id,
                title=title or "",
                applies_to=tuple(applies_to),
                responsibilities=r.items(value, "responsibilities", label),
                requirements=r.items(value, "requirements", label),
                performance_indicators=r.items(value, "performance_indicators", label),
                notes=r.notes(value, label),
                source_line=r.integer(value, "source_line", label, 1),
            )
            if specialty_id is None or title is None:
                continue
            if specialty_id in seen:
                r.error(
                    _line_of(value, "id"),
                    f"duplicate specialty id {specialty_id!r} in family {family_id!r} "
                    f"(also at line {seen[specialty_id]})",
                )
                continue
            seen[specialty_id] = _line_of(value, "id")
            if not (
                specialty.responsibilities
                or specialty.requirements
                or specialty.performance_indicators
            ):
                r.error(line, f"{label} has no responsibilities, requirements or indicators")
            out.append(specialty)
        return tuple(out)

    def career_ladder(self, m: Mapping[str, Any], what: str) -> CareerLadder | None:
        if "career_ladder" not in m:
            return None
        r = self.r
        value = r.mapping(
            m["career_ladder"], _line_of(m, "career_ladder"), f"{what}: 'career_ladder'"
        )
        if value is None:
            return None
        label = f"{what}: career_ladder"
        r.keys(value, label, _CAREER_KEYS, ("text",))
        moves: list[Move] = []
        for index, (move, _line) in enumerate(self.list_of_mappings(value, "moves", label)):
            move_label = f"{label}: moves[{index}]"
            r.keys(move, move_label, _MOVE_KEYS, ("text",))
            text = r.string(move, "text", move_label)
            family = r.ident(move, "family", move_label)
            level = r.ident(move, "level", move_label)
            if family is not None:
                self.ref(_line_of(move, "family"), family, "family", move_label)
            if level is not None:
                self.ref(_line_of(move, "level"), level, "level", move_label)
                if family is not None:
                    self.c.refs.append(
                        _Ref(
                            r.file, _line_of(move, "level"), level, f"level-in:{family}", move_label
                        )
                    )
            if text is not None:
                moves.append(Move(text, family, level))
        return CareerLadder(r.strings(value, "text", label), tuple(moves))

    def hiring_process(self, m: Mapping[str, Any], what: str) -> HiringProcess | None:
        if "hiring_process" not in m:
            return None
        r = self.r
        value = r.mapping(
            m["hiring_process"], _line_of(m, "hiring_process"), f"{what}: 'hiring_process'"
        )
        if value is None:
            return None
        label = f"{what}: hiring_process"
        r.keys(value, label, _HIRING_KEYS, ("stages",))
        stages: list[Stage] = []
        seen: dict[str, int | None] = {}
        for stage_map, _line in self.list_of_mappings(value, "stages", label):
            stage = self.stage(stage_map)
            if stage is None:
                continue
            if stage.id in seen:
                r.error(
                    _line_of(stage_map, "id"),
                    f"duplicate stage id {stage.id!r} (also at line {seen[stage.id]})",
                )
                continue
            seen[stage.id] = _line_of(stage_map, "id")
            stages.append(stage)
        return HiringProcess(
            tuple(stages), r.strings(value, "intro", label), r.strings(value, "outro", label)
        )

    def stage(self, m: Mapping[str, Any]) -> Stage | None:
        r = self.r
        stage_id = r.ident(m, "id", "stage")
        what = f"stage {stage_id!r}" if stage_id else "stage"
        r.keys(m, what, _STAGE_KEYS, ("id", "name", "text"))
        name = r.string(m, "name", what)
        text = r.strings(m, "text", what)
        conducted_by = self.conducted_by(m, what)
        stage = Stage(
            id=stage_id or "",
            name=name or "",
            text=text,
            duration_minutes=r.integer(m, "duration_minutes", what, 1),
            conducted_by=conducted_by,
            format=r.strings(m, "format", what),
            notes=r.notes(m, what),
            source_line=r.integer(m, "source_line", what, 1),
            scorecard_focus=r.strings(m, "scorecard_focus", what)
            if "scorecard_focus" in m
            else None,
        )
        if stage_id is None or name is None or not text:
            return None
        return stage

    def conducted_by(self, m: Mapping[str, Any], what: str) -> ConductedBy | None:
        if "conducted_by" not in m:
            return None
        r = self.r
        value = r.mapping(m["conducted_by"], _line_of(m, "conducted_by"), f"{what}: 'conducted_by'")
        if value is None:
            return None
        label = f"{what}: conducted_by"
        r.keys(value, label, _CONDUCTED_KEYS, ("text",))
        roles: list[Role] = []
        role_values = r.seq(value, "roles", label)
        for index, role_value in enumerate(role_values or ()):
            checked = r.enum_value(
                role_value, _line_of(role_values, index), f"{label}: roles[{index}]", _ROLES
            )
            if checked is not None:
                roles.append(Role(checked))
        selected_by = None
        if "selected_by" in value:
            checked = r.enum_value(
                value["selected_by"],
                _line_of(value, "selected_by"),
                f"{label}: 'selected_by'",
                _ROLES,
            )
            selected_by = Role(checked) if checked is not None else None
        level = r.ident(value, "level", label)
        if level is not None:
            self.ref(_line_of(value, "level"), level, "level", label)
        text = r.string(value, "text", label)
        if text is None:
            return None
        return ConductedBy(text, tuple(roles), level, selected_by)

    def expectations(
        self, m: Mapping[str, Any], what: str, specialties: tuple[Specialty, ...]
    ) -> Expectations | None:
        if "expectations" not in m:
            return None
        r = self.r
        value = r.mapping(m["expectations"], _line_of(m, "expectations"), f"{what}: 'expectations'")
        if value is None:
            return None
        label = f"{what}: expectations"
        r.keys(value, label, _EXPECTATIONS_KEYS, ("title", "items"))
        segments = [s.id for s in specialties]
        items: list[Expectation] = []
        seen: dict[str, int | None] = {}
        for item_map, _line in self.list_of_mappings(value, "items", label):
            item = self.expectation(item_map, segments)
            if item is None:
                continue
            if item.id in seen:
                r.error(
                    _line_of(item_map, "id"),
                    f"duplicate expectation id {item.id!r} (also at line {seen[item.id]})",
                )
                continue
            seen[item.id] = _line_of(item_map, "id")
            items.append(item)
        title = r.string(value, "title", label)
        return Expectations(
            title or "", tuple(items), self.source(value, label), r.notes(value, label)
        )

    def expectation(self, m: Mapping[str, Any], segments: list[str]) -> Expectation | None:
        r = self.r
        item_id = r.ident(m, "id", "expectation")
        what = f"expectation {item_id!r}" if item_id else "expectation"
        r.keys(m, what, _EXPECTATION_KEYS, ("id", "title", "context", "measures"))
        title = r.string(m, "title", what)
        context = r.items(m, "context", what)
        measures: list[Measure] = []
        for index, (measure, _line) in enumerate(self.list_of_mappings(m, "measures", what)):
            label = f"{what}: measures[{index}]"
            r.keys(measure, label, _MEASURE_KEYS, ("text",))
            text = r.string(measure, "text", label)
            chosen: list[str] = []
            for segment, line in r.ids(measure, "segments", label):
                if segment not in segments:
                    r.error(
                        line,
                        f"{label}: unknown segment {segment!r}: segments are the family's "
                        f"specialties{did_you_mean(segment, segments)}",
                    )
                else:
                    chosen.append(segment)
            if text is not None:
                measures.append(Measure(text, tuple(chosen), r.string(measure, "lead_in", label)))
        url = r.string(m, "url", what)
        source_line = r.integer(m, "source_line", what, 1)
        if item_id is None or title is None or not context or not measures:
            return None
        return Expectation(item_id, title, context, tuple(measures), url, source_line)


def _where(file: str, line: int | None) -> str:
    return file if line is None else f"{file}:{line}"


def _competency_sets(
    data: Mapping[str, Any], reader: _Reader, seen_sets: dict[str, tuple[str, int | None]]
) -> tuple[CompetencySet, ...]:
    r = reader
    r.keys(data, "competencies file", _COMPETENCIES_FILE_KEYS, ("sets",))
    builder = _FamilyBuilder(r, _Collected([], {}, {}, {}, {}))
    builder.source(data, "competencies file")
    out: list[CompetencySet] = []
    for value, _line in builder.list_of_mappings(data, "sets", "competencies file"):
        set_id = r.ident(value, "id", "competency set")
        what = f"competency set {set_id!r}" if set_id else "competency set"
        r.keys(value, what, _SET_KEYS, ("id", "title", "competencies"))
        title = r.string(value, "title", what)
        competencies: list[Competency] = []
        seen: dict[str, int | None] = {}
        for comp, _cline in builder.list_of_mappings(value, "competencies", what):
            comp_id = r.ident(comp, "id", "competency")
            label = f"competency {comp_id!r}" if comp_id else "competency"
            r.keys(comp, label, _COMPETENCY_KEYS, ("id", "name", "description"))
            name = r.string(comp, "name", label)
            description = r.string(comp, "description", label)
            if comp_id is None or name is None or description is None:
                continue
            if comp_id in seen:
                r.error(
                    _line_of(comp, "id"),
                    f"duplicate competency id {comp_id!r} in {what} (also at line {seen[comp_id]})",
                )
                continue
            seen[comp_id] = _line_of(comp, "id")
            competencies.append(Competency(comp_id, name, description))
        intro = r.strings(value, "intro", what)
        notes = r.notes(value, what)
        if set_id is None or title is None or not competencies:
            continue
        if set_id in seen_sets:
            r.error(
                _line_of(value, "id"),
                f"duplicate competency set id {set_id!r} (also at {_where(*seen_sets[set_id])})",
            )
            continue
        seen_sets[set_id] = (r.file, _line_of(value, "id"))
        out.append(CompetencySet(set_id, title, tuple(competencies), intro, notes))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Whole-ladder checks


def _check_refs(
    refs: list[_Ref],
    ladder_levels: Mapping[str, Level],
    level_ids: Mapping[str, object],
    families: Mapping[str, object],
    sets: Iterable[str],
    problems: list[Problem],
) -> None:
    """Report references to ids nobody declares (a declared but broken object is not
    reported again)."""
    set_ids = list(sets)
    for ref in refs:
        if ref.kind == "level":
            if ref.target not in level_ids:
                hint = did_you_mean(ref.target, level_ids)
                problems.append(
                    Problem(ref.file, ref.line, f"{ref.what}: unknown level {ref.target!r}{hint}")
                )
        elif ref.kind == "family":
            if ref.target not in families:
                hint = did_you_mean(ref.target, families)
                problems.append(
                    Problem(ref.file, ref.line, f"{ref.what}: unknown family {ref.target!r}{hint}")
                )
        elif ref.kind == "level-or-family":
            if ref.target not in level_ids and ref.target not in families:
                hint = did_you_mean(ref.target, [*level_ids, *families])
                problems.append(
                    Problem(
                        ref.file,
                        ref.line,
                        f"{ref.what}: unknown level or family {ref.target!r}{hint}",
                    )
                )
        elif ref.kind == "competency-set":
            if ref.target not in set_ids:
                hint = did_you_mean(ref.target, set_ids)
                problems.append(
                    Problem(
                        ref.file,
                        ref.line,
                        f"{ref.what}: unknown competency set {ref.target!r}{hint}",
                    )
                )
        elif ref.kind.startswith("level-in:"):
            family_id = ref.kind.removeprefix("level-in:")
            level = ladder_levels.get(ref.target)
            if level is not None and family_id in families and level.family != family_id:
                problems.append(
                    Problem(
                        ref.file,
                        ref.line,
                        f"{ref.what}: level {ref.target!r} is not in family {family_id!r}",
                    )
                )


def _find_cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Every elementary cycle reachable by DFS, each once, as ``[a, b, …, a]``."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if child not in graph:
                continue
            if state.get(child) == 1:
                cycle = [*path[path.index(child) :], child]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    cycles.append(cycle)
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph.get(child, ()))))
    return cycles


def _check_levels(
    families: Sequence[Family], collected: _Collected, problems: list[Problem]
) -> None:
    levels = {lv.id: lv for fam in families for lv in fam.levels}
    family_ids = {fam.id: fam for fam in families}
    files = {lv.id: fam.file for fam in families for lv in fam.levels}

    for family_id, (file, line) in collected.family_lines.items():
        if family_id in collected.level_lines:
            other = _where(*collected.level_lines[family_id])
            problems.append(
                Problem(file, line, f"id {family_id!r} is used by a family and a level ({other})")
            )

    for kind in KINDS:
        graph = {lv.id: lv.extends.of(kind) for lv in levels.values()}
        for cycle in _find_cycles(graph):
            first = min(cycle[:-1])
            rotated = cycle[cycle.index(first) : -1] + cycle[: cycle.index(first)] + [first]
            # rotation keeps the order of the cycle and starts at its smallest id
            line = collected.extends_lines.get((first, kind, rotated[1]))
            problems.append(
                Problem(
                    files[first],
                    line,
                    f"extends cycle in {kind}: {' -> '.join(rotated)}",
                )
            )
        for level in levels.values():
            for target in level.extends.of(kind):
                line = collected.extends_lines.get((level.id, kind, target))
                parent = levels.get(target)
                if parent is not None:
                    if (
                        level.grade is not None
                        and parent.grade is not None
                        and level.grade < parent.grade
                    ):
                        problems.append(
                            Problem(
                                files[level.id],
                                line,
                                f"level {level.id!r} (grade {level.grade}) extends {target!r} "
                                f"(grade {parent.grade}) in {kind}: its grade is below the "
                                "level it extends",
                            )
                        )
                elif target in family_ids and not family_ids[target].own(kind):
                    problems.append(
                        Problem(
                            files[level.id],
                            line,
                            f"level {level.id!r}: extends.{kind} names family {target!r}, "
                            f"which has no family-level {kind}",
                        )
                    )

    reports = {
        lv.id: lv.reports_to.levels if lv.reports_to is not None else () for lv in levels.values()
    }
    for cycle in _find_cycles(reports):
        first = min(cycle[:-1])
        rotated = cycle[cycle.index(first) : -1] + cycle[: cycle.index(first)] + [first]
        problems.append(
            Problem(
                files[first],
                collected.reports_lines.get((first, rotated[1])),
                f"reports-to cycle: {' -> '.join(rotated)}",
            )
        )
    for level in levels.values():
        for target in reports[level.id]:
            boss = levels.get(target)
            if (
                boss is not None
                and level.grade is not None
                and boss.grade is not None
                and boss.grade < level.grade
            ):
                problems.append(
                    Problem(
                        files[level.id],
                        collected.reports_lines.get((level.id, target)),
                        f"level {level.id!r} (grade {level.grade}) reports to {target!r} "
                        f"(grade {boss.grade}): the reports-to chain goes down in grade",
                    )
                )
        if (
            level.defined_elsewhere is None
            and not level.responsibilities
            and not level.extends.responsibilities
        ):
            problems.append(
                Problem(
                    files[level.id],
                    collected.level_lines[level.id][1],
                    f"level {level.id!r} has no responsibilities and extends none; "
                    "set defined_elsewhere if another page describes it",
                )
            )


# ---------------------------------------------------------------------------------------------
# Entry points


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The ladder built from the files (partial when there are errors) and every problem."""

    ladder: Ladder
    problems: tuple[Problem, ...]
    documents: Mapping[str, Any]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def notes(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.NOTE)

    @property
    def ok(self) -> bool:
        return not self.errors


def content_hash(documents: Mapping[str, Any]) -> str:
    """sha256 of a canonical JSON of the parsed documents, keyed by file name."""
    canonical = json.dumps(
        documents, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_ladder(documents: Sequence[tuple[str, Any]]) -> LoadResult:
    """Build and validate a ladder from parsed documents ``(file path, data)``.

    A document whose file is named ``competencies.yaml`` holds competency sets; every other
    document is a family. The data may be plain mappings (from the importer) or the
    line-carrying mappings of :func:`parse_yaml`.
    """
    problems: list[Problem] = []
    collected = _Collected([], {}, {}, {}, {})
    families: list[Family] = []
    sets: list[CompetencySet] = []
    seen_sets: dict[str, tuple[str, int | None]] = {}
    for file, data in documents:
        reader = _Reader(file, problems)
        name = Path(file).name
        if data is None:
            continue
        top = reader.mapping(data, _line_of(data) or 1, "the top of the file")
        if top is None:
            continue
        if name == COMPETENCIES_FILE:
            sets.extend(_competency_sets(top, reader, seen_sets))
            continue
        family = _FamilyBuilder(reader, collected).family(top, Path(file).stem)
        if family is not None:
            families.append(family)
    ladder_families = tuple(families)
    levels = {lv.id: lv for fam in ladder_families for lv in fam.levels}
    declared_levels = {**collected.level_lines, **levels}
    declared_families = {**collected.family_lines, **{fam.id: fam for fam in ladder_families}}
    _check_refs(
        collected.refs,
        levels,
        declared_levels,
        declared_families,
        (s.id for s in sets),
        problems,
    )
    _check_levels(ladder_families, collected, problems)
    by_name = {Path(file).name: data for file, data in documents}
    ladder = Ladder(ladder_families, tuple(sets), content_hash(by_name))
    return LoadResult(ladder, tuple(problems), by_name)


def data_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_ladder(directory: Path | None = None) -> LoadResult:
    """Load, build and validate every ``*.yaml`` file of ``directory`` (default: shipped data)."""
    folder = DATA_DIR if directory is None else directory
    documents: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    files = data_files(folder) if folder.is_dir() else []
    if not folder.is_dir():
        problems.append(Problem(str(folder), None, "not a directory"))
    elif not [p for p in files if p.name != COMPETENCIES_FILE]:
        problems.append(Problem(str(folder), None, "no family files (*.yaml) found"))
    for path in files:
        data, file_problems = read_yaml_file(path)
        problems.extend(file_problems)
        if data is None and not file_problems:
            problems.append(Problem(str(path), None, "the file is empty"))
        documents.append((str(path), data))
    result = build_ladder(documents)
    return LoadResult(result.ladder, (*problems, *result.problems), result.documents)


def load_family_documents(directory: Path | None = None) -> list[tuple[str, Any]]:
    """The parsed documents of a data directory, for :func:`build_ladder` (no validation)."""
    folder = DATA_DIR if directory is None else directory
    return [(str(path), read_yaml_file(path)[0]) for path in data_files(folder)]
