"""The debrief and the decision in the API.

``GET /applications/{id}/debrief``: the matrix (criteria x scorecards), each row's flags,
the summary, the plan's coverage check, whether the debrief is open (and why not), the
levels a hire may be made at with their ladder diffs, and the decision if one is recorded.
``PUT /applications/{id}/decision``: record or change the decision.

The page's permissions: the requisition's hiring manager and admins read and decide, the
requisition's recruiter reads (403 on PUT), anyone else gets 404. Reads are audited.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, caller
from app.api.errors import ApiError, refused
from app.careers import represent as ladder_json
from app.denials import deny
from app.hiring import bodies, queries
from app.hiring.represent import iso, stage
from app.ladder_access import get_ladder
from app.models import Application, HiringDecision, User
from app.routing import Routes
from app.services import debrief, decisions
from app.services.errors import ConflictError, ServiceError
from ladder.resolve import relation
from pipelines.errors import PipelineError

routes = Routes()


def _application_or_404(application_id: int, user: User) -> Application:
    application = queries.application(application_id)
    if application is None:
        abort(404)
    if not debrief.may_view(user, application.requisition):
        deny("application", application_id)
    return application


def decision_json(decision: HiringDecision | None, decided_by: str | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "outcome": decision.outcome.value,
        "level_id": decision.level_id,
        "specialty_id": decision.specialty_id,
        "step": decision.step.value if decision.step else None,
        "rationale": decision.rationale,
        "decided_by": (
            {"id": decision.decided_by_id, "name": decided_by}
            if decision.decided_by_id is not None
            else None
        ),
        "decided_at": iso(decision.decided_at),
        "ladder_version": decision.ladder_version,
        "version": decision.version,
    }


def debrief_json(view: debrief.Debrief) -> dict[str, Any]:
    ladder = get_ladder()
    matrix = view.matrix
    rows: list[dict[str, Any]] = []
    summary = None
    if matrix is not None:
        rows = [
            {
                "criterion": {"id": row.criterion.id, "text": row.criterion.text},
                "cells": [cell.value for cell in row.cells],
                "flags": [flag.value for flag in row.flags],
                "spread": row.spread,
            }
            for row in matrix.rows
        ]
        s = matrix.summary
        summary = {
            "scorecards": s.scorecards,
            "interviewers": s.interviewers,
            "yes": s.yes,
            "no": s.no,
            "strong_yes": s.strong_yes,
            "strong_no": s.strong_no,
            "disagreed": s.disagreed,
            "unassessed": s.unassessed,
            "single_assessor": s.single_assessor,
        }
    coverage = None
    if view.coverage is not None:
        coverage = {
            "complete": view.coverage.complete,
            "uncovered": [{"id": c.id, "text": c.text} for c in view.coverage.uncovered],
            "single_interviewer": [
                {"id": c.id, "text": c.text} for c in view.coverage.single_interviewer
            ],
        }
    requisition = view.requisition
    return {
        "application_id": view.application.id,
        "requisition": {
            "id": requisition.id,
            "title": requisition.title,
            "level_id": requisition.level_id,
            "specialty_id": requisition.specialty_id,
        },
        "ready": view.readiness.ready,
        "reason": view.readiness.reason,
        "waiting": [
            {"stage": name, "submitted": done, "expected": expected}
            for name, done, expected in view.readiness.waiting
        ],
        "columns": [
            {
                "scorecard_id": col.card.id,
                "interviewer": {"id": col.card.interviewer_id, "name": col.interviewer},
                "stage": stage(col.stage),
                "recommendation": col.card.recommendation,
                "notes": col.card.notes or "",
                "submitted_at": iso(col.card.submitted_at),
                "amendments": [{"text": a.text, "at": iso(a.created_at)} for a in col.amendments],
            }
            for col in view.columns
        ],
        "rows": rows,
        "unmatched": list(matrix.unmatched) if matrix is not None else [],
        "summary": summary,
        "coverage": coverage,
        "level_options": [
            {
                "level": {"id": c.level.id, "title": c.level.title, "grade": c.level.grade},
                "step": c.step.value,
                "diff": (
                    ladder_json.diff(
                        ladder, c.diff, relation(ladder, requisition.level_id, c.level.id)
                    )
                    if c.diff is not None
                    else None
                ),
            }
            for c in view.choices
        ],
        "decision": decision_json(view.decision, view.decided_by),
    }


@routes.get("/applications/<int:application_id>/debrief")
@api_login_required
def application_debrief(application_id: int) -> ResponseReturnValue:
    user = caller()
    application = _application_or_404(application_id, user)
    view = debrief.load_debrief(application)
    body = debrief_json(view)
    debrief.audit_read(view, user, channel="api")
    return jsonify(body)


@routes.put("/applications/<int:application_id>/decision")
@api_login_required
def application_decision(application_id: int) -> ResponseReturnValue:
    user = caller()
    application = _application_or_404(application_id, user)
    if not decisions.may_decide(user, application.requisition):
        abort(403)
    values, problems = bodies.DECISION.parse()
    problems.check()
    try:
        debrief.decide(
            application,
            actor=user,
            outcome=values["outcome"],
            level_id=values["level_id"],
            rationale=values["rationale"],
            expected_version=values["version"],
            channel="api",
        )
    except debrief.DecisionFieldError as exc:
        raise ApiError(
            422,
            "Some fields are not valid; see 'fields'.",
            fields={exc.field: [str(exc)]},
            pointer=f"/{exc.field}",
        ) from None
    except ConflictError as exc:
        current = decisions.decision_of(application_id)
        raise ApiError(
            409,
            str(exc),
            conflict="stale",
            **({"current_version": current.version} if current is not None else {}),
        ) from None
    except (ServiceError, PipelineError) as exc:
        raise refused(str(exc)) from None
    decision = debrief.decision_with_author(application_id)
    assert decision is not None
    author = decision.decided_by.display_name if decision.decided_by is not None else None
    return jsonify(decision_json(decision, author))
