"""What an exported page carries besides its markdown body.

A page written by :func:`ladder.handbook.export_mapping` ends with an HTML comment
(invisible on the rendered page) opening with ``<!-- ladder-data`` that holds, as YAML,
the ``overrides`` that turn what the importer reads from the page into the exact family
data: facts the handbook format has no words for (source lines,
notes, the licence of the source, competencies, the responsibilities table) and any
reading the importer would get wrong.  An override is a path into the family mapping and
either a ``value`` or ``delete: true``::

    <!-- ladder-data
    overrides:
    - path: [levels, 3, source_line]
      value: 111
    - path: [notes]
      value: ['Typo kept as written: ...']
    -->

Real handbook pages have no such key; for them this module does nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import yaml

__all__ = ["METADATA_MARK", "apply_metadata", "diff_ops", "read_metadata_comment"]

METADATA_MARK = "ladder-data"

Path_ = list[str | int]


def diff_ops(source: Any, target: Any, path: Path_ | None = None) -> list[dict[str, Any]]:
    """The overrides that turn ``source`` into ``target`` (mappings compared key by key,
    lists of equal length item by item, anything else replaced whole)."""
    path = path or []
    if source == target:
        return []
    if isinstance(source, Mapping) and isinstance(target, Mapping):
        ops: list[dict[str, Any]] = []
        for key, value in target.items():
            if key not in source:
                ops.append({"path": [*path, key], "value": copy.deepcopy(value)})
            else:
                ops.extend(diff_ops(source[key], value, [*path, key]))
        for key in source:
            if key not in target:
                ops.append({"path": [*path, key], "delete": True})
        return ops
    if (
        isinstance(source, list)
        and isinstance(target, list)
        and len(source) == len(target)
        and all(isinstance(v, Mapping) for v in target)
    ):
        ops = []
        for index, (a, b) in enumerate(zip(source, target, strict=True)):
            ops.extend(diff_ops(a, b, [*path, index]))
        return ops
    return [{"path": path, "value": copy.deepcopy(target)}]


def read_metadata_comment(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The mapping of a ``<!-- ladder-data ... -->`` comment, or ``(None, problem)``."""
    body = text.strip()
    if not body.startswith("<!--") or not body.endswith("-->"):
        return None, None
    body = body[4:-3].strip()
    if not body.startswith(METADATA_MARK):
        return None, None
    try:
        data = yaml.safe_load(body[len(METADATA_MARK) :])
    except yaml.YAMLError:
        return None, "the ladder-data comment is not valid YAML; ignored"
    if not isinstance(data, dict):
        return None, "the ladder-data comment is not a mapping; ignored"
    return data, None


def apply_metadata(
    data: dict[str, Any],
    meta: Mapping[str, Any],
    warn: Callable[[str, int, str], None],
    file: str,
    line: int = 1,
) -> dict[str, Any]:
    """Apply the ``overrides`` of an exported page's ``ladder-data`` comment."""
    ops = meta.get("overrides") if meta else None
    if ops is None:
        return data
    if not isinstance(ops, list):
        warn(file, line, "'overrides' of the ladder-data comment is not a list; ignored")
        return data
    for number, op in enumerate(ops, start=1):
        if not isinstance(op, Mapping) or not isinstance(op.get("path"), list):
            warn(file, line, f"override {number} has no path; ignored")
            continue
        path = op["path"]
        if not path:
            if isinstance(op.get("value"), dict):
                data = copy.deepcopy(op["value"])
            else:
                warn(
                    file,
                    line,
                    f"override {number} replaces the family with a non-mapping; ignored",
                )
            continue
        parent: Any = data
        ok = True
        for step in path[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                ok = False
                break
        last = path[-1]
        if ok and isinstance(parent, dict) and isinstance(last, str):
            if op.get("delete"):
                parent.pop(last, None)
            elif "value" in op:
                parent[last] = copy.deepcopy(op["value"])
            else:
                ok = False
        elif ok and isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
            if "value" in op and not op.get("delete"):
                parent[last] = copy.deepcopy(op["value"])
            else:
                ok = False
        else:
            ok = False
        if not ok:
            warn(file, line, f"override {number} ({path!r}) does not fit the page; ignored")
    return data
