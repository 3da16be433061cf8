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
    if _load_demo_pipeline():
        created.append("a demo requisition with candidates")
    return created


DEMO_REQUISITION = "Senior CSM, Public Sector (demo)"
DEMO_CANDIDATES = [
    # name, e-mail, how far the demo moves them
    ("Alex Rivera", "alex.rivera@example.net", "screen"),
    ("Sam Okafor", "sam.okafor@example.net", "assessment"),
    ("Jordan Lee", "jordan.lee@example.net", "declined"),
    ("Priya Natarajan", "priya.natarajan@example.net", "screen-passed"),
]


def _load_demo_pipeline() -> bool:
    """One requisition with candidates at several stages, if it is not there yet."""
    from sqlalchemy import select

    from app.db import utcnow
    from app.extensions import db
    from app.models import Requisition
    from app.services import hiring

    if db.session.scalar(select(Requisition.id).where(Requisition.title == DEMO_REQUISITION)):
        return False
    recruiter = accounts.get_user_by_email("recruiter@example.com")
    manager = accounts.get_user_by_email("manager@example.com")
    if recruiter is None or manager is None:
        return False
    requisition = hiring.create_requisition(
        title=DEMO_REQUISITION,
        level_id="senior-csm",
        specialty_id="public-sector",
        hiring_manager=manager,
        recruiter=recruiter,
        headcount=1,
        actor=recruiter,
    )
    for name, email, progress in DEMO_CANDIDATES:
        candidate = hiring.find_candidate(email) or hiring.add_candidate(
            hiring.CandidateDetails(
                name=name, email=email, source="demo data", consent_on=utcnow().date()
            ),
            actor=recruiter,
        )
        application = hiring.open_application(candidate, requisition, actor=recruiter)
        if progress in ("screen-passed", "assessment", "declined"):
            hiring.record_screen_outcome(
                application, passed=True, actor=recruiter, expected_version=None
            )
        if progress in ("assessment", "declined"):
            hiring.advance_application(application, actor=recruiter, expected_version=None)
        if progress == "declined":
            hiring.decline_application(
                application,
                actor=recruiter,
                reason_code="assessment",
                note=None,
                expected_version=None,
            )
    return True


def sign_in_help() -> str:
    lines = [f"Demo sign-ins (password: {DEMO_PASSWORD}):"]
    for email, _name, roles in DEMO_USERS:
        lines.append(f"  {email:<26} {', '.join(r.label for r in roles)}")
    return "\n".join(lines)
