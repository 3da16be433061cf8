"""The board's rows: each column's count and first cards, in a constant number of queries
whatever the requisition's size (the column rules are :mod:`pipelines.board`).

Three statements: the counts per column (one GROUP BY over the requisition's index range),
the ids of each column's first cards (one UNION ALL of per-column LIMITed index scans), and
those cards with their candidates' and referrers' names (plain rows). A column opened
further (``?stage=`` with ``?after=`` and a name filter ``?q=``) is one of those arms.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

from app.db import db, in_parameter
from app.models import Application, Candidate, User
from app.paging import beyond, encode_cursor
from app.services import candidate_search
from pipelines import board as rules
from pipelines.applications import ApplicationStatus


@dataclass(frozen=True)
class Opened:
    """The column opened further: which, from which card on, filtered by name."""

    column: str
    after: tuple[datetime, int] | None = None
    name: str | None = None


@dataclass
class Column:
    id: str
    #: Every application in the column (without the name filter).
    count: int
    cards: list[Card]
    #: Cursor of the last card shown when more follow in this order (for ?after=).
    more_after: str | None


#: A card: an application's ``id`` and the columns of ``_CARD_COLUMNS`` (named as
#: Application's attributes, so that the move rules read it as they read an application),
#: ``candidate_name`` and ``referrer_name`` (None when nobody referred the candidate).
Card = Row[Any]

_REFERRER = aliased(User, name="referrer")

#: What a card, its move rules and a closed row read.
_CARD_COLUMNS = (
    Application.candidate_id,
    Application.requisition_id,
    Application.stage_id,
    Application.status,
    Application.entered_stage_at,
    Application.overridden,
    Application.decline_reason,
    Application.screen_passed,
    Application.assessment_sent_at,
    Application.assessment_received_at,
    Application.references_passed,
    Application.source,
    Application.referrer_id,
    Application.version,
)


_CARDS = (
    select(
        Application.id,
        *_CARD_COLUMNS,
        Candidate.name.label("candidate_name"),
        _REFERRER.display_name.label("referrer_name"),
    )
    .join(Candidate, Candidate.id == Application.candidate_id)
    .outerjoin(_REFERRER, _REFERRER.id == Application.referrer_id)
    .where(in_parameter(Application.id, "ids"))
)


def _in_column(column: str, stage_ids: Collection[str]) -> ColumnElement[bool]:
    status = Application.status
    if column == rules.OFFER:
        return status == ApplicationStatus.OFFER
    if column == rules.HIRED:
        return status == ApplicationStatus.HIRED
    if column == rules.CLOSED:
        return or_(
            status.in_([ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN]),
            and_(status == ApplicationStatus.ACTIVE, Application.stage_id.not_in(stage_ids)),
        )
    return and_(status == ApplicationStatus.ACTIVE, Application.stage_id == column)


_COUNTS = (
    select(Application.status, Application.stage_id, func.count())
    .where(Application.requisition_id == bindparam("requisition_id", type_=Integer))
    .group_by(Application.status, Application.stage_id)
)


def counts(requisition_id: int, stage_ids: Collection[str]) -> dict[str, int]:
    """Applications per column of the requisition's board (every column present)."""
    found = dict.fromkeys(rules.columns(stage_ids), 0)
    rows = db.session.execute(_COUNTS, {"requisition_id": requisition_id})
    for status, stage_id, count in rows:
        found[rules.column_of(ApplicationStatus(status), stage_id, stage_ids)] += count
    return found


def column_order(column: str, order: rules.BoardOrder) -> rules.BoardOrder:
    """Closed applications always come newest first (the latest closures matter most)."""
    return rules.BoardOrder.NEWEST if column == rules.CLOSED else order


def _arm(
    requisition_id: Any,
    column: str,
    stage_ids: Collection[str],
    order: rules.BoardOrder,
    limit: int,
    opened: Opened | None,
) -> Any:
    moment, row_id = Application.entered_stage_at, Application.id
    query = select(row_id.label("id"), literal(column).label("col")).where(
        Application.requisition_id == requisition_id, _in_column(column, stage_ids)
    )
    newest = column_order(column, order) is rules.BoardOrder.NEWEST
    if opened is not None and opened.column == column:
        if opened.after is not None:
            query = query.where(beyond(moment, row_id, opened.after, older=newest))
        if opened.name is not None:
            # The candidates search (words' beginnings in name, e-mail, notes, CV; accents
            # and case folded alike on both databases); words none: nothing matches.
            found = candidate_search.matching(opened.name)
            query = query.join(Candidate, Candidate.id == Application.candidate_id).where(
                found if found is not None else false()
            )
    keys = (moment.desc(), row_id.desc()) if newest else (moment, row_id)
    # Wrapped, so that each arm keeps its own ORDER BY and LIMIT inside the UNION ALL.
    return select(query.order_by(*keys).limit(limit + 1).subquery())


@lru_cache(maxsize=64)
def _first_cards(stage_ids: tuple[str, ...], order: rules.BoardOrder, limit: int) -> Any:
    """The statement of every column's first ``limit`` + 1 card ids for a plan's stages
    (the requisition a parameter): built once per process for each plan and order rather
    than on every view of a board."""
    requisition_id = bindparam("requisition_id", type_=Integer)
    return union_all(
        *(_arm(requisition_id, c, stage_ids, order, limit, None) for c in rules.columns(stage_ids))
    )


def columns(
    requisition_id: int,
    stage_ids: Sequence[str],
    *,
    order: rules.BoardOrder,
    per_column: int,
    opened: Opened | None = None,
) -> dict[str, Column]:
    """Every column of the board with its count and first ``per_column`` cards (the
    opened column: the page after its cursor, filtered by name)."""
    count_of = counts(requisition_id, stage_ids)
    ids: dict[str, list[int]] = {c: [] for c in rules.columns(stage_ids)}
    if any(count_of.values()):
        # Every column, empty ones too (an index probe each): one statement shape per
        # plan length, so that SQLAlchemy compiles it once rather than once per mix.
        if opened is None:
            statement = _first_cards(tuple(stage_ids), order, per_column)
        else:
            statement = union_all(
                *(_arm(requisition_id, c, stage_ids, order, per_column, opened) for c in ids)
            )
        for row_id, column in db.session.execute(statement, {"requisition_id": requisition_id}):
            ids[column].append(row_id)
    # The cards, as plain rows: a board shows a hundred, and objects cost more to build.
    # (Joined in the UNION's arms instead, they made PostgreSQL plan thirteen joins
    # each time: slower than this second statement.)
    cards = {
        card.id: card
        for card in db.session.execute(
            _CARDS, {"ids": [i for found in ids.values() for i in found]}
        )
    }
    out: dict[str, Column] = {}
    for column, found in ids.items():
        # Rows come back per arm but a UNION ALL promises no order: sort as the arm did.
        newest = column_order(column, order) is rules.BoardOrder.NEWEST
        column_cards = sorted(
            (cards[i] for i in found),
            key=lambda a: (_aware(a.entered_stage_at), a.id),
            reverse=newest,
        )
        shown = column_cards[:per_column]
        more = len(column_cards) > per_column
        out[column] = Column(
            id=column,
            count=count_of[column],
            cards=shown,
            more_after=encode_cursor(_aware(shown[-1].entered_stage_at), shown[-1].id)
            if more
            else None,
        )
    return out


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
