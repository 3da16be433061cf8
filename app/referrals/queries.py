"""Read-only queries of referrals, shared by the pages and the API.

A referrer's list reads one row per referral (the application joined to its candidate's
name and its requisition's title), newest first by id, one page per query over the index
``(referrer_id, id)``: the same single query however many referrals there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.db import db
from app.models import Application, Requisition
from pipelines.applications import ApplicationStatus
from pipelines.requisitions import RequisitionStatus
from pipelines.sources import ReferralStatus, referral_status

#: The most open requisitions the referral form offers (the newest first).
MAX_REQUISITION_CHOICES = 200


@dataclass(frozen=True)
class ReferralRow:
    """What a referrer may know of one of their referrals, and nothing else."""

    id: int
    candidate_name: str
    requisition_id: int
    requisition_title: str
    referred_at: datetime
    status: ReferralStatus


@dataclass(frozen=True)
class ReferralPage:
    items: list[ReferralRow]
    #: The ``after`` of the next page (older referrals); None on the last page.
    after: int | None


def open_requisitions(limit: int = MAX_REQUISITION_CHOICES) -> list[tuple[int, str, str]]:
    """(id, title, level id) of open requisitions, newest first, at most ``limit``."""
    rows = db.session.execute(
        select(Requisition.id, Requisition.title, Requisition.level_id)
        .where(Requisition.status == RequisitionStatus.OPEN)
        .order_by(Requisition.created_at.desc(), Requisition.id.desc())
        .limit(limit)
    )
    return [(r.id, r.title, r.level_id) for r in rows]


def _rows() -> Any:
    return (
        select(
            Application.id,
            Application.created_at,
            Application.status,
            Application.referred_name,
            Requisition.id.label("requisition_id"),
            Requisition.title,
        )
        .join(Requisition, Requisition.id == Application.requisition_id)
    )


def _row(r: Any) -> ReferralRow:
    return ReferralRow(
        id=r.id,
        candidate_name=r.referred_name or "(erased)",
        requisition_id=r.requisition_id,
        requisition_title=r.title,
        referred_at=r.created_at,
        status=referral_status(ApplicationStatus(r.status)),
    )


def referrals_of(referrer_id: int, *, after: int | None, per_page: int) -> ReferralPage:
    """The referrer's referrals, newest first, from just after the referral ``after``."""
    query = _rows().where(Application.referrer_id == referrer_id)
    if after is not None:
        query = query.where(Application.id < after)
    rows = list(
        db.session.execute(
            query.order_by(Application.referrer_id.desc(), Application.id.desc()).limit(
                per_page + 1
            )
        )
    )
    items = [_row(r) for r in rows[:per_page]]
    return ReferralPage(items=items, after=items[-1].id if len(rows) > per_page else None)


def referral_of(referrer_id: int, application_id: int) -> ReferralRow | None:
    """One of the referrer's referrals; None for any other application."""
    row = db.session.execute(
        _rows().where(Application.id == application_id, Application.referrer_id == referrer_id)
    ).first()
    return _row(row) if row is not None else None
