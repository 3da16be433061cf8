"""Write family data (or ``competencies.yaml``) as YAML text in the canonical layout of the
shipped files: block style, keys in the given order, lists of ids on one line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from ladder.yaml_lines import SEQ_TAG


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
    return dumper.represent_sequence(SEQ_TAG, data, flow_style=True)


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
