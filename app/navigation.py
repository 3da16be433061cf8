"""Navigation entries per role, and the values every template can use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.exc import SQLAlchemyError

from app.db import db
from app.models import Role, User


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
        "My interviews",
        "hiring.my_interviews",
        frozenset({Role.INTERVIEWER, Role.HIRING_MANAGER}),
        section="hiring.my_interviews",
        # Others who are asked to interview find it on their home page.
    ),
    NavItem("Users", "admin.users", frozenset({Role.ADMIN}), section="admin.users"),
    NavItem("Audit log", "admin.audit", frozenset({Role.ADMIN}), section="admin.audit"),
]


def visible_navigation(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in NAVIGATION if item.roles is None or user.has_role(*item.roles)]


def demo_data_present() -> bool:
    try:
        return bool(db.session.scalar(select(exists().where(User.is_demo.is_(True)))))
    except SQLAlchemyError:
        # An error page must still render when the database is the problem.
        db.session.rollback()
        return False


def init_navigation(app: Flask) -> None:
    @app.context_processor
    def _template_values() -> dict[str, Any]:
        endpoint = request.endpoint or ""
        return {
            "navigation": visible_navigation(current_user),
            "current_endpoint": endpoint,
            "demo_data_present": demo_data_present,
            "app_env": app.config["HIRELADDER_ENV"],
        }
