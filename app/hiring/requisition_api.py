"""JSON API for requisitions, and adding a candidate (the candidates list, a candidate's
record and its edits are :mod:`app.hiring.candidate_api`).

Lists answer only what the caller may see; an object the caller may not see is a 404.
"""

from __future__ import annotations

from flask import abort, jsonify, url_for
from flask.typing import ResponseReturnValue

from app.api.auth import api_roles, caller
from app.api.errors import ApiError, Problems
from app.api.responses import created, page_args, paginated
from app.db import db
from app.hiring import bodies, queries, represent
from app.hiring.permissions import RECRUITING, STAFF, can_view_requisition
from app.ladder_access import get_ladder
from app.models import Role, User
from app.routing import Routes
from app.rows import after_commit, row_id
from app.services import hiring
from app.services.accounts import get_user_by_email
from app.services.errors import ServiceError

routes = Routes()


def user_by_email(email: str | None, field: str, problems: Problems) -> User | None:
    """The user with this e-mail address; a problem on ``field`` when there is none."""
    if email is None:
        return None
    user = get_user_by_email(email)
    if user is None:
        problems.add(field, f"No user has the e-mail address {email}.")
    return user


def _requisition_json(requisition_id: int) -> dict[str, object]:
    req = queries.requisition(requisition_id)
    assert req is not None
    return represent.requisition(req, hiring.plan_for(req), get_ladder())


@routes.get("/requisitions")
@api_roles(*STAFF)
def requisitions() -> ResponseReturnValue:
    page, per_page = page_args()
    pagination = db.paginate(
        queries.requisition_list(caller()), page=page, per_page=per_page, error_out=False
    )
    ladder = get_ladder()
    return jsonify(
        paginated(pagination, lambda r: represent.requisition(r, hiring.plan_for(r), ladder))
    )


def _check_level(level_id: str | None, specialty: str | None, problems: Problems) -> None:
    if level_id is None:
        return
    try:
        hiring.hiring_level(level_id, None)
    except ServiceError as exc:
        problems.add("level_id", str(exc))
        return
    if specialty is not None:
        try:
            hiring.hiring_level(level_id, specialty)
        except ServiceError as exc:
            problems.add("specialty", str(exc))


def _person_at_fault(hiring_manager: User, recruiter: User) -> str:
    """The field a refused hiring manager or recruiter came from."""
    if not (hiring_manager.active and hiring_manager.has_role(Role.HIRING_MANAGER)):
        return "hiring_manager_email"
    if not (recruiter.active and recruiter.has_role(Role.RECRUITER)):
        return "recruiter_email"
    return "level_id"


@routes.post("/requisitions")
@api_roles(*RECRUITING)
def requisition_create() -> ResponseReturnValue:
    user = caller()
    values, problems = bodies.REQUISITION.parse()
    _check_level(values["level_id"], values["specialty"], problems)
    hiring_manager = user_by_email(values["hiring_manager_email"], "hiring_manager_email", problems)
    recruiter = (
        user_by_email(values["recruiter_email"], "recruiter_email", problems)
        if values["recruiter_email"] is not None
        else user
    )
    problems.check()
    assert hiring_manager is not None and recruiter is not None
    try:
        req = hiring.create_requisition(
            title=values["title"] or "",
            level_id=values["level_id"],
            specialty_id=values["specialty"],
            hiring_manager=hiring_manager,
            recruiter=recruiter,
            headcount=values["headcount"],
            actor=user,
            channel="api",
        )
    except ServiceError as exc:
        problems.add(_person_at_fault(hiring_manager, recruiter), str(exc))
        problems.check()
        raise
    requisition_id = row_id(req)
    return created(
        after_commit(lambda: _requisition_json(requisition_id), lambda: {"id": requisition_id}),
        url_for("api.requisition_detail", requisition_id=requisition_id),
    )


@routes.get("/requisitions/<int:requisition_id>")
@api_roles(*STAFF)
def requisition_detail(requisition_id: int) -> ResponseReturnValue:
    req = queries.requisition(requisition_id)
    if req is None or not can_view_requisition(caller(), req):
        abort(404)
    return jsonify(represent.requisition(req, hiring.plan_for(req), get_ladder()))


@routes.post("/candidates")
@api_roles(*RECRUITING)
def candidate_create() -> ResponseReturnValue:
    values, problems = bodies.CANDIDATE.parse()
    bodies.check_consent_version(values, problems)
    bodies.check_timezone(values, problems)
    problems.check()
    try:
        cand = hiring.add_candidate(
            hiring.CandidateDetails(
                name=values["name"],
                email=values["email"],
                phone=values["phone"],
                location=values["location"],
                source=values["source"],
                consent_on=values["consent_on"],
                consent_version=values["consent_version"],
                timezone=values["timezone"],
            ),
            actor=caller(),
            channel="api",
        )
    except hiring.DuplicateCandidateError as exc:
        raise ApiError(409, str(exc), existing_id=exc.existing.id) from None
    except ServiceError as exc:
        problems.add("email", str(exc))
        problems.check()
        raise
    candidate_id = row_id(cand)
    return jsonify(
        after_commit(lambda: represent.candidate(cand), lambda: {"id": candidate_id})
    ), 201
