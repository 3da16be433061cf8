"""Demo users for development. Never created in production."""

from __future__ import annotations

from flask import current_app

from app.models import Role
from app.services import accounts

DEMO_PASSWORD = "hireladder-demo"  # noqa: S105 - documented demo sign-in

DEMO_USERS: list[tuple[str, str, list[Role]]] = [
    ("admin@example.com", "Ada Admin", [Role.ADMIN, Role.TEAM_MEMBER]),
    ("recruiter@example.com", "Riley Recruiter", [Role.RECRUITER, Role.TEAM_MEMBER]),
    (
        "manager@example.com",
        "Morgan Manager",
        [Role.HIRING_MANAGER, Role.INTERVIEWER, Role.TEAM_MEMBER],
    ),
    ("interviewer@example.com", "Ines Interviewer", [Role.INTERVIEWER, Role.TEAM_MEMBER]),
    ("member@example.com", "Mika Member", [Role.TEAM_MEMBER]),
]


def load_demo_data() -> list[str]:
    """Create whichever demo users are missing; return their e-mail addresses.

    Existing rows are left exactly as they are, so running it again never duplicates or
    wipes anything.
    """
    if current_app.config["HIRELADDER_ENV"] == "production":
        raise RuntimeError("demo data is never loaded in production")
    created = []
    for email, name, roles in DEMO_USERS:
        if accounts.get_user_by_email(email) is None:
            accounts.create_user(
                email, name, DEMO_PASSWORD, roles, actor=None, channel="system", is_demo=True
            )
            created.append(email)
    return created


def sign_in_help() -> str:
    lines = [f"Demo sign-ins (password: {DEMO_PASSWORD}):"]
    for email, _name, roles in DEMO_USERS:
        lines.append(f"  {email:<26} {', '.join(r.label for r in roles)}")
    return "\n".join(lines)
