"""JSON API for candidates' records: the list (the web list's search and filters, keyset
pages), one candidate with every application, and editing the record.

Recruiters and admins only. Every read of personal data is audited.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, api_roles, caller
from app.api.errors import Problems, refused, stale_version
from app.api.responses import keyset_args, query_choice, query_date, query_int
from app.db import db
from app.hiring import bodies, represent
from app.hiring import candidate_queries as cq
from app.hiring.access import candidate_for_privacy_or_404
from app.hiring.permissions import RECRUITING
from app.inputs import DB_INT_MAX
from app.ladder_access import get_ladder
from app.models import Candidate
from app.routing import Routes
from app.rows import after_commit
from app.services import audit, hiring
from app.services import candidates as records
from app.services.errors import ConflictError, ServiceError
from pipelines.applications import ApplicationStatus
from pipelines.sources import ApplicationSource

routes = Routes()

#: The query parameters of GET /candidates (documented in the OpenAPI document).
LIST_PARAMETERS = (
    "q",
    "requisition_id",
    "family",
    "stage",
    "status",
    "source",
    "tag",
    "created_from",
    "created_to",
    "after",
    "per_page",
)


def list_filters() -> tuple[cq.CandidateFilters, int | None, int]:
    """The filters, ``after`` and ``per_page`` of GET /candidates; 422 naming each bad one."""
    problems = Problems()
    if "page" in request.args:
        problems.add("page", "This list pages with ?after= (follow the answer's 'next' address).")
    q = request.args.get("q", "")
    if len(q) > 200:
        problems.add("q", "At most 200 characters.")
    family = request.args.get("family", "").strip() or None
    if family is not None and family not in {f.id for f in get_ladder().families}:
        problems.add("family", "Not a family id of the ladder (see GET /ladder/families).")
    tag = request.args.get("tag", "").strip() or None
    if tag is not None and len(tag) > 50:
        problems.add("tag", "At most 50 characters.")
    stage = request.args.get("stage", "").strip() or None
    if stage is not None and len(stage) > 100:
        problems.add("stage", "At most 100 characters.")
    filters = cq.CandidateFilters(
        q=q,
        requisition_id=query_int("requisition_id", problems, low=1, high=DB_INT_MAX),
        family=family,
        stage=stage,
        status=query_choice("status", ApplicationStatus, problems),
        source=query_choice("source", ApplicationSource, problems),
        tag=tag,
        created_from=query_date("created_from", problems),
        created_to=query_date("created_to", problems),
    )
    after, per_page = keyset_args(problems)
    problems.check()
    return filters, after, per_page


@routes.get("/candidates")
@api_roles(*RECRUITING)
def candidates() -> ResponseReturnValue:
    filters, after, per_page = list_filters()
    query = cq.candidate_search(filters)
    if after is not None:
        query = query.where(Candidate.id < after)
    rows = list(db.session.scalars(query.order_by(Candidate.id.desc()).limit(per_page + 1)))
    items = rows[:per_page]
    ids = [c.id for c in items]
    tags = cq.tags_by_candidate(ids)
    following = None
    if len(rows) > per_page:
        args = {k: v for k, v in request.args.items() if k != "after" and v != ""}
        following = url_for("api.candidates", after=items[-1].id, **args)
    body = {
        "items": [{**represent.candidate(c), "tags": tags[c.id]} for c in items],
        "per_page": per_page,
        "next": following,
    }
    # One row per page read, naming the candidates on it by id (at most MAX_PER_PAGE of
    # them, no personal data), so the log tells which candidates a caller listed.
    audit.record_read(
        audit.CANDIDATE_LIST,
        actor=caller(),
        channel="api",
        object_type="candidate",
        summary={"ids": ids, "count": len(ids), "searched": filters.any},
    )
    return jsonify(body)


def candidate_record(candidate: Candidate) -> dict[str, Any]:
    applications = cq.applications_by_candidate([candidate.id])[candidate.id]
    return represent.candidate_record(
        candidate,
        tags=records.tags_of(candidate.id),
        applications=applications,
        plans={a.id: hiring.plan_for(a.requisition) for a in applications},
    )


@routes.get("/candidates/<int:candidate_id>")
@api_login_required
def candidate_detail(candidate_id: int) -> ResponseReturnValue:
    candidate = candidate_for_privacy_or_404(candidate_id, caller())
    body = candidate_record(candidate)
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=caller(),
        channel="api",
        object_type="candidate",
        object_id=candidate_id,
    )
    return jsonify(body)


@routes.patch("/candidates/<int:candidate_id>")
@api_login_required
def candidate_update(candidate_id: int) -> ResponseReturnValue:
    candidate = candidate_for_privacy_or_404(candidate_id, caller())
    values, problems = bodies.CANDIDATE_EDIT.parse()
    bodies.check_timezone(values, problems)
    problems.check()
    sent = request.get_json(silent=True) or {}
    changes = {name: values[name] for name in records.EDITABLE if name in sent}
    try:
        records.update_candidate(
            candidate,
            changes,
            actor=caller(),
            expected_version=values["version"],
            channel="api",
        )
    except records.CandidateFieldError as exc:
        problems.add(exc.field, str(exc))
        problems.check()
        raise
    except ConflictError as exc:
        db.session.rollback()
        raise stale_version(str(exc), current_version=candidate.version) from None
    except ServiceError as exc:
        raise refused(str(exc)) from None
    return jsonify(
        after_commit(
            lambda: candidate_record(db.session.get(Candidate, candidate_id)),  # type: ignore[arg-type]
            lambda: {"id": candidate_id},
        )
    )
