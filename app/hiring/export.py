"""Everything HireLadder holds about one candidate, as a zip: ``candidate.json`` and the CV.

The answer to a subject access request (GDPR article 15) and to a portability request
(article 20): the candidate's fields, each application with its stages, decisions and
dates, interviews, scorecards with ratings and notes (drafts and amendments included),
written-assessment invitations and answers, and the audit rows about all of them.
Read-only; the view records the export in the audit log through the privacy service.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.clock import utcnow
from app.db import db
from app.hiring.cv_content import CvKind
from app.hiring.cv_storage import InvalidCvKey, configured_store, download_name
from app.models import (
    Application,
    AssessmentInvitation,
    AuditEvent,
    Candidate,
    CandidateTag,
    Interview,
    InterviewInterviewer,
    Requisition,
    Scorecard,
    ScorecardAmendment,
    StageTransition,
    User,
)
from pipelines.privacy import CONSENT_TEXTS

FORMAT = "hireladder-candidate-export/1"


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.id, "name": user.display_name}


def export_filename(candidate: Candidate) -> str:
    """No name in it: download folders and proxy logs keep file names."""
    return f"candidate-{candidate.id}-export.zip"


def candidate_document(candidate: Candidate, cv_file: str | None) -> dict[str, Any]:
    """The JSON document of the export (``cv_file``: the CV's name inside the zip)."""
    applications = db.session.scalars(
        select(Application)
        .where(Application.candidate_id == candidate.id)
        .options(selectinload(Application.requisition))
        .order_by(Application.id)
    ).all()
    app_ids = [a.id for a in applications]
    transitions = db.session.scalars(
        select(StageTransition)
        .where(StageTransition.application_id.in_(app_ids))
        .options(selectinload(StageTransition.actor))
        .order_by(StageTransition.at, StageTransition.id)
    ).all()
    interviews = db.session.scalars(
        select(Interview)
        .where(Interview.application_id.in_(app_ids))
        .options(selectinload(Interview.interviewers).selectinload(InterviewInterviewer.user))
        .order_by(Interview.id)
    ).all()
    interview_ids = [i.id for i in interviews]
    cards = db.session.scalars(
        select(Scorecard)
        .where(Scorecard.interview_id.in_(interview_ids))
        .options(selectinload(Scorecard.interviewer))
        .order_by(Scorecard.id)
    ).all()
    card_ids = [c.id for c in cards]
    amendments = db.session.scalars(
        select(ScorecardAmendment)
        .where(ScorecardAmendment.scorecard_id.in_(card_ids))
        .order_by(ScorecardAmendment.id)
    ).all()
    invitations = db.session.scalars(
        select(AssessmentInvitation)
        .where(AssessmentInvitation.application_id.in_(app_ids))
        .order_by(AssessmentInvitation.id)
    ).all()
    authors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_(sorted({a.author_id for a in amendments})))
        )
    }

    def about(kind: str, ids: list[int]) -> Any:
        return (AuditEvent.object_type == kind) & AuditEvent.object_id.in_([str(i) for i in ids])

    audit_rows = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                about("candidate", [candidate.id]),
                about("application", app_ids),
                about("interview", interview_ids),
                about("scorecard", card_ids),
            )
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()

    def card_json(card: Scorecard) -> dict[str, Any]:
        return {
            "id": card.id,
            "interviewer": _person(card.interviewer),
            "ratings": dict(card.ratings or {}),
            "recommendation": card.recommendation,
            "notes": card.notes,
            "criterion_notes": dict(card.criterion_notes or {}),
            "submitted_at": _iso(card.submitted_at),
            "created_at": _iso(card.created_at),
            "amendments": [
                {
                    "author": _person(authors.get(a.author_id)),
                    "text": a.text,
                    "created_at": _iso(a.created_at),
                }
                for a in amendments
                if a.scorecard_id == card.id
            ],
        }

    def interview_json(interview: Interview) -> dict[str, Any]:
        return {
            "id": interview.id,
            "stage": interview.stage_id,
            "starts_at": _iso(interview.starts_at),
            "duration_minutes": interview.duration_minutes,
            "location": interview.location,
            "interviewers": [_person(seat.user) for seat in interview.interviewers],
            "created_at": _iso(interview.created_at),
            "scorecards": [card_json(c) for c in cards if c.interview_id == interview.id],
        }

    def application_json(application: Application) -> dict[str, Any]:
        requisition: Requisition = application.requisition
        return {
            "id": application.id,
            "requisition": {
                "id": requisition.id,
                "title": requisition.title,
                "level_id": requisition.level_id,
            },
            "stage": application.stage_id,
            "status": application.status,
            "entered_stage_at": _iso(application.entered_stage_at),
            "decline_reason": application.decline_reason,
            "decline_note": application.decline_note,
            "screen_passed": application.screen_passed,
            "references_passed": application.references_passed,
            "assessment_sent_at": _iso(application.assessment_sent_at),
            "assessment_received_at": _iso(application.assessment_received_at),
            "created_at": _iso(application.created_at),
            "history": [
                {
                    "action": t.action,
                    "at": _iso(t.at),
                    "actor": _person(t.actor),
                    "from": {"stage": t.from_stage, "status": t.from_status},
                    "to": {"stage": t.to_stage, "status": t.to_status},
                    "reason": t.reason,
                    "note": t.note,
                    "overridden": list(t.overridden or ()),
                }
                for t in transitions
                if t.application_id == application.id
            ],
            "interviews": [
                interview_json(i) for i in interviews if i.application_id == application.id
            ],
            "assessment_invitations": [
                {
                    "id": inv.id,
                    "sent_at": _iso(inv.sent_at),
                    "expires_at": _iso(inv.expires_at),
                    "answered_at": _iso(inv.used_at),
                    "questions": list(inv.questions or ()),
                    "answers": list(inv.answers) if inv.answers is not None else None,
                }
                for inv in invitations
                if inv.application_id == application.id
            ],
        }

    return {
        "format": FORMAT,
        "exported_at": _iso(utcnow()),
        "candidate": {
            "id": candidate.id,
            "name": candidate.name,
            "email": candidate.email,
            "phone": candidate.phone,
            "location": candidate.location,
            "source": candidate.source,
            "consent_on": _iso(candidate.consent_on),
            "consent_version": candidate.consent_version,
            "consent_text": CONSENT_TEXTS.get(candidate.consent_version or ""),
            "timezone": candidate.timezone,
            "links": list(candidate.links or []),
            "notes": candidate.notes,
            "tags": list(
                db.session.scalars(
                    select(CandidateTag.tag)
                    .where(CandidateTag.candidate_id == candidate.id)
                    .order_by(CandidateTag.tag)
                )
            ),
            "cv_text": candidate.cv_text,
            "created_at": _iso(candidate.created_at),
            "erased_at": _iso(candidate.erased_at),
            "cv": None
            if candidate.cv_key is None
            else {
                "file": cv_file,
                "kind": candidate.cv_kind,
                "size": candidate.cv_size,
                "sha256": candidate.cv_sha256,
            },
        },
        "applications": [application_json(a) for a in applications],
        "audit": [
            {
                "occurred_at": _iso(e.occurred_at),
                "action": e.action,
                "channel": e.channel,
                "actor_id": e.actor_id,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "summary": e.summary,
            }
            for e in audit_rows
        ],
    }


def _cv_bytes(candidate: Candidate) -> tuple[str, bytes] | None:
    if candidate.cv_key is None or candidate.cv_kind is None:
        return None
    kind = CvKind(candidate.cv_kind)
    try:
        with configured_store().open(candidate.cv_key) as handle:
            data = handle.read()
    except (InvalidCvKey, FileNotFoundError):
        return None
    return "cv/" + download_name(candidate.name, kind), data


def candidate_zip(candidate: Candidate) -> bytes:
    """The export as zip bytes (a CV is at most the upload limit, so memory is fine)."""
    cv = _cv_bytes(candidate)
    document = candidate_document(candidate, cv[0] if cv else None)
    stamp = utcnow().timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("candidate.json", date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(
            info, json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
        )
        if cv is not None:
            info = zipfile.ZipInfo(cv[0], date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, cv[1])
    return buffer.getvalue()


def zip_download(data: bytes, filename: str) -> Response:
    """A zip of personal data: never cached, always saved rather than shown."""
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
