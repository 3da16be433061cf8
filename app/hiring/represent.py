"""JSON representations of hiring objects (the shapes the OpenAPI document describes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Row

from app.models import (
    Application,
    AssessmentInvitation,
    Candidate,
    Interview,
    Requisition,
    Scorecard,
    StageTransition,
)
from app.models import User as UserModel
from app.services.outbox import Recipient, Rendered
from ladder.model import Ladder
from pipelines.plan import PipelinePlan, PlannedStage
from pipelines.scorecards import Criterion


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def person(user: UserModel | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "name": user.display_name, "email": user.email}


def stage(st: PlannedStage) -> dict[str, Any]:
    return {
        "id": st.id,
        "name": st.name,
        "kind": st.kind.value,
        "duration_minutes": st.duration_minutes,
    }


def requisition(req: Requisition, plan: PipelinePlan, ladder: Ladder) -> dict[str, Any]:
    """Needs ``hiring_manager`` and ``recruiter`` loaded."""
    lv = ladder.levels_by_id.get(req.level_id)
    return {
        "id": req.id,
        "title": req.title,
        "level_id": req.level_id,
        "level_title": lv.title if lv is not None else None,
        "specialty": req.specialty_id,
        "hiring_manager": person(req.hiring_manager),
        "recruiter": person(req.recruiter),
        "headcount": req.headcount,
        "status": req.status,
        "ladder_version": req.ladder_version,
        "created_at": iso(req.created_at),
        "version": req.version,
        "stages": [stage(st) for st in plan.stages],
        "posting": posting(req),
    }


def posting(req: Requisition) -> dict[str, Any]:
    """The requisition's careers-site posting: its own fields and whether it is shown."""
    return {
        "published": req.published_at is not None,
        "published_at": iso(req.published_at),
        "live": req.posting_live,
        "intro": req.posting_intro,
        "location": req.posting_location,
        "remote": bool(req.posting_remote),
        "employment_type": req.employment_type.value,
        "valid_through": iso(req.posting_valid_through),
    }


def candidate(cand: Candidate) -> dict[str, Any]:
    return {
        "id": cand.id,
        "name": cand.name,
        "email": cand.email,
        "phone": cand.phone,
        "location": cand.location,
        "source": cand.source,
        "timezone": cand.timezone,
        "consent_on": iso(cand.consent_on),
        "consent_version": cand.consent_version,
        "has_cv": cand.cv_key is not None,
        "created_at": iso(cand.created_at),
        "erased_at": iso(cand.erased_at),
        "version": cand.version,
    }


def candidate_record(
    cand: Candidate,
    *,
    tags: list[str],
    applications: list[Application],
    plans: dict[int, PipelinePlan],
) -> dict[str, Any]:
    """A candidate with links, notes, tags and every application (``requisition`` loaded)."""
    rows = [application_row(a, plans[a.id]) for a in applications]
    return {
        **candidate(cand),
        "links": list(cand.links or []),
        "notes": cand.notes,
        "tags": tags,
        "has_cv_text": cand.cv_text is not None,
        "merged_into_id": cand.merged_into_id,
        "applications": rows,
    }


def application_row(a: Application, plan: PipelinePlan) -> dict[str, Any]:
    """An application as a candidate's record lists it. Needs ``requisition`` loaded."""
    return _application(a, a.requisition.id, a.requisition.title, plan)


def application_summary(a: Row[Any], plan: PipelinePlan) -> dict[str, Any]:
    """An item of the applications list, from a row of
    :func:`app.hiring.queries.application_list`: the record's row with the candidate and
    the version (the whole application, with its history and interviews, is GET
    /applications/{id})."""
    return {
        **_application(a, a.requisition_id, a.requisition_title, plan),
        "candidate": {"id": a.candidate_id, "name": a.candidate_name, "email": a.candidate_email},
        "version": a.version,
    }


def _application(a: Any, requisition_id: int, title: str, plan: PipelinePlan) -> dict[str, Any]:
    """What an application's object and a list's row of it have in common."""
    return {
        "id": a.id,
        "requisition": {"id": requisition_id, "title": title},
        "stage": {
            "id": a.stage_id,
            "name": next((st.name for st in plan.stages if st.id == a.stage_id), a.stage_id),
        },
        "status": a.status.value,
        "source": a.source.value,
        "created_at": iso(a.created_at),
        "entered_stage_at": iso(a.entered_stage_at),
    }


def transition(t: StageTransition) -> dict[str, Any]:
    """Needs ``actor`` loaded."""
    actor = t.actor
    return {
        "action": t.action,
        "actor": {"id": actor.id, "name": actor.display_name} if actor is not None else None,
        "at": iso(t.at),
        "from": (
            {"stage": t.from_stage, "status": t.from_status} if t.from_status is not None else None
        ),
        "to": {"stage": t.to_stage, "status": t.to_status},
        "reason": t.reason,
        "note": t.note,
        "overridden": list(t.overridden or ()),
    }


