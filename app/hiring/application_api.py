"""JSON API for applications, their moves, interviews and scorecards.

Object routes answer 404 to anyone who may not see the object (an application: staff of
its requisition; an interview: staff of the requisition and its own interviewers), 403 when
they may see it but not do the action, 409 when the pipeline's rules or a newer version
refuse the change, 422 for invalid fields.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import abort, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, api_roles, caller
from app.api.bodies import Body
from app.api.errors import REFUSED, ApiError, Problems, invalid, refused
from app.api.responses import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    created,
    cursor_args,
    next_page,
    query_choice,
    query_int,
)
from app.clock import utcnow
from app.db import db
from app.denials import deny
from app.hiring import bodies, queries, represent
from app.hiring import my_interview_queries as mine
from app.hiring.access import application_or_404, interview_or_404
from app.hiring.permissions import INTERVIEWING, RECRUITING, STAFF, can_move_applications
from app.hiring.requisition_api import user_by_email
from app.inputs import DB_INT_MAX
from app.models import Application, Candidate, Interview, Requisition, User
from app.paging import decode_cursor, rows_after
from app.routing import Routes
from app.rows import after_commit, row_id
from app.services import assessments, audit, candidate_messages, hiring, interviews, kits
from app.services.errors import ConflictError, ServiceError, stale
from app.services.plans import plan_for_level_id
from pipelines.applications import ApplicationStatus, decline_reason
from pipelines.errors import PipelineError, ReasonRequiredError, UnknownReasonError
from pipelines.kits import note_field
from pipelines.my_interviews import Section
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
    invitation = assessments.latest_invitation(application)
    state = None
    if invitation is not None:
        state = assessments.invitation_status(invitation, utcnow()).value
    return represent.application(application, plan, history, scheduled, invitation, state)


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
        kits.stage_questions(application.requisition, interview.stage_id),
    )


def _stale(exc: ConflictError, application_id: int) -> ApiError:
    return ApiError(
        409,
        str(exc),
        current_version=queries.application_version(application_id),
        conflict="stale",
    )


# --- applications -----------------------------------------------------------------


#: The query parameters of GET /applications (documented in the OpenAPI document).
LIST_PARAMETERS = ("requisition_id", "stage", "status", "after", "per_page")


def list_filters() -> tuple[queries.ApplicationFilters, tuple[datetime, int] | None, int]:
    """The filters, ``after`` and ``per_page`` of GET /applications; 422 naming each bad
    one."""
    problems = Problems()
    stage = request.args.get("stage", "").strip() or None
    if stage is not None and len(stage) > 100:
        problems.add("stage", "At most 100 characters.")
    filters = queries.ApplicationFilters(
        requisition_id=query_int("requisition_id", problems, low=1, high=DB_INT_MAX),
        stage=stage,
        status=query_choice("status", ApplicationStatus, problems),
    )
    after, per_page = cursor_args(problems)
    problems.check()
    return filters, after, per_page


@routes.get("/applications")
@api_roles(*STAFF)
def applications() -> ResponseReturnValue:
    """Newest first by (created_at, id), ``?after=`` the cursor in ``next``: one query
    however deep the page (ix_applications_created, or ix_applications_requisition_created
    with a requisition), and one audit row."""
    user = caller()
    filters, after, per_page = list_filters()
    rows, more = rows_after(
        queries.application_list(user, filters),
        moment=Application.created_at,
        row_id=Application.id,
        after=after,
        per_page=per_page,
    )
    shown = rows
    last = (shown[-1].created_at, shown[-1].id) if more else None
    body = {
        "items": [represent.application_summary(a, plan_for_level_id(a.level_id)) for a in shown],
        "per_page": per_page,
        "next": next_page("api.applications", last),
    }
    # Names and addresses of candidates: one row per page read, naming the applications
    # and their candidates by id (no personal data), as the candidates list does.
    audit.record_read(
        audit.CANDIDATE_LIST,
        actor=user,
        channel="api",
        object_type="application",
        summary={
            "ids": [a.id for a in shown],
            "candidate_ids": [a.candidate_id for a in shown],
            "count": len(shown),
            "filtered": filters.any,
        },
    )
    return jsonify(body)


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
        raise ApiError(
            409, str(exc), title=REFUSED, conflict="rule", existing_id=exc.existing_id
        ) from None
    except ServiceError as exc:
        raise refused(str(exc)) from None
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
Preview = Callable[[Application, dict[str, Any], User], dict[str, Any]]


def check_version(application: Application, values: dict[str, Any]) -> None:
    """409 (stale) when the body's version is not the application's current one."""
    expected = values.get("version")
    if expected is not None and application.version != expected:
        raise _stale(stale("This application"), application.id)


def move(
    application_id: int,
    body: Body,
    run: Run,
    *,
    recruiting_only: bool = False,
    preview: Preview | None = None,
    creates: bool = False,
) -> Any:
    """Load (404), check the role (403), parse the body (400/422), then ``run`` the service:
    a stale version is a 409 "Changed meanwhile", a rule's refusal a 409 "Not possible
    now". With ``preview`` and ``"preview": true`` in the body, answer what ``preview``
    builds instead (nothing changes). ``creates``: the move made something (an
    invitation): 201 with the application's address."""
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
    if preview is not None and values.get("preview"):
        return jsonify(preview(application, values, user))
    try:
        run(application, values, user)
    except ConflictError as exc:
        raise _stale(exc, application_id) from None
    except (PipelineError, ServiceError) as exc:
        raise refused(str(exc)) from None
    body = after_commit(lambda: application_json(application_id), lambda: {"id": application_id})
    if creates:
        return created(body, url_for("api.application_detail", application_id=application_id))
    return jsonify(body)


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

    return move(application_id, bodies.ADVANCE, run)


