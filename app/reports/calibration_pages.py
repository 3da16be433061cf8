"""Interviewer calibration and quality of hire pages."""

from __future__ import annotations

from app.routing import Routes

routes = Routes()