def interview_summary(interview: Interview) -> dict[str, Any]:
    """Needs ``interviewers`` loaded."""
    return {
        "id": interview.id,
        "stage": interview.stage_id,
        "scheduled_at": iso(interview.starts_at),
        "duration_minutes": interview.duration_minutes,
        "location": interview.location,
        "interviewer_ids": sorted(seat.user_id for seat in interview.interviewers),
        "cancelled_at": iso(interview.cancelled_at),
        "version": interview.version,
    }


def assessment(invitation: AssessmentInvitation | None, state: str | None) -> dict[str, Any] | None:
    """Where the written assessment's latest link stands; never the link (nor its token)."""
    if invitation is None:
        return None
    return {
        "status": state,
        "sent_at": iso(invitation.sent_at),
        "expires_at": iso(invitation.expires_at),
        "received_at": iso(invitation.used_at),
    }


def message_preview(
    recipient: Recipient, rendered: Rendered, *, sender: str, text: str | None = None
) -> dict[str, Any]:
    """A message to the candidate as it would be sent."""
    return {
        "to": {"name": recipient.name, "address": recipient.address, "timezone": recipient.zone},
        "from": sender,
        "subject": rendered.subject,
        "text": rendered.text,
        "html": rendered.html,
        "message": text,
    }


def application(
    app_: Application,
    plan: PipelinePlan,
    history: Iterable[StageTransition],
    interviews: Iterable[Interview],
    invitation: AssessmentInvitation | None = None,
    invitation_state: str | None = None,
) -> dict[str, Any]:
    """Needs ``candidate``, ``requisition`` and ``referrer`` loaded."""
    current = plan.stage(app_.stage_id) if app_.stage_id in plan.stage_ids else None
    return {
        "id": app_.id,
        "candidate": {
            "id": app_.candidate.id,
            "name": app_.candidate.name,
            "email": app_.candidate.email,
        },
        "requisition": {"id": app_.requisition.id, "title": app_.requisition.title},
        "stage": stage(current) if current is not None else {"id": app_.stage_id},
        "status": app_.status,
        "entered_stage_at": iso(app_.entered_stage_at),
        "screen_passed": app_.screen_passed,
        "assessment": assessment(invitation, invitation_state),
        "references_passed": app_.references_passed,
        "overridden": list(app_.overridden or ()),
        "decline_reason": app_.decline_reason,
        "source": app_.source.value,
        "referrer": (
            {"id": app_.referrer.id, "name": app_.referrer.display_name}
            if app_.referrer is not None
            else None
        ),
        "referral_note": app_.referral_note,
        "version": app_.version,
        "history": [transition(t) for t in history],
        "interviews": [interview_summary(i) for i in interviews],
    }


def criterion(c: Criterion) -> dict[str, Any]:
    return {
        "id": c.id,
        "text": c.text,
        "items": list(c.items),
        "description": c.description,
        "source": c.source.value,
        "scope": c.scope.value,
        "origin": c.origin,
    }


def scorecard(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.id,
        "interview_id": card.interview_id,
        "interviewer_id": card.interviewer_id,
        "ratings": dict(card.ratings or {}),
        "recommendation": card.recommendation,
        "notes": card.notes,
        "criterion_notes": dict(card.criterion_notes or {}),
        "submitted": card.submitted_at is not None,
        "submitted_at": iso(card.submitted_at),
        "version": card.version,
    }


def interview(
    iv: Interview,
    app_: Application,
    plan: PipelinePlan,
    criteria: Iterable[Criterion],
    own_scorecard: Scorecard | None,
    questions: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """What an interviewer needs: the candidate's name, the stage, the criteria (with the
    interview kit's questions)."""
    return {
        **_interview_core(iv, app_, plan),
        "criteria": [criterion(c) for c in criteria],
        "questions": {cid: list(qs) for cid, qs in (questions or {}).items()},
        "my_scorecard": scorecard(own_scorecard) if own_scorecard is not None else None,
    }


def _interview_core(iv: Interview, app_: Application, plan: PipelinePlan) -> dict[str, Any]:
    """An interview, its stage, and only what an interviewer needs of its application."""
    return {
        **interview_summary(iv),
        "stage": stage(plan.stage(iv.stage_id)),
        "application_id": app_.id,
        "candidate": {"id": app_.candidate.id, "name": app_.candidate.name},
        "requisition": {
            "id": app_.requisition.id,
            "title": app_.requisition.title,
            "level_id": app_.requisition.level_id,
        },
    }


def my_interview(
    iv: Interview,
    app_: Application,
    plan: PipelinePlan,
    *,
    section: str,
    overdue: bool,
    card_id: int | None,
    submitted_at: datetime | None,
) -> dict[str, Any]:
    """One of the caller's own interviews in a list (GET /interviews): what
    :func:`interview` answers without the criteria, the kit's questions and the
    scorecard's contents (GET /interviews/{id} has them), plus where the caller's
    scorecard stands. Needs ``interviewers`` loaded."""
    return {
        **_interview_core(iv, app_, plan),
        "section": section,
        "overdue": overdue,
        "my_scorecard": None
        if card_id is None
        else {
            "id": card_id,
            "submitted": submitted_at is not None,
            "submitted_at": iso(submitted_at),
        },
    }
