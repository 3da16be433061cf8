"""Read YAML keeping line numbers: every mapping and list remembers where it and its entries
start, so that a problem in the data can be reported as ``file:line``.

Nothing here raises on bad data: malformed YAML, unsupported tags, merge keys and duplicate
keys become :class:`~ladder.model.Problem` objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ladder.model import Problem

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


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
SEQ_TAG = "tag:yaml.org,2002:seq"  # also the tag the writer gives its one-line lists
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
        if node.tag != SEQ_TAG:
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
