"""The project's own packaging: metadata current setuptools builds without warnings."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_the_licence_is_an_spdx_expression_with_its_file():
    """A TOML table (``license = { text = ... }``) is deprecated: setuptools warns on every
    install. An SPDX string needs setuptools 77 or later to build."""
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").is_file()
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))
    requires = _pyproject()["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    minimum = re.fullmatch(r"setuptools>=(\d+)(?:\.\d+)*", setuptools)
    assert minimum is not None and int(minimum.group(1)) >= 77
