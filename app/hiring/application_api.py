"""JSON API for applications, their moves, interviews and scorecards.

Object routes answer 404 to anyone who may not see the object (an application: staff of
its requisition; an interview: staff of the requisition and its own interviewers), 403 when
they may see it but not do the action, 409 when the pipeline's rules or a newer version
refuse the change, 422 for invalid fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, jsonify, url_for
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, api_roles, caller
from app.api.bodies import Body
from app.api.errors import ApiError, Problems, invalid
from app.api.responses import created
from app.db import db
from app.denials import deny
from app.hiring import bodies, queries, represent
from app.hiring.access import application_or_404, interview_or_404
from app.hiring.permissions import RECRUITING, can_move_applications
from app.hiring.requisition_api import user_by_email
from app.models import Application, Candidate, Interview, Requisition, User
from app.routing import Routes
from app.rows import after_commit, row_id
from app.services import audit, hiring, interviews
from app.services.errors import ConflictError, ServiceError
from pipelines.errors import PipelineError, ReasonRequiredError, UnknownReasonError
from pipelines.referrals import SourceNotAllowedError, recruiter_source
from pipelines.scorecards import InvalidScorecardError, validate_scorecard
from pipelines.sources import ApplicationSource

routes = Routes()


def application_json(application_id: int) -> dict[str, Any]:
    application = queries.application(application_id)
    assert application is not None
    plan = hiring.plan_for(application.requisition)
    position = {stage.id: stage.position for stage in plan.stages}
    scheduled = sorted(
        queries.application_interviews(application.id),
        key=lambda i: (position.get(i.stage_id, len(position)), i.id),
    )
    history = queries.application_history(application.id)
    return represent.application(application, plan, history, scheduled)


def interview_json(interview: Interview, application: Application, user: User) -> dict[str, Any]:
    own = None
    if interviews.is_assigned(interview, user.id):
        own = queries.own_scorecard(interview.id, user.id)
    return represent.interview(
        interview,
        application,
        hiring.plan_for(application.requisition),
        interviews.criteria_of(interview, application),
        own,
    )


def _stale(exc: ConflictError, application_id: int) -> ApiError:
    return ApiError(409, str(exc), current_version=queries.application_version(application_id))


# --- applications -----------------------------------------------------------------


@routes.post("/applications")
@api_roles(*RECRUITING)
def application_create() -> ResponseReturnValue:
    values, problems = bodies.APPLICATION.parse()
    candidate = requisition = None
    if values["candidate_id"] is not None:
        candidate = db.session.get(Candidate, values["candidate_id"])
        if candidate is None:
            problems.add("candidate_id", f"There is no candidate {values['candidate_id']}.")
    if values["requisition_id"] is not None:
        requisition = db.session.get(Requisition, values["requisition_id"])
        if requisition is None:
            problems.add("requisition_id", f"There is no requisition {values['requisition_id']}.")
    source = ApplicationSource.SOURCED
    try:
        source = recruiter_source(values["source"])
    except SourceNotAllowedError as exc:
        problems.add("source", str(exc))
    problems.check()
    assert candidate is not None and requisition is not None
    try:
        application = hiring.open_application(
            candidate, requisition, actor=caller(), channel="api", source=source
        )
    except hiring.DuplicateApplicationError as exc:
        raise ApiError(409, str(exc), existing_id=exc.existing_id) from None
    except ServiceError as exc:
        raise ApiError(409, str(exc)) from None
    application_id = row_id(application)
    return created(
        after_commit(lambda: application_json(application_id), lambda: {"id": application_id}),
        url_for("api.application_detail", application_id=application_id),
    )


@routes.get("/applications/<int:application_id>")
@api_login_required
def application_detail(application_id: int) -> ResponseReturnValue:
    user = caller()
    application = application_or_404(application_id, user)
    body = application_json(application.id)
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=user,
        channel="api",
        object_type="candidate",
        object_id=body["candidate"]["id"],
        summary={"application_id": application_id},
    )
    return jsonify(body)


Run = Callable[[Application, dict[str, Any], User], object]


def _move(application_id: int, body: Body, run: Run, *, recruiting_only: bool = False) -> Any:
    user = caller()
    application = application_or_404(application_id, user)
    allowed = (
        user.has_role(*RECRUITING)
        if recruiting_only
        else can_move_applications(user, application.requisition)
    )
    if not allowed:
        abort(403)
    values, problems = body.parse()
    problems.check()
    try:
        run(application, values, user)
    except ConflictError as exc:
        raise _stale(exc, application_id) from None
    except (PipelineError, ServiceError) as exc:
        raise ApiError(409, str(exc)) from None
    return jsonify(application_json(application_id))


@routes.post("/applications/<int:application_id>/advance")
@api_login_required
def application_advance(application_id: int) -> ResponseReturnValue:
    def run(application: Application, values: dict[str, Any], user: User) -> object:
        return hiring.advance_application(
            application,
            actor=user,
            expected_version=values["version"],
            override_reason=values["override_reason"],
            channel="api",
        )

    return _move(application_id, bodies.ADVANCE, run)


@routes.post("/applications/<int:application_id>/decline")
@api_login_required
def application_decline(application_id: int) -> ResponseReturnValue:
    def run(application: Application, values: dict[str, Any], user: User) -> object:
        try:
            return hiring.decline_application(
                application,
                actor=user,
                reason_code=values["reason"],
                note=values["note"],
                expected_version=values["version"],
                channel="api",
            )
        except UnknownReasonError as exc:
            raise invalid("reason", str(exc)) from None
        except ReasonRequiredError as exc:
            raise invalid("note", str(exc)) from None

    return _move(application_id, bodies.DECLINE, run)


@routes.post("/applications/<int:application_id>/withdraw")
@api_login_required
def application_withdraw(application_id: int) -> ResponseReturnValue:
    def run(application: Application, values: dict[str, Any], user: User) -> object:
        return hiring.withdraw_application(
            application,
            actor=user,
            reason=values["reason"],
            expected_version=values["version"],
            channel="api",
        )

    return _move(application_id, bodies.WITHDRAW, run)


@routes.post("/applications/<int:application_id>/screen")
@api_login_required
def application_screen(application_id: int) -> ResponseReturnValue:
    def run(application: Application, values: dict[str, Any], user: User) -> object:
        return hiring.record_screen_outcome(
            application,
            passed=values["passed"],
            actor=user,
            expected_version=values["version"],
            channel="api",
        )

    return _move(application_id, bodies.SCREEN, run, recruiting_only=True)


# --- interviews -------------------------------------------------------------------


@routes.post("/applications/<int:application_id>/interviews")
@api_login_required
def interview_schedule(application_id: int) -> ResponseReturnValue:
    user = caller()
    application = application_or_404(application_id, user)
    requisition = application.requisition
    if not can_move_applications(user, requisition):
        abort(403)
    values, problems = bodies.INTERVIEW.parse()
    stage = None
    if values["stage"] is not None:
        try:
            stage = interviews.interview_stage(application, values["stage"])
        except (ServiceError, PipelineError) as exc:
            problems.add("stage", str(exc))
    people = [
        user_by_email(email, "interviewer_emails", problems)
        for email in values["interviewer_emails"] or ()
    ]
    problems.check()
    assert stage is not None
    chosen = [person for person in people if person is not None]
    eligible = {u.id for u in interviews.eligible_interviewers(stage, requisition)}
    existed = queries.stage_interview(application.id, stage.id)
    try:
        interview = interviews.schedule_interview(
            application,
            stage_id=stage.id,
            interviewers=chosen,
            starts_at=values["scheduled_at"],
            location=values["location"],
            actor=user,
            channel="api",
            invite_candidate=values["invite_candidate"],
            expected_version=values["version"],
        )
    except interviews.CandidateInvitationError as exc:
        raise invalid("invite_candidate", str(exc)) from None
    except ConflictError as exc:
        raise ApiError(
            409, str(exc), current_version=queries.interview_version(application.id, stage.id)
        ) from None
    except ServiceError as exc:
        if not chosen or any(person.id not in eligible for person in chosen):
            raise invalid("interviewer_emails", str(exc)) from None
        raise ApiError(409, str(exc)) from None
    interview_id = row_id(interview)

    def build() -> dict[str, Any]:
        loaded, loaded_application = interview_or_404(interview_id, user)
        return interview_json(loaded, loaded_application, user)

    body = after_commit(build, lambda: {"id": interview_id})
    if existed is not None:
        return jsonify(body)
    return created(body, url_for("api.interview_detail", interview_id=interview_id))


@routes.get("/interviews/<int:interview_id>")
@api_login_required
def interview_detail(interview_id: int) -> ResponseReturnValue:
    user = caller()
    interview, application = interview_or_404(interview_id, user)
    return jsonify(interview_json(interview, application, user))


@routes.post("/interviews/<int:interview_id>/cancel")
@api_login_required
def interview_cancel(interview_id: int) -> ResponseReturnValue:
    user = caller()
    interview, application = interview_or_404(interview_id, user)
    if not can_move_applications(user, application.requisition):
        abort(403)
    values, problems = bodies.INTERVIEW_CANCEL.parse()
    problems.check()
    stage_id = interview.stage_id
    try:
        interviews.cancel_interview(
            interview, application, actor=user, expected_version=values["version"], channel="api"
        )
    except ConflictError as exc:
        raise ApiError(
            409,
            str(exc),
            current_version=queries.interview_version(application.id, stage_id),
        ) from None
    except ServiceError as exc:
        raise ApiError(409, str(exc)) from None

    def build() -> dict[str, Any]:
        loaded, loaded_application = interview_or_404(interview_id, user)
        return interview_json(loaded, loaded_application, user)

    return jsonify(after_commit(build, lambda: {"id": interview_id}))


@routes.post("/interviews/<int:interview_id>/scorecard")
@api_login_required
def scorecard_save(interview_id: int) -> ResponseReturnValue:
    user = caller()
    interview, application = interview_or_404(interview_id, user)
    if not interviews.is_assigned(interview, user.id):
        deny("interview", interview_id)
    values, problems = bodies.SCORECARD.parse()
    problems.check()
    ratings: dict[str, str] = values["ratings"]
    submit: bool = values["submit"]
    card = queries.own_scorecard(interview.id, user.id)
    existed = card is not None
    if card is None or card.submitted_at is None:
        _check_scorecard(interview, application, values, problems)
    try:
        card = interviews.save_scorecard(
            interview,
            application,
            interviewer=user,
            ratings=ratings,
            recommendation=values["recommendation"],
            notes=values["notes"],
            submit=submit,
            expected_version=values["version"],
            channel="api",
        )
    except InvalidScorecardError as exc:
        for problem in exc.problems:
            problems.add(problem.field, problem.message)
        problems.check()
        raise
    except ServiceError as exc:
        raise ApiError(409, str(exc)) from None
    card_id = row_id(card)
    body = after_commit(lambda: represent.scorecard(card), lambda: {"id": card_id})
    return jsonify(body), 200 if existed else 201


def _check_scorecard(
    interview: Interview, application: Application, values: dict[str, Any], problems: Problems
) -> None:
    """Every problem at once, keyed by criterion id, ``recommendation`` or ``notes``.

    A draft may leave criteria, the recommendation and the notes empty; what it gives must
    still be valid.
    """
    ratings = values["ratings"]
    found = validate_scorecard(
        interviews.criteria_of(interview, application),
        ratings,
        values["recommendation"],
        values["notes"],
    )
    for problem in found:
        given = bool(str(ratings.get(problem.field) or "").strip()) or (
            problem.field == "recommendation" and values["recommendation"] is not None
        )
        if values["submit"] or given:
            problems.add(problem.field, problem.message)
    problems.check()
