"""The written assessment, recruiter side: send the private link (shown once to copy, and
e-mailed to the candidate after a preview if the recruiter chooses), show its status and
answers.

The candidate's side (the page behind the link) is :mod:`app.hiring.candidate_pages`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.accounts.permissions import roles_required
from app.clock import utcnow
from app.db import db
from app.hiring.access import application_or_404
from app.hiring.forms import ActionForm
from app.hiring.permissions import RECRUITING, can_view_requisition
from app.models import Application, AssessmentInvitation, Candidate, Requisition
from app.routing import Routes
from app.services import assessments, audit, candidate_messages, hiring
from app.services.errors import ServiceError
from pipelines.applications import ApplicationStatus, check_can_send_assessment
from pipelines.assessment import InvitationStatus
from pipelines.errors import PipelineError, UnknownStageError
from pipelines.plan import PipelinePlan, PlannedStage, StageKind

routes = Routes()


@dataclass(frozen=True)
class AssessmentStatus:
    """What the application page shows about the written assessment."""

    #: Whether the requisition's pipeline has a written assessment at all.
    applies: bool
    #: Where the latest link stands; None while none was sent.
    state: InvitationStatus | None
    invitation: AssessmentInvitation | None = None
    #: ``(question, answer)`` pairs, once received and only for those allowed to read them.
    answers: list[tuple[str, str]] = field(default_factory=list)
    can_send: bool = False
    #: Why the link cannot be sent now (for recruiters and admins).
    send_blocked: str | None = None
    version: int | None = None
    valid_days: int = assessments.DEFAULT_VALIDITY.days
    #: Whether the candidate has an e-mail address to send the link to.
    can_email: bool = False

    @property
    def sent_at(self) -> datetime | None:
        return self.invitation.sent_at if self.invitation else None

    @property
    def expires_at(self) -> datetime | None:
        return self.invitation.expires_at if self.invitation else None

    @property
    def received_at(self) -> datetime | None:
        return self.invitation.used_at if self.invitation else None


def _on_the_way(
    plan: PipelinePlan, application: Application, stages: tuple[PlannedStage, ...]
) -> bool:
    """Whether the application is active at a stage before the written assessment."""
    if application.status is not ApplicationStatus.ACTIVE:
        return False
    try:
        here = plan.stage(application.stage_id).position
    except UnknownStageError:
        return False
    return any(here < stage.position for stage in stages)


@routes.template_global
def assessment_status(application: Application) -> AssessmentStatus:
    """The written assessment's status for the application page (a template global)."""
    requisition = db.session.get(Requisition, application.requisition_id)
    if requisition is None or not can_view_requisition(current_user, requisition):
        return AssessmentStatus(applies=False, state=None)
    plan = hiring.plan_for(requisition)
    stages = plan.of_kind(StageKind.WRITTEN_ASSESSMENT)
    if not stages:
        return AssessmentStatus(applies=False, state=None)
    invitation = assessments.latest_invitation(application)
    state = None if invitation is None else assessments.invitation_status(invitation, utcnow())
    answers: list[tuple[str, str]] = []
    if invitation is not None and invitation.used_at is not None:
        answers = list(zip(invitation.questions, invitation.answers or [], strict=False))
    can_send, blocked = False, None
    if current_user.has_role(*RECRUITING) and state in (None, InvitationStatus.EXPIRED):
        try:
            check_can_send_assessment(plan, hiring.state_of(application))
        except PipelineError as exc:
            blocked = str(exc) if _on_the_way(plan, application, stages) else None
        else:
            can_send = True
    candidate = db.session.get(Candidate, application.candidate_id)
    return AssessmentStatus(
        applies=True,
        state=state,
        invitation=invitation,
        answers=answers,
        can_send=can_send,
        send_blocked=blocked,
        version=application.version,
        can_email=candidate is not None and not candidate.erased and bool(candidate.email),
    )


@routes.post("/applications/<int:application_id>/assessment")
@roles_required(*RECRUITING)
def send_assessment(application_id: int) -> ResponseReturnValue:
    return _send(application_id, by_email=False)


@routes.get("/applications/<int:application_id>/assessment/email")
@roles_required(*RECRUITING)
def assessment_email(application_id: int) -> ResponseReturnValue:
    """The message the candidate will get, to read before sending it."""
    application = application_or_404(application_id, current_user)
    target = url_for("hiring.application", application_id=application.id)
    status = assessment_status(application)
    if not status.can_send:
        flash(
            status.send_blocked
            or "The written assessment cannot be sent now: see its status on this page.",
            "error",
        )
        return redirect(target)
    expires_at = utcnow() + assessments.DEFAULT_VALIDITY
    try:
        recipient, message = candidate_messages.render_assessment_link(
            application, sender=current_user, expires_at=expires_at
        )
    except ServiceError as exc:
        flash(f"{exc} “Only show me the link” gives you the link to send yourself.", "error")
        return redirect(target)
    html = render_template(
        "hiring/assessment_email.html",
        application=application,
        candidate=application.candidate,
        recipient=recipient,
        message=message,
        sender=current_app.config["MAIL_FROM"],
        preview_link=candidate_messages.PREVIEW_LINK,
        version=application.version,
        valid_days=assessments.DEFAULT_VALIDITY.days,
        back=target,
    )
    # The page shows the candidate's e-mail address: the read is audited.
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=current_user,
        channel="web",
        object_type="candidate",
        object_id=application.candidate_id,
        summary={"application_id": application.id, "page": "assessment_email"},
    )
    return html


@routes.post("/applications/<int:application_id>/assessment/email")
@roles_required(*RECRUITING)
def assessment_email_send(application_id: int) -> ResponseReturnValue:
    return _send(application_id, by_email=True)


def _send(application_id: int, *, by_email: bool) -> ResponseReturnValue:
    application = application_or_404(application_id, current_user)
    target = url_for("hiring.application", application_id=application.id)
    form = ActionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(target)
    try:
        version = int(form.version.data or "")
    except ValueError:
        abort(400)
    # Read before the service commits (and the session expires the loaded objects).
    candidate_name = application.candidate.name
    address = application.candidate.email
    try:
        invitation, token = assessments.send_assessment(
            application, actor=current_user, expected_version=version, by_email=by_email
        )
    except (ServiceError, PipelineError) as exc:
        flash(str(exc), "error")
        return redirect(target)
    # The link is the candidate's credential: it is shown in this one response (never
    # cached) and never put into the session cookie, where a flash message would carry it.
    return render_template(
        "hiring/assessment_link.html",
        candidate_name=candidate_name,
        emailed_to=address if by_email else None,
        link=url_for("assessment.answer", token=token, _external=True),
        expires_at=invitation.expires_at,
        back=target,
    )
