"""Read-only queries of promotion packets that the pages and the API share.

Which packets a user may read is decided by :func:`pipelines.promotions.can_read`;
:func:`visible_packets` is the same rule as SQL, for lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, selectinload

from app.db import db
from app.models import PromotionPacket, PromotionSection, Role, User
from pipelines.promotions import OPEN_STATUSES, PacketStatus

_SubjectUser = aliased(User)
_AuthorUser = aliased(User)


def _listed(user: Any) -> tuple[Any, ...]:
    """The columns of a packet's person that its list item shows or its actions need."""
    return (user.id, user.display_name, user.email, user.manager_id)


#: Every packet with its two people, from the joins the filters need anyway (one
#: statement): what a list shows of them and who manages them, not their roles nor their
#: account. Built once; each request adds its filter.
_PACKETS_WITH_PEOPLE = (
    select(PromotionPacket)
    .join(_SubjectUser, _SubjectUser.id == PromotionPacket.subject_id)
    .join(_AuthorUser, _AuthorUser.id == PromotionPacket.author_id)
    .options(
        contains_eager(PromotionPacket.subject.of_type(_SubjectUser))
        .load_only(*_listed(_SubjectUser))
        .lazyload(_SubjectUser.roles),
        contains_eager(PromotionPacket.author.of_type(_AuthorUser))
        .load_only(*_listed(_AuthorUser))
        .lazyload(_AuthorUser.roles),
    )
)


def _readable(actor: User, query: Select[Any]) -> Select[Any]:
    """``query`` (which joins the packet's two people) narrowed to what ``actor`` may read."""
    if actor.has_role(Role.ADMIN):
        return query
    return query.where(
        or_(
            PromotionPacket.subject_id == actor.id,
            PromotionPacket.author_id == actor.id,
            _SubjectUser.manager_id == actor.id,
            (_AuthorUser.manager_id == actor.id) & (PromotionPacket.status != PacketStatus.DRAFT),
        )
    )


def visible_packets(actor: User) -> Select[tuple[PromotionPacket]]:
    """Every packet ``actor`` may read, unordered: the lists page it latest change first
    by (updated_at, id) (:func:`app.paging.newest_first`)."""
    return _readable(actor, _PACKETS_WITH_PEOPLE)


def awaiting_decision(actor: User) -> Select[tuple[PromotionPacket]]:
    """Submitted packets ``actor`` may decide."""
    query = (
        select(PromotionPacket)
        .join(_AuthorUser, _AuthorUser.id == PromotionPacket.author_id)
        .where(
            PromotionPacket.status == PacketStatus.SUBMITTED,
            PromotionPacket.author_id != actor.id,
            PromotionPacket.subject_id != actor.id,
        )
        .options(selectinload(PromotionPacket.subject), selectinload(PromotionPacket.author))
        .order_by(PromotionPacket.submitted_at, PromotionPacket.id)
    )
    if not actor.has_role(Role.ADMIN):
        query = query.where(_AuthorUser.manager_id == actor.id)
    return query


@dataclass(frozen=True, slots=True)
class Report:
    user: User
    open_packet_id: int | None


def reports_of(actor: User, *, after: int | None, limit: int) -> tuple[list[Report], int | None]:
    """The actor's active direct reports by name, with the id of each one's open packet:
    at most ``limit`` of them, those after the report ``after`` names (a user id: the
    query reads that person's name itself), and the ``after`` of the next ones (None
    when none follow). One query, however many reports."""
    open_packet = (
        select(PromotionPacket.id)
        .where(
            PromotionPacket.subject_id == User.id,
            PromotionPacket.status.in_(OPEN_STATUSES),
        )
        .limit(1)
        .scalar_subquery()
    )
    query = select(User, open_packet).where(
        User.manager_id == actor.id, User.active.is_(True), User.id != actor.id
    )
    if after is not None:
        name = select(User.display_name).where(User.id == after).scalar_subquery()
        query = query.where(
            or_(User.display_name > name, and_(User.display_name == name, User.id > after))
        )
    rows = db.session.execute(query.order_by(User.display_name, User.id).limit(limit + 1)).all()
    shown = [Report(user, packet_id) for user, packet_id in rows[:limit]]
    return shown, (shown[-1].user.id if len(rows) > limit else None)


def _required_sections(*conditions: Any) -> Any:
    return (
        select(func.count())
        .where(
            PromotionSection.packet_id == PromotionPacket.id,
            PromotionSection.required.is_(True),
            *conditions,
        )
        .correlate(PromotionPacket)
        .scalar_subquery()
    )


#: A packet's required sections, and those of them with evidence written.
_REQUIRED = _required_sections().label("required_sections")
_DONE = _required_sections(
    PromotionSection.evidence.is_not(None) & (PromotionSection.evidence != "")
).label("done_sections")


#: A packet with its two people's listed columns (:func:`_listed`) and its progress, as one
#: row: the API list's items, with no loader options for SQLAlchemy to walk on each page.
_PACKET_ROWS = (
    select(PromotionPacket, *_listed(_SubjectUser), *_listed(_AuthorUser), _REQUIRED, _DONE)
    .join(_SubjectUser, _SubjectUser.id == PromotionPacket.subject_id)
    .join(_AuthorUser, _AuthorUser.id == PromotionPacket.author_id)
)


class Listed(NamedTuple):
    """A packet's person as a list shows them (:func:`_listed`)."""

    id: int
    display_name: str
    email: str
    manager_id: int | None


def packet_rows(actor: User) -> Select[Any]:
    """Every packet ``actor`` may read as rows of (packet, its subject's and its author's
    :class:`Listed` columns, its required sections, those with evidence): see
    :func:`listed_people`. Unordered, for a keyset page. The database counts the sections
    for the rows of a page only (on the sections' packet index), in the page's statement."""
    return _readable(actor, _PACKET_ROWS)


def listed_people(row: Any) -> tuple[PromotionPacket, Listed, Listed, int, int]:
    """A row of :func:`packet_rows` as (packet, subject, author, required, done)."""
    packet, *rest = row
    return packet, Listed(*rest[0:4]), Listed(*rest[4:8]), rest[8], rest[9]


def packets_about(user_id: int, limit: int) -> Sequence[PromotionPacket]:
    """The newest packets about a person (what "My path" lists)."""
    return db.session.scalars(
        select(PromotionPacket)
        .where(PromotionPacket.subject_id == user_id)
        .order_by(PromotionPacket.created_at.desc(), PromotionPacket.id.desc())
        .limit(limit)
    ).all()


def packet_version(packet_id: int) -> int | None:
    """The packet's version now (what a refused stale change reports)."""
    return db.session.scalar(select(PromotionPacket.version).where(PromotionPacket.id == packet_id))


def packet_exists(packet_id: int) -> bool:
    """Whether the packet exists, readable or not (a refusal is audited, a miss is not)."""
    return packet_version(packet_id) is not None


def awaiting_count(actor: User) -> int:
    """How many submitted packets wait for ``actor``'s decision."""
    count = db.session.scalar(select(func.count()).select_from(awaiting_decision(actor).subquery()))
    return count or 0
