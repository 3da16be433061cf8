"""Notifications about promotion packets: one waits for a decision (to its approvers), one
was decided (to its author and the person it is about).

Queued by :mod:`app.services.promotions` before it commits the change; never commits.
Both kinds are internal notifications, so each person's preference applies (right away,
in the daily digest, or not at all). The messages name the people and the levels and link
to the packet; the evidence and the decision's comment stay in HireLadder.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from app.db import db
from app.ladder_access import get_ladder
from app.models import PromotionPacket, Role, User, UserRole
from app.services import outbox
from pipelines.promotions import (
    PacketStatus,
    People,
    can_decide,
    told_of_decision,
    told_of_submission,
)


def _level_title(level_id: str) -> str:
    level = get_ladder().levels_by_id.get(level_id)
    return level.name if level is not None else level_id


def _active(user_ids: tuple[int, ...]) -> list[User]:
    """The active users among ``user_ids``, in that order."""
    if not user_ids:
        return []
    found = {
        user.id: user
        for user in db.session.scalars(
            select(User).where(User.id.in_(user_ids), User.active.is_(True))
        )
    }
    return [found[user_id] for user_id in user_ids if user_id in found]


def _context(packet: PromotionPacket) -> dict[str, Any]:
    subject = db.session.get(User, packet.subject_id)
    author = db.session.get(User, packet.author_id)
    assert subject is not None and author is not None
    return {
        "subject_name": subject.display_name,
        "author_name": author.display_name,
        "from_title": _level_title(packet.source_level_id),
        "to_title": _level_title(packet.target_level_id),
        "link": outbox.external_url("promotions.packet", packet_id=packet.id),
    }


def _about(packet: PromotionPacket) -> tuple[str, int]:
    return ("promotion_packet", packet.id)


def queue_submitted(packet: PromotionPacket, people: People) -> int:
    """Tell the approvers that ``packet`` waits for their decision; how many were queued
    (someone who turned this kind off gets nothing)."""
    manager_id = people.author_manager_id
    if manager_id is not None and not _active((manager_id,)):
        # A deactivated manager approves nothing: the admins decide.
        people = replace(people, author_manager_id=None)
        manager_id = None
    admin_ids: list[int] = []
    if manager_id is None or not can_decide(manager_id, False, people):
        admin_ids = list(
            db.session.scalars(
                select(User.id)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == Role.ADMIN, User.active.is_(True))
            )
        )
    context = {**_context(packet), "submitted_at": packet.submitted_at}
    queued = 0
    for user in _active(told_of_submission(people, admin_ids)):
        message = outbox.queue(
            "packet_submitted",
            outbox.to_user(user),
            {**context, "as_admin": user.id != people.author_manager_id},
            about=_about(packet),
        )
        queued += message is not None
    return queued


def queue_decided(packet: PromotionPacket, people: People, decider: User) -> int:
    """Tell the author and the person that ``packet`` was approved or declined, each once;
    how many were queued."""
    approved = packet.status is PacketStatus.APPROVED
    context = {
        **_context(packet),
        "approved": approved,
        "decision": "approved" if approved else "declined",
        "decider_name": decider.display_name,
        "decided_at": packet.decided_at,
        # From when the new level counts (approvals only): "3 March 2027".
        "effective_on": (
            f"{packet.effective_on.day} {packet.effective_on:%B %Y}"
            if approved and packet.effective_on is not None
            else None
        ),
    }
    queued = 0
    for user in _active(told_of_decision(people)):
        message = outbox.queue(
            "packet_decided",
            outbox.to_user(user),
            {**context, "is_subject": user.id == people.subject_id},
            about=_about(packet),
        )
        queued += message is not None
    return queued
