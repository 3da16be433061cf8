"""The ladder as the app sees it: loaded once per process from the data directory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from ladder.loader import load_ladder
from ladder.model import Ladder


class LadderUnavailable(RuntimeError):
    """The ladder data does not validate; the message lists the problems."""


def _load(directory: Path | None) -> Ladder:
    result = load_ladder(directory)
    if not result.ok:
        problems = "\n".join(str(p) for p in result.errors)
        raise LadderUnavailable(f"the ladder data has errors:\n{problems}")
    return result.ladder


def get_ladder() -> Ladder:
    """The process's ladder (loaded on first use)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ladder: Ladder | None = app.extensions.get("hireladder.ladder")
    if ladder is None:
        ladder = _load(app.config.get("LADDER_DATA_DIR"))
        app.extensions["hireladder.ladder"] = ladder
    return ladder


def reload_ladder(app: Flask) -> Ladder:
    ladder = _load(app.config.get("LADDER_DATA_DIR"))
    app.extensions["hireladder.ladder"] = ladder
    return ladder
