"""JSON API for hiring (routes on the api blueprint): the ladder, requisitions, candidates.

Applications, interviews and scorecards are in :mod:`app.api.applications`, the OpenAPI
document in :mod:`app.api.openapi`; both are imported at the end of this module.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api import bodies, represent
from app.api.access import RECRUITING, STAFF, api_roles, caller
from app.api.payload import ApiError, Problems, page_args, paginated
from app.api.routes import api_login_required, bp
from app.db import db
from app.hiring.permissions import can_view_requisition
from app.ladder_access import get_ladder
from app.models import Candidate, Requisition, Role, User
from app.services import hiring
from app.services.accounts import get_user_by_email
from app.services.errors import ServiceError


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> ResponseReturnValue:
    return error.response()


def user_by_email(email: str | None, field: str, problems: Problems) -> User | None:
    """The user with this e-mail address; a problem on ``field`` when there is none."""
    if email is None:
        return None
    user = get_user_by_email(email)
    if user is None:
        problems.add(field, f"No user has the e-mail address {email}.")
    return user


def created(body: dict[str, Any], location: str) -> tuple[Response, int, dict[str, str]]:
    return jsonify(body), 201, {"Location": location}


# --- ladder -----------------------------------------------------------------------


@bp.get("/ladder/levels")
@api_login_required
def ladder_levels() -> ResponseReturnValue:
    ladder = get_ladder()
    family = request.args.get("family") or None
    if family is not None and family not in ladder.families_by_id:
        known = ", ".join(ladder.families_by_id)
        problems = Problems()
        problems.add("family", f"The ladder has no family {family!r} (families: {known}).")
        problems.check()
    items = [
        represent.level(lv)
        for fam in ladder.families
        if family is None or fam.id == family
        for lv in fam.levels
    ]
    return jsonify(items=items, ladder_version=ladder.version)


# --- requisitions -----------------------------------------------------------------


def _requisition_query() -> Any:
    return select(Requisition).options(
        joinedload(Requisition.hiring_manager), joinedload(Requisition.recruiter)
    )


def requisition_json(requisition_id: int) -> dict[str, Any]:
    req = db.session.scalar(_requisition_query().where(Requisition.id == requisition_id))
    assert req is not None
    return represent.requisition(req, hiring.plan_for(req), get_ladder())


@bp.get("/requisitions")
@api_roles(*STAFF)
def requisitions() -> ResponseReturnValue:
    user = caller()
    page, per_page = page_args()
    query = _requisition_query()
    if not user.has_role(*RECRUITING):
        query = query.where(Requisition.hiring_manager_id == user.id)
    pagination = db.paginate(
        query.order_by(Requisition.created_at.desc(), Requisition.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
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


@bp.post("/requisitions")
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
    return created(
        requisition_json(req.id), url_for("api.requisition_detail", requisition_id=req.id)
    )


@bp.get("/requisitions/<int:requisition_id>")
@api_roles(*STAFF)
def requisition_detail(requisition_id: int) -> ResponseReturnValue:
    req = db.session.scalar(_requisition_query().where(Requisition.id == requisition_id))
    if req is None or not can_view_requisition(caller(), req):
        abort(404)
    return jsonify(represent.requisition(req, hiring.plan_for(req), get_ladder()))


# --- candidates -------------------------------------------------------------------


@bp.get("/candidates")
@api_roles(*RECRUITING)
def candidates() -> ResponseReturnValue:
    page, per_page = page_args()
    pagination = db.paginate(
        select(Candidate).order_by(Candidate.created_at.desc(), Candidate.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return jsonify(paginated(pagination, represent.candidate))


@bp.post("/candidates")
@api_roles(*RECRUITING)
def candidate_create() -> ResponseReturnValue:
    values, problems = bodies.CANDIDATE.parse()
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
    body = represent.candidate(cand)
    return jsonify(body), 201


# Applications, interviews, scorecards and the OpenAPI document, on this blueprint.
from app.api import applications as _applications  # noqa: E402, F401
from app.api import openapi as _openapi  # noqa: E402, F401