@routes.post("/applications/<int:application_id>/decline")
@api_login_required
def application_decline(application_id: int) -> ResponseReturnValue:
    """Decline, with a message to the candidate if ``message`` is given (the web's
    "Decline with a message…": the same service, so the message is queued in the decline's
    transaction); ``preview`` answers the message without declining."""

    def run(application: Application, values: dict[str, Any], user: User) -> object:
        _refuse_empty_message()
        _check_decline(values)
        message = values["message"]
        if message is not None:
            _decline_text(message)
        return hiring.decline_application(
            application,
            actor=user,
            reason_code=values["reason"],
            note=values["note"],
            expected_version=values["version"],
            channel="api",
            message=message,
        )

    def preview(application: Application, values: dict[str, Any], user: User) -> dict[str, Any]:
        _refuse_empty_message()
        check_version(application, values)
        candidate = application.candidate
        if application.status is not ApplicationStatus.ACTIVE:
            raise refused(
                f"{candidate.name}'s application is {application.status.value}: only an "
                "active application can be declined."
            )
        _check_decline(values)
        try:
            candidate_messages.recipient_of(candidate, for_what="a decline message")
        except ServiceError as exc:
            raise refused(f"{exc} Decline without 'message'.") from None
        text = values["message"]
        if text is None:
            text = candidate_messages.decline_default_text(application, user)
        text = _decline_text(text)
        recipient, rendered = candidate_messages.render_decline(application, text)
        audit_contact_read(application, user, "decline_preview")
        return represent.message_preview(
            recipient, rendered, sender=current_app.config["MAIL_FROM"], text=text
        )

    return move(application_id, bodies.DECLINE, run, preview=preview)


def _refuse_empty_message() -> None:
    """An empty ``message`` is a mistake, not "no message" (leave the field out for that)."""
    data = request.get_json(silent=True)
    message = data.get("message") if isinstance(data, dict) else None
    if isinstance(message, str) and not message.strip():
        raise invalid(
            "message",
            "The message to the candidate is empty: write the text the candidate will "
            "read, or leave 'message' out to decline without one.",
        )


def _check_decline(values: dict[str, Any]) -> None:
    try:
        decline_reason(values["reason"], values["note"])
    except UnknownReasonError as exc:
        raise invalid("reason", str(exc)) from None
    except ReasonRequiredError as exc:
        raise invalid("note", str(exc)) from None


