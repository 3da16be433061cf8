"""JSON API for requisitions, and adding a candidate (the candidates list, a candidate's
record and its edits are :mod:`app.hiring.candidate_api`).

Lists answer only what the caller may see; an object the caller may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from app.api.auth import api_roles, caller
from app.api.errors import ApiError, Problems, refused, stale_version
from app.api.responses import created, cursor_args, next_page
from app.clock import utcnow
from app.hiring import bodies, queries, represent
from app.hiring.permissions import RECRUITING, STAFF, can_edit_posting, can_view_requisition
from app.ladder_access import get_ladder
from app.models import Requisition, Role, User
from app.paging import rows_after
from app.routing import Routes
from app.rows import after_commit, row_id
from app.services import hiring, postings
from app.services.accounts import get_user_by_email
from app.services.errors import ConflictError, ServiceError
from pipelines.postings import EmploymentType, PostingFields, publish_problems
from pipelines.requisitions import RequisitionStatus

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
    """Newest first by (created_at, id), ``?after=`` the cursor in ``next``: one query
    (on ix_requisitions_created) however deep the page."""
    problems = Problems()
    after, per_page = cursor_args(problems)
    problems.check()
    items, more = rows_after(
        queries.requisition_list(caller()).order_by(None),
        moment=Requisition.created_at,
        row_id=Requisition.id,
        after=after,
        per_page=per_page,
    )
    shown = [row[0] for row in items]
    ladder = get_ladder()
    last = (shown[-1].created_at, shown[-1].id) if more else None
    return jsonify(
        items=[represent.requisition(r, hiring.plan_for(r), ladder) for r in shown],
        per_page=per_page,
        next=next_page("api.requisitions", last),
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


_POSTING_FIELDS = (
    "posting_intro",
    "posting_location",
    "posting_remote",
    "employment_type",
    "posting_valid_through",
)
_GENERAL_FIELDS = ("title", "headcount", "status", "hiring_manager_email", "recruiter_email")


def _new_posting(req: Requisition, values: dict[str, Any], sent: set[str]) -> PostingFields:
    """The posting's fields after the change: the ones sent, else the current ones."""
    current = postings.fields_of(req)

    def pick(name: str, attr: str) -> Any:
        return values[name] if name in sent else getattr(current, attr)

    return PostingFields(
        intro=pick("posting_intro", "intro"),
        location=pick("posting_location", "location"),
        remote=bool(pick("posting_remote", "remote")),
        employment_type=EmploymentType(pick("employment_type", "employment_type") or "FULL_TIME"),
        valid_through=pick("posting_valid_through", "valid_through"),
    )


@routes.patch("/requisitions/<int:requisition_id>")
@api_roles(*RECRUITING)
def requisition_update(requisition_id: int) -> ResponseReturnValue:
    """Change a requisition: the fields sent, and nothing else (see bodies.REQUISITION_EDIT).

    Every check runs before anything is written, so a refused call changes nothing."""
    user = caller()
    req = queries.requisition(requisition_id)
    if req is None:
        abort(404)
    values, problems = bodies.REQUISITION_EDIT.parse()
    sent = {name for name in (request.get_json(silent=True) or {}) if name in values}
    for name in ("title", "headcount", "status", "posting_remote", "employment_type"):
        if name in sent and values[name] is None:
            problems.add(name, "This field cannot be null.")
    if "published" in sent and values["published"] is None:
        problems.add("published", "Send true or false.")
    for name, kind in (("status", RequisitionStatus), ("employment_type", EmploymentType)):
        if values[name] is not None and values[name] not in kind.__members__.values():
            problems.add(name, f"One of: {', '.join(m.value for m in kind)}.")
            values[name] = None
    hiring_manager = (
        user_by_email(values["hiring_manager_email"], "hiring_manager_email", problems)
        if "hiring_manager_email" in sent
        else req.hiring_manager
    )
    recruiter = (
        user_by_email(values["recruiter_email"], "recruiter_email", problems)
        if "recruiter_email" in sent
        else req.recruiter
    )
    problems.check()
    if values["version"] != req.version:
        raise stale_version(
            "This requisition was changed since you read it. Read it again, then send the "
            "change on top of the current version.",
            current_version=req.version,
        )
    touches_posting = bool(sent & {*_POSTING_FIELDS, "published"})
    if touches_posting and not can_edit_posting(user, req):
        raise ApiError(403, "Only the requisition's recruiter or an admin edits its posting.")
    status = RequisitionStatus(values["status"]) if "status" in sent else req.status
    fields = _new_posting(req, values, sent)
    publish = values["published"] if "published" in sent else None
    will_be_published = publish is True or (publish is None and req.published_at is not None)
    if publish is True and status is not RequisitionStatus.OPEN:
        problems.add(
            "published",
            f"The requisition is {status.label.lower()}; only an open requisition can be "
            "published.",
        )
    if will_be_published:
        for field, message in publish_problems(fields, today=utcnow().date()).items():
            problems.add(field, message)
    problems.check()
    assert hiring_manager is not None and recruiter is not None
    try:
        if sent & set(_GENERAL_FIELDS):
            hiring.update_requisition(
                req,
                title=values["title"] if "title" in sent else req.title,
                level_id=req.level_id,
                specialty_id=req.specialty_id,
                hiring_manager=hiring_manager,
                recruiter=recruiter,
                headcount=values["headcount"] if "headcount" in sent else req.headcount,
                status=status,
                expected_version=values["version"],
                actor=user,
                channel="api",
            )
        if sent & set(_POSTING_FIELDS):
            postings.update_posting(
                req, fields, expected_version=req.version, actor=user, channel="api"
            )
        if publish is True:
            postings.publish(req, expected_version=req.version, actor=user, channel="api")
        elif publish is False:
            postings.unpublish(req, expected_version=req.version, actor=user, channel="api")
    except ConflictError as exc:
        raise stale_version(str(exc)) from None
    except postings.PostingError as exc:
        problems.add(exc.field, str(exc))
        problems.check()
        raise
    except ServiceError as exc:
        problems.add(_person_at_fault(hiring_manager, recruiter), str(exc))
        problems.check()
        raise
    return jsonify(_requisition_json(requisition_id))


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
        raise refused(str(exc), existing_id=exc.existing.id) from None
    except ServiceError as exc:
        problems.add("email", str(exc))
        problems.check()
        raise
    candidate_id = row_id(cand)
    return jsonify(
        after_commit(lambda: represent.candidate(cand), lambda: {"id": candidate_id})
    ), 201
