"""Offers as JSON and as the rows the pages show: compensation only for those who may see
it (the requisition's recruiter and hiring manager, admins), null for everyone else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.db import db
from app.ladder_access import get_ladder
from app.models import Application, AuditEvent, Offer, Requisition, Role
from app.services import offers as service
from pipelines.offers import OfferMove, OfferStatus, moves_for

#: The audit actions that make an offer's history, and how they read.
HISTORY = {
    "offer.create": "Drafted",
    "offer.update": "Terms changed",
    "offer.ask_approval": "Approval asked",
    "offer.approve": "Approved",
    "offer.reject": "Sent back to draft (not approved)",
    "offer.extend": "Extended to the candidate",
    "offer.accept": "Accepted by the candidate",
    "offer.decline": "Declined by the candidate",
    "offer.withdraw": "Withdrawn",
    "offer.hire": "Marked hired",
}


@dataclass(frozen=True)
class Step:
    at: datetime
    what: str
    actor: str | None
    fields: tuple[str, ...]


def histories(offer_ids: Sequence[int]) -> dict[int, list[Step]]:
    """Each offer's moves, oldest first, from the audit log (one query)."""
    if not offer_ids:
        return {}
    rows = db.session.scalars(
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(
            AuditEvent.action.in_(tuple(HISTORY)),
            AuditEvent.object_type == "offer",
            AuditEvent.object_id.in_([str(i) for i in offer_ids]),
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    out: dict[int, list[Step]] = {offer_id: [] for offer_id in offer_ids}
    for row in rows:
        fields = row.summary.get("fields") if row.action == "offer.update" else None
        out[int(row.object_id or 0)].append(
            Step(
                row.occurred_at,
                HISTORY[row.action],
                row.actor.display_name if row.actor else None,
                tuple(fields or ()),
            )
        )
    return out


def moves(offer: Offer, requisition: Requisition, user: Any) -> tuple[OfferMove, ...]:
    return moves_for(
        offer.status,
        needs_approval=offer.needs_approval,
        may_write=service.may_write(user, requisition),
        is_admin=bool(user.has_role(Role.ADMIN)),
    )


def may_hire(offer: Offer, application: Application, requisition: Requisition, user: Any) -> bool:
    return (
        offer.status is OfferStatus.ACCEPTED
        and application.hired_user_id is None
        and service.may_write(user, requisition)
    )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def offer(
    offer: Offer,
    application: Application,
    requisition: Requisition,
    user: Any,
    history: Sequence[Step] = (),
) -> dict[str, Any]:
    level = get_ladder().levels_by_id.get(offer.level_id)
    compensation = None
    if service.sees_compensation(user, requisition):
        compensation = {
            "currency": offer.currency,
            "base_salary": offer.base_salary,
            "bonus": offer.bonus,
            "equity": offer.equity,
            "note": offer.compensation_note,
        }
    available = [move.value.replace("_", "-") for move in moves(offer, requisition, user)]
    if may_hire(offer, application, requisition, user):
        available.append("hire")
    return {
        "id": offer.id,
        "application_id": offer.application_id,
        "status": offer.status.value,
        "level": {"id": offer.level_id, "title": level.title if level else offer.level_id},
        "specialty_id": offer.specialty_id,
        "start_date": _day(offer.start_date),
        "location": offer.location,
        "needs_approval": offer.needs_approval,
        "approved_at": _time(offer.approved_at),
        "approved_by_id": offer.approved_by_id,
        "extended_at": _time(offer.extended_at),
        "responded_at": _time(offer.responded_at),
        "decline_reason": offer.decline_reason.value if offer.decline_reason else None,
        "response_note": offer.response_note,
        "created_at": _time(offer.created_at),
        "created_by_id": offer.created_by_id,
        "hired_user_id": application.hired_user_id
        if offer.status is OfferStatus.ACCEPTED
        else None,
        "compensation": compensation,
        "moves": available,
        "history": [
            {
                "at": step.at.isoformat(),
                "what": step.what,
                "by": step.actor,
                "fields": list(step.fields),
            }
            for step in history
        ],
        "version": offer.version,
    }
