"""One application: its page (stage, timeline, scorecards, assessment) and its moves.

Every move goes through :mod:`app.services.hiring`, which asks :mod:`pipelines` whether
it is allowed; a refusal comes back as a message on the page.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.permissions import roles_required
from app.hiring import offer_pages, queries
from app.hiring.access import application_or_404
from app.hiring.forms import (
    AdvanceForm,
    CandidateTimezoneForm,
    ConsentForm,
    DeclineForm,
    DeclineMessageForm,
    ScreenForm,
    WithdrawForm,
)
from app.hiring.permissions import RECRUITING, STAFF, can_move_applications, is_hiring_manager
from app.models import Application, Interview, Scorecard
from app.routing import Routes
from app.services import audit, candidate_messages, debrief, hiring
from app.services.errors import ConflictError, ServiceError
from pipelines.applications import (
    Action,
    ApplicationStatus,
    allowed_actions,
    check_stage,
    decline_reason,
    reason_in_words,
    stage_gone,
)
from pipelines.errors import PipelineError
from pipelines.timezones import zone_names

routes = Routes()


@routes.get("/applications/<int:application_id>")
@roles_required(*STAFF)
def application(application_id: int) -> str:
    application = application_or_404(application_id, current_user)
    requisition = application.requisition
    plan = hiring.plan_for(requisition)
    # None: the application is at a stage the plan no longer has (the ladder's hiring
    # process changed since); it can still be declined or withdrawn (stage_gone).
    stage = plan.stage(application.stage_id) if application.stage_id in plan.stage_ids else None
    check = None
    if application.status is ApplicationStatus.ACTIVE and stage is not None:
        check = check_stage(stage, hiring.evidence_for(application).get(stage.id))
    scheduled = {i.stage_id: i for i in queries.application_interviews(application.id)}
    submitted_cards = queries.submitted_scorecards([i.id for i in scheduled.values()])
    can_move = can_move_applications(current_user, requisition)
    html = render_template(
        "hiring/application.html",
        application=application,
        candidate=application.candidate,
        requisition=requisition,
        plan=plan,
        stage=stage,
        stage_gone=stage_gone(plan, hiring.state_of(application)) if stage is None else None,
        check=check,
        timeline=_timeline(application, scheduled, submitted_cards),
        actions=allowed_actions(plan, hiring.state_of(application)),
        Action=Action,
        can_move=can_move,
        move_offer=(
            hiring.move_on_offers([application], requisition, current_user)[application.id]
            if can_move
            else None
        ),
        is_hiring_manager=is_hiring_manager(current_user, requisition),
        advance_form=AdvanceForm(version=str(application.version)),
        decline_form=DeclineForm(version=str(application.version)),
        withdraw_form=WithdrawForm(version=str(application.version)),
        screen_form=ScreenForm(version=str(application.version)),
        privacy_actions=current_user.has_role(*RECRUITING),
        consent_form=ConsentForm(version=str(application.candidate.version)),
        timezone_form=CandidateTimezoneForm(
            timezone=application.candidate.timezone or "",
            version=str(application.candidate.version),
        ),
        zone_names=zone_names(),
        reason_in_words=reason_in_words,
        stage_names={s.id: s.name for s in plan.stages},
        scheduled=scheduled,
        submitted={(c.interview_id, c.interviewer_id) for c in submitted_cards},
        # Interviews that may still be called off: on, and no scorecard submitted.
        cancellable={i.id for i in scheduled.values() if i.cancelled_at is None}
        - {c.interview_id for c in submitted_cards},
        decision_box=debrief.decision_box(
            current_user, application, list(scheduled.values()), submitted_cards
        ),
        offer_section=offer_pages.section(application, current_user),
    )
    # The page shows the candidate's contact data: the read is audited once it is built.
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=current_user,
        channel="web",
        object_type="candidate",
        object_id=application.candidate_id,
        summary={"application_id": application.id},
    )
    return html


def _timeline(
    application: Application, scheduled: dict[str, Interview], submitted_cards: list[Scorecard]
) -> list[tuple[datetime, str, object]]:
    """Moves, interviews scheduled, the assessment sent and answered, scorecards submitted
    (who and when, never what: scorecards are read on the feedback page), newest first."""
    timeline: list[tuple[datetime, str, object]] = [
        (t.at, "transition", t) for t in queries.application_history(application.id)
    ]
    timeline += [(i.created_at, "interview", i) for i in scheduled.values()]
    timeline += [
        (i.cancelled_at, "interview_cancelled", i)
        for i in scheduled.values()
        if i.cancelled_at is not None
    ]
    if application.assessment_sent_at:
        timeline.append((application.assessment_sent_at, "assessment", "sent"))
    if application.assessment_received_at:
        timeline.append((application.assessment_received_at, "assessment", "received"))
    stage_of = {i.id: i.stage_id for i in scheduled.values()}
    timeline += [
        (c.submitted_at, "scorecard", (stage_of[c.interview_id], c.interviewer.display_name))
        for c in submitted_cards
        if c.submitted_at is not None
    ]
    return sorted(timeline, key=lambda item: item[0], reverse=True)


def _act(application_id: int, form_class: type, run) -> Response:  # type: ignore[type-arg,no-untyped-def]
    application = application_or_404(application_id, current_user)
    if not can_move_applications(current_user, application.requisition):
        abort(404)
    form = form_class()
    back = request.form.get("back") == "board"
    target = (
        url_for("hiring.board", requisition_id=application.requisition_id)
        if back
        else url_for("hiring.application", application_id=application.id)
    )
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(target)
    # Read before the service commits (and the session expires the loaded objects).
    application_name = application.candidate.name
    plan = hiring.plan_for(application.requisition)
    try:
        template = run(application, form, int(form.version.data))
        stage_names = {s.id: s.name for s in plan.stages}
        message = template.format(
            name=application_name, stage_name=stage_names.get(application.stage_id, "")
        )
    except (ServiceError, PipelineError) as exc:
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(target)


@routes.post("/applications/<int:application_id>/advance")
@roles_required(*STAFF)
def advance(application_id: int) -> Response:
    def run(application: Application, form: AdvanceForm, version: int) -> str:
        hiring.advance_application(
            application,
            actor=current_user,
            expected_version=version,
            override_reason=form.override_reason.data or None,
        )
        if application.status is ApplicationStatus.OFFER:
            return "{name}: offer stage reached."
        return "{name} moved to {stage_name}."

    return _act(application_id, AdvanceForm, run)


@routes.post("/applications/<int:application_id>/decline")
@roles_required(*STAFF)
def decline(application_id: int) -> Response:
    def run(application: Application, form: DeclineForm, version: int) -> str:
        hiring.decline_application(
            application,
            actor=current_user,
            reason_code=form.reason.data or "",
            note=form.note.data,
            expected_version=version,
        )
        return "{name} declined."

    return _act(application_id, DeclineForm, run)


@routes.route("/applications/<int:application_id>/decline/message", methods=["GET", "POST"])
@roles_required(*STAFF)
def decline_message(application_id: int) -> ResponseReturnValue:
    """Decline with a message to the candidate: compose it (from the default text), read
    it as the candidate will get it, then confirm. Nothing is declined or sent before the
    confirmation (``step=send``); ``step=preview`` and ``step=edit`` only show pages."""
    application = application_or_404(application_id, current_user)
    if not can_move_applications(current_user, application.requisition):
        abort(404)
    target = url_for("hiring.application", application_id=application.id)
    candidate = application.candidate
    if application.status is not ApplicationStatus.ACTIVE:
        flash(
            f"{candidate.name}'s application is {application.status.value}: only an active "
            "application can be declined.",
            "error",
        )
        return redirect(target)
    if candidate.erased or not candidate.email:
        flash(
            f"{candidate.name} has no e-mail address in HireLadder, so no message can be sent: "
            "decline without one.",
            "error",
        )
        return redirect(target)
    form = DeclineMessageForm()
    if request.method == "GET":
        form.version.data = str(application.version)
        form.message.data = candidate_messages.decline_default_text(application, current_user)
        return _decline_page(application, form)
    step = request.form.get("step", "preview")
    if step == "edit":
        return _decline_page(application, form)
    if not form.validate_on_submit():
        return _decline_page(application, form, status=422)
    if step != "send":
        return _decline_preview(application, form)
    name = candidate.name
    try:
        hiring.decline_application(
            application,
            actor=current_user,
            reason_code=form.reason.data or "",
            note=form.note.data,
            expected_version=int(form.version.data or 0),
            message=form.message.data or "",
        )
    except (ServiceError, PipelineError) as exc:
        # Keep what was written. After a concurrent change the page comes back with the
        # current version: the recruiter looks again and confirms again.
        flash(str(exc), "error")
        application = application_or_404(application_id, current_user)
        if isinstance(exc, ConflictError):
            form.version.data = str(application.version)
        return _decline_page(application, form, status=409)
    flash(f"{name} declined; the message to them is queued.", "success")
    return redirect(target)


def _decline_page(
    application: Application, form: DeclineMessageForm, *, status: int = 200
) -> ResponseReturnValue:
    html = render_template(
        "hiring/decline_message.html",
        application=application,
        candidate=application.candidate,
        requisition=application.requisition,
        form=form,
        back=url_for("hiring.application", application_id=application.id),
    )
    _audit_contact_read(application, "decline_message")
    return html, status


def _decline_preview(application: Application, form: DeclineMessageForm) -> ResponseReturnValue:
    try:
        reason = decline_reason(form.reason.data or "", form.note.data)
    except PipelineError as exc:
        form.note.errors = [*form.note.errors, str(exc)]
        return _decline_page(application, form, status=422)
    try:
        recipient, message = candidate_messages.render_decline(application, form.message.data)
    except ServiceError as exc:
        form.message.errors = [*form.message.errors, str(exc)]
        return _decline_page(application, form, status=422)
    html = render_template(
        "hiring/decline_preview.html",
        application=application,
        candidate=application.candidate,
        form=form,
        reason=reason,
        recipient=recipient,
        message=message,
        sender=current_app.config["MAIL_FROM"],
        back=url_for("hiring.application", application_id=application.id),
    )
    _audit_contact_read(application, "decline_preview")
    return html


def _audit_contact_read(application: Application, page: str) -> None:
    """The decline pages show the candidate's e-mail address: the read is audited."""
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=current_user,
        channel="web",
        object_type="candidate",
        object_id=application.candidate_id,
        summary={"application_id": application.id, "page": page},
    )


