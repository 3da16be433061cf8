"""Offers and hires: terms, approval, the candidate's answer, and the new member's account."""

from __future__ import annotations

from app.routing import Routes

routes = Routes()
