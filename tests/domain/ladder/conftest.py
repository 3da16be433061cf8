"""Fixtures for the ladder domain tests: the shipped ladder and small ladders on disk."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ladder.loader import LoadResult, load_ladder
from ladder.writing import dump_family
from tests.domain.ladder.ladder_testing import base_family


@pytest.fixture(scope="session")
def shipped() -> LoadResult:
    return load_ladder()


WriteLadder = Callable[..., Path]


@pytest.fixture
def write_ladder(tmp_path: Path) -> WriteLadder:
    """Write families as ``<id>.yaml`` and ``texts`` as ``{file name: text}``; the folder."""

    def write(*families: dict[str, Any], texts: dict[str, str] | None = None) -> Path:
        for family in families:
            (tmp_path / f"{family['id']}.yaml").write_text(dump_family(family), encoding="utf-8")
        for name, text in (texts or {}).items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write


@pytest.fixture
def family() -> dict[str, Any]:
    return copy.deepcopy(base_family())
