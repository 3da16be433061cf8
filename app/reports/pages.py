"""The hiring reports' pages: funnel, time in stage, sources, open requisitions, overdue
scorecards."""

from __future__ import annotations

from app.routing import Routes

routes = Routes()
