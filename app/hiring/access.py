"""Load a hiring object for the user asking, or answer 404.

One place joins :mod:`app.hiring.queries` (what to load) with
:mod:`app.hiring.permissions` (who may see it), for the pages and the API alike: an
object the user may not see is answered exactly like one that does not exist, and the
refusal is recorded in the audit log (a missing one is not).
"""

from __future__ import annotations

from typing import Any

from flask import abort

from app.db import db
from app.denials import deny
from app.hiring import queries
from app.hiring.permissions import RECRUITING, can_view_requisition
from app.models import Application, Candidate, Interview, Requisition
from app.services import interviews


def requisition_or_404(requisition_id: int, user: Any) -> Requisition:
    """The requisition (hiring manager and recruiter loaded), for staff of it."""
    requisition = queries.requisition(requisition_id)
    if requisition is None:
        abort(404)
    if not can_view_requisition(user, requisition):
        deny("requisition", requisition_id)
    return requisition


def application_or_404(application_id: int, user: Any) -> Application:
    """The application (candidate and requisition loaded), for staff of its requisition."""
    application = queries.application(application_id)
    if application is None:
        abort(404)
    if not can_view_requisition(user, application.requisition):
        deny("application", application_id)
    return application


def interview_or_404(interview_id: int, user: Any) -> tuple[Interview, Application]:
    """The interview and its application, for staff of the requisition and for the
    interview's own interviewers."""
    interview = queries.interview(interview_id)
    if interview is None:
        abort(404)
    application = queries.application(interview.application_id)
    assert application is not None
    assigned = interviews.is_assigned(interview, user.id)
    if not assigned and not can_view_requisition(user, application.requisition):
        deny("interview", interview_id)
    return interview, application


def candidate_for_privacy_or_404(candidate_id: int, user: Any) -> Candidate:
    """The candidate, for recruiters and admins; 404 for anyone else and for no such id."""
    if not user.has_role(*RECRUITING):
        abort(404)
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None:
        abort(404)
    return candidate
