"""The debrief and the decision in the API."""

from __future__ import annotations

from app.routing import Routes

routes = Routes()
