"""The loader keeps YAML line numbers and reads scalars as ``yaml.safe_load`` does."""

from __future__ import annotations

import yaml

from ladder.loader import DATA_DIR, LoadResult
from ladder.yaml_lines import LineLoader, LList, LMap, parse_yaml
from tests.domain.ladder.ladder_testing import line_of

TEXT = """\
id: alpha
title: Alpha
levels:
  - id: one
    grade: 5
    responsibilities:
      - First
      - text: Second
        items: [a, b]
"""


def test_mappings_and_lists_carry_their_lines() -> None:
    data, problems = parse_yaml(TEXT, "alpha.yaml")
    assert problems == []
    assert isinstance(data, LMap)
    assert (data.line, data.lines) == (1, {"id": 1, "title": 2, "levels": 3})
    levels = data["levels"]
    assert isinstance(levels, LList)
    assert levels.lines == [4]
    level = levels[0]
    assert (level.line, level.lines["grade"], level.lines["responsibilities"]) == (4, 5, 6)
    assert level["responsibilities"].lines == [7, 8]
    assert level["responsibilities"][1].lines["items"] == 9


def test_parsed_values_equal_safe_load() -> None:
    text = TEXT + "extra:\n  hex: 0x10\n  yes_: yes\n  nothing: ~\n  ratio: 1.5\n  quoted: '12'\n"
    data, problems = parse_yaml(text, "alpha.yaml")
    assert problems == []
    assert data == yaml.safe_load(text)
    assert data["extra"] == {"hex": 16, "yes_": True, "nothing": None, "ratio": 1.5, "quoted": "12"}


def test_an_empty_document() -> None:
    assert parse_yaml("", "x.yaml") == (None, [])


def test_the_line_loader_uses_libyaml_when_available() -> None:
    base = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert issubclass(LineLoader, base)


def test_shipped_notes_point_at_their_lines(shipped: LoadResult) -> None:
    text = (DATA_DIR / "customer-success-management.yaml").read_text(encoding="utf-8")
    (note,) = [p for p in shipped.notes if "is a job grade level 11" in p.message]
    assert note.file.endswith("customer-success-management.yaml")
    assert note.line == line_of(text, "The Director of CSM is a job grade level 11")
    level = shipped.ladder.level("senior-director-csm")
    assert level.source_line == 266
    assert level.grade == 11
