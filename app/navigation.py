"""Navigation entries, and which of them each user sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[Role] | None = None  # None: every signed-in user
    section: str | None = None  # highlight when the request's blueprint matches


NAVIGATION: list[NavItem] = [
    NavItem("Home", "main.index", section="main"),
    NavItem("Career paths", "careers.index", section="careers."),
    NavItem("Promotions", "promotions.index", section="promotions."),
    NavItem(
        "Requisitions",
        "hiring.requisitions",
        frozenset({Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER}),
        section="hiring.",
    ),
    NavItem(
        "Candidates",
        "hiring.candidates",
        frozenset({Role.ADMIN, Role.RECRUITER}),
        section="hiring.candidate",
    ),
    NavItem(
        "My interviews",
        "hiring.my_interviews",
        frozenset({Role.INTERVIEWER, Role.HIRING_MANAGER}),
        section="hiring.my_interviews",
        # Others who are asked to interview find it on their home page.
    ),
    # Every team member may refer someone ("Refer someone" is on this page and the home page).
    NavItem("Referrals", "referrals.mine", section="referrals."),
    NavItem(
        "Reports",
        "reports.index",
        frozenset({Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER}),
        section="reports.",
    ),
    NavItem("Users", "admin.users", frozenset({Role.ADMIN}), section="admin.users"),
    NavItem("Audit log", "admin.audit", frozenset({Role.ADMIN}), section="admin.audit"),
    NavItem("Mail", "admin.mail", frozenset({Role.ADMIN}), section="admin.mail"),
]


def visible_navigation(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in NAVIGATION if item.roles is None or user.has_role(*item.roles)]


def current_item(items: list[NavItem], endpoint: str) -> NavItem | None:
    """The entry the page belongs to: the one naming its endpoint, else the one with the
    longest section the endpoint starts with (a candidate's page is under Candidates, not
    also under Requisitions)."""
    exact = [item for item in items if item.endpoint == endpoint]
    if exact:
        return exact[0]
    sections = [item for item in items if item.section and endpoint.startswith(item.section)]
    return max(sections, key=lambda item: len(item.section or ""), default=None)