def _decline_text(text: str) -> str:
    try:
        return candidate_messages.decline_text(text)
    except ServiceError as exc:
        raise invalid("message", str(exc)) from None


def audit_contact_read(application: Application, user: User, page: str) -> None:
    """A preview shows the candidate's e-mail address: the read is audited."""
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=user,
        channel="api",
        object_type="candidate",
        object_id=application.candidate_id,
        summary={"application_id": application.id, "page": page},
    )


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

    return move(application_id, bodies.WITHDRAW, run)


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

    return move(application_id, bodies.SCREEN, run, recruiting_only=True)


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
            409,
            str(exc),
            current_version=queries.interview_version(application.id, stage.id),
            conflict="stale",
        ) from None
    except ServiceError as exc:
        if not chosen or any(person.id not in eligible for person in chosen):
            raise invalid("interviewer_emails", str(exc)) from None
        raise refused(str(exc)) from None
    interview_id = row_id(interview)

    def build() -> dict[str, Any]:
        loaded, loaded_application = interview_or_404(interview_id, user)
        return interview_json(loaded, loaded_application, user)

    body = after_commit(build, lambda: {"id": interview_id})
    if existed is not None:
        return jsonify(body)
    return created(body, url_for("api.interview_detail", interview_id=interview_id))


def my_interviews_args() -> tuple[Section, tuple[datetime, int] | None, int]:
    """``section``, ``after`` and ``per_page`` of GET /interviews; 422 naming each bad one."""
    problems = Problems()
    raw = request.args.get("section", "").strip()
    section = Section.TO_SCORE
    if raw:
        try:
            section = Section(raw)
        except ValueError:
            problems.add("section", f"One of: {', '.join(s.value for s in Section)}.")
    after = None
    raw_after = request.args.get("after", "").strip()
    if raw_after:
        after = decode_cursor(raw_after)
        if after is None:
            problems.add(
                "after", "Not a list position: follow the 'next' address of the previous page."
            )
    per_page = _per_page(problems)
    problems.check()
    return section, after, per_page


def _per_page(problems: Problems) -> int:
    raw = request.args.get("per_page", "").strip()
    if not raw:
        return DEFAULT_PER_PAGE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PER_PAGE:
        problems.add("per_page", f"Expected a whole number between 1 and {MAX_PER_PAGE}.")
        return DEFAULT_PER_PAGE
    return int(raw)


@routes.get("/interviews")
@api_roles(*INTERVIEWING)
def my_interviews() -> ResponseReturnValue:
    """The caller's own interviews in one section of My interviews, a keyset page."""
    section, after, per_page = my_interviews_args()
    user = caller()
    now = utcnow()
    page = mine.section_page(
        user.id, section, now, per_page=per_page, after=after, with_interviewers=True
    )
    following = None
    if page.more_after is not None:
        following = url_for(
            "api.my_interviews",
            section=section.value,
            after=page.more_after,
            per_page=per_page,
        )
    items = [
        represent.my_interview(
            row.interview,
            row.application,
            hiring.plan_for(row.application.requisition),
            section=section.value,
            overdue=not row.submitted and interviews.is_overdue(row.interview, now),
            card_id=row.card_id,
            submitted_at=row.submitted_at,
        )
        for row in page.rows
    ]
    return jsonify({"items": items, "per_page": per_page, "next": following})


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
            conflict="stale",
        ) from None
    except ServiceError as exc:
        raise refused(str(exc)) from None

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
            criterion_notes=values["criterion_notes"],
        )
    except InvalidScorecardError as exc:
        for problem in exc.problems:
            problems.add(problem.field, problem.message)
        problems.check()
        raise
    except ConflictError as exc:
        raise ApiError(409, str(exc), conflict="stale") from None
    except ServiceError as exc:
        raise refused(str(exc)) from None
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
    criteria = interviews.criteria_of(interview, application)
    known = {c.id for c in criteria}
    for criterion_id in values["criterion_notes"] or {}:
        if criterion_id not in known:
            problems.add(
                note_field(criterion_id), f"{criterion_id!r} is not a criterion of this scorecard."
            )
    found = validate_scorecard(
        criteria,
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
