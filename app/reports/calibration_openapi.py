"""Calibration and quality of hire's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

TAGS: tuple[str, ...] = ()

SCHEMAS: dict[str, Any] = {}

PATHS: dict[str, Any] = {}
