"""The debrief page: every rating beside the others, and the hiring manager's decision."""

from __future__ import annotations

from app.routing import Routes

routes = Routes()