@routes.post("/applications/<int:application_id>/withdraw")
@roles_required(*STAFF)
def withdraw(application_id: int) -> Response:
    def run(application: Application, form: WithdrawForm, version: int) -> str:
        hiring.withdraw_application(
            application, actor=current_user, reason=form.reason.data, expected_version=version
        )
        return "{name} withdrawn."

    return _act(application_id, WithdrawForm, run)


@routes.post("/applications/<int:application_id>/screen")
@roles_required(*RECRUITING)
def screen(application_id: int) -> Response:
    def run(application: Application, form: ScreenForm, version: int) -> str:
        passed = form.outcome.data == "passed"
        hiring.record_screen_outcome(
            application, passed=passed, actor=current_user, expected_version=version
        )
        return "Screen recorded as passed." if passed else "Screen recorded as not passed."

    return _act(application_id, ScreenForm, run)


@routes.post("/applications/<int:application_id>/references")
@roles_required(*STAFF)
def references(application_id: int) -> Response:
    def run(application: Application, form: ScreenForm, version: int) -> str:
        passed = form.outcome.data == "passed"
        hiring.record_references_outcome(
            application, passed=passed, actor=current_user, expected_version=version
        )
        return "Reference check recorded as passed." if passed else "Reference check not passed."

    return _act(application_id, ScreenForm, run)
