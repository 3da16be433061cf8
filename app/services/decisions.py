"""The debrief's decision: hire (at which level) or no hire, by the hiring manager.

A hire decision is what an offer is made from (its level and specialty); a no-hire
decision declines the application (reason "interviews") in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import select

from app.clock import utcnow
from app.db import db
from app.ladder_access import get_ladder
from app.models import Application, HiringDecision, Requisition, Role, User
from app.services import audit
from app.services.errors import ServiceError, commit_or_conflict, flush_or_conflict, stale
from app.services.hiring import decline_application, has_open_offer, requisition_of
from ladder.resolve import applicable_specialty
from pipelines.applications import ApplicationStatus, DeclineReason
from pipelines.leveling import Leveled, Outcome, check_decision


def decision_of(application_id: int) -> HiringDecision | None:
    return db.session.scalar(
        select(HiringDecision).where(HiringDecision.application_id == application_id)
    )


def may_decide(user: User, requisition: Requisition) -> bool:
    """The requisition's hiring manager decides; an admin may stand in."""
    return user.id == requisition.hiring_manager_id or user.has_role(Role.ADMIN)


def record_decision(
    application: Application,
    *,
    actor: User,
    outcome: Outcome | str,
    level_id: str | None,
    rationale: str | None,
    expected_version: int | None,
    channel: str = "web",
) -> HiringDecision:
    """Record (or revise) the decision; ``expected_version`` is the decision's version
    when revising one (None for the first). Commits.

    Refused: by anyone but the hiring manager (or an admin); on an application that is no
    longer active; once an offer is open; a level outside the leveling rules; a level other
    than the requisition's without a rationale."""
    requisition = requisition_of(application)
    if not may_decide(actor, requisition):
        raise ServiceError("Only the requisition's hiring manager can record the decision.")
    if application.status is not ApplicationStatus.ACTIVE:
        raise ServiceError(
            f"The application is {application.status.value}: the decision can no longer change."
        )
    if has_open_offer(application.id):
        raise ServiceError("An offer is open: the decision can no longer change.")
    ladder = get_ladder()
    leveled: Leveled = check_decision(ladder, requisition.level_id, outcome, level_id, rationale)
    decision = decision_of(application.id)
    if decision is not None and expected_version != decision.version:
        raise stale("This decision")
    before = (
        {"outcome": decision.outcome.value, "level_id": decision.level_id}
        if decision is not None
        else None
    )
    if decision is None:
        decision = HiringDecision(application_id=application.id)
        db.session.add(decision)
    decision.outcome = leveled.outcome
    decision.level_id = leveled.level_id
    decision.step = leveled.step
    decision.specialty_id = (
        applicable_specialty(ladder, leveled.level_id, requisition.specialty_id)
        if leveled.level_id
        else None
    )
    decision.rationale = leveled.rationale
    decision.decided_by_id = actor.id
    decision.decided_at = utcnow()
    decision.ladder_version = ladder.version
    flush_or_conflict("This decision")
    audit.record(
        "application.decision",
        actor=actor,
        channel=channel,
        object_type="application",
        object_id=application.id,
        # The rationale is about a person: the audit row names the outcome and level only.
        summary={
            "outcome": {"before": before and before["outcome"], "after": leveled.outcome.value},
            "level_id": {"before": before and before["level_id"], "after": leveled.level_id},
            **({"step": leveled.step.value} if leveled.step else {}),
        },
    )
    if leveled.outcome is Outcome.NO_HIRE:
        # Declining commits the decision with it.
        decline_application(
            application,
            actor=actor,
            reason_code=DeclineReason.INTERVIEWS.value,
            note=leveled.rationale,
            expected_version=application.version,
            channel=channel,
        )
    else:
        commit_or_conflict("This decision")
    return decision


__all__ = ["decision_of", "may_decide", "record_decision"]
