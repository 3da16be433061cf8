"""Interviewer calibration and quality of hire in the API."""

from __future__ import annotations

from app.routing import Routes

routes = Routes()
