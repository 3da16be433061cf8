"""Read-only queries of published postings, shared by the pages and the API.

A posting is live while its requisition is published, open, and not past the posting's
last day; a requisition closed, filled or put on hold leaves the careers site by this
condition alone. Lists are newest first by (published_at, id): the index
``ix_requisitions_published``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, or_, select

from app.db import db
from app.models import Requisition
from ladder.model import Ladder
from pipelines.requisitions import RequisitionStatus


def live(today: date) -> ColumnElement[bool]:
    """The condition of a posting shown on the careers site."""
    return and_(
        Requisition.published_at.is_not(None),
        Requisition.status == RequisitionStatus.OPEN,
        or_(
            Requisition.posting_valid_through.is_(None),
            Requisition.posting_valid_through >= today,
        ),
    )


@dataclass(frozen=True)
class Filters:
    family: str | None = None
    specialty: str | None = None
    location: str | None = None
    remote: bool = False

    @property
    def any(self) -> bool:
        return bool(self.family or self.specialty or self.location or self.remote)


def postings(ladder: Ladder, filters: Filters, today: date) -> Select[tuple[Requisition]]:
    """Live postings matching the filters (no order: the keyset pager orders them)."""
    query = select(Requisition).where(live(today))
    if filters.family:
        family = ladder.families_by_id.get(filters.family)
        levels = [level.id for level in family.levels] if family is not None else []
        query = query.where(Requisition.level_id.in_(levels))
    if filters.specialty:
        query = query.where(Requisition.specialty_id == filters.specialty)
    if filters.location:
        query = query.where(Requisition.posting_location == filters.location)
    if filters.remote:
        query = query.where(Requisition.posting_remote.is_(True))
    return query


def locations(today: date) -> Sequence[str]:
    """The locations of the live postings, for the filter (one query)."""
    rows = db.session.scalars(
        select(Requisition.posting_location)
        .where(live(today), Requisition.posting_location.is_not(None))
        .distinct()
        .order_by(Requisition.posting_location)
        .limit(200)
    )
    return [row for row in rows if row]


def posting(requisition_id: int, today: date) -> Requisition | None:
    """The live posting with this id; None when there is none (or it is not live)."""
    return db.session.scalar(
        select(Requisition).where(Requisition.id == requisition_id, live(today))
    )
