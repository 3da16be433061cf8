"""Each person's level history, and the level on their account that follows it.

``users.level_id`` / ``specialty_id`` / ``level_since`` are the span covering today; a span
that starts later (a promotion effective next month) is applied by the worker's daily job
:func:`apply_due_levels` on its first day. Callers commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select

from app.db import db
from app.ladder_access import get_ladder
from app.models import LevelSpan, User
from app.services import audit
from app.services.errors import ServiceError
from pipelines.level_history import LevelReason, Span, level_on, start_span


def _span(row: LevelSpan) -> Span:
    return Span(row.level_id, row.specialty_id, row.starts_on, row.ends_on, row.reason, row.id)


def history_of(user_id: int) -> list[LevelSpan]:
    """The person's spans, earliest first (one indexed query)."""
    return list(
        db.session.scalars(
            select(LevelSpan)
            .where(LevelSpan.user_id == user_id)
            .order_by(LevelSpan.starts_on, LevelSpan.id)
        )
    )


def spans_of(rows: Sequence[LevelSpan]) -> list[Span]:
    return [_span(row) for row in rows]


def _check_level(level_id: str, specialty_id: str | None) -> None:
    ladder = get_ladder()
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        raise ServiceError(f"The ladder has no level {level_id!r}.")
    if specialty_id and ladder.family(level.family).specialty(specialty_id) is None:
        raise ServiceError(f"{level.title}'s family has no specialty {specialty_id!r}.")


def start_level(
    user: User,
    *,
    level_id: str,
    specialty_id: str | None,
    starts_on: date,
    reason: LevelReason,
    actor: User | None,
    today: date,
    application_id: int | None = None,
    packet_id: int | None = None,
    note: str | None = None,
    channel: str = "web",
) -> LevelSpan:
    """Start a span on ``starts_on`` (ending the one before, replacing scheduled later
    ones); when it covers ``today`` the account's level follows at once. Audited as
    ``user.level``. The caller commits."""
    _check_level(level_id, specialty_id)
    rows = history_of(user.id)
    by_id = {row.id: row for row in rows}
    change = start_span(
        spans_of(rows),
        level_id=level_id,
        specialty_id=specialty_id,
        starts_on=starts_on,
        reason=reason,
    )
    for ended in change.ended:
        assert ended.key is not None
        by_id[ended.key].ends_on = ended.ends_on
    dropped = [span.key for span in change.dropped if span.key is not None]
    if dropped:
        db.session.execute(delete(LevelSpan).where(LevelSpan.id.in_(dropped)))
    row = LevelSpan(
        user_id=user.id,
        level_id=level_id,
        specialty_id=specialty_id,
        starts_on=starts_on,
        reason=reason,
        application_id=application_id,
        packet_id=packet_id,
        note=(note or "").strip() or None,
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "user.level",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={
            "level_id": {"before": user.level_id, "after": level_id},
            "specialty_id": {"before": user.specialty_id, "after": specialty_id},
            "starts_on": starts_on.isoformat(),
            "reason": reason.value,
            **({"replaced_scheduled": len(dropped)} if dropped else {}),
        },
    )
    if starts_on <= today:
        _follow(user, row)
    return row


def _follow(user: User, span: LevelSpan) -> None:
    user.level_id = span.level_id
    user.specialty_id = span.specialty_id
    user.level_since = span.starts_on


def apply_due_levels(today: date) -> int:
    """Bring each account's level in step with the span covering ``today`` (spans that
    started since the last run); the number of people changed. Commits."""
    due = db.session.execute(
        select(User, LevelSpan)
        .join(LevelSpan, LevelSpan.user_id == User.id)
        .where(
            LevelSpan.starts_on <= today,
            (LevelSpan.ends_on.is_(None)) | (LevelSpan.ends_on >= today),
            (User.level_id.is_(None))
            | (User.level_id != LevelSpan.level_id)
            | (User.level_since.is_(None))
            | (User.level_since != LevelSpan.starts_on),
        )
    ).all()
    for user, span in due:
        _follow(user, span)
        audit.record(
            "user.level_applied",
            actor=None,
            channel="system",
            object_type="user",
            object_id=user.id,
            summary={"level_id": span.level_id, "starts_on": span.starts_on.isoformat()},
        )
    db.session.commit()
    return len(due)


def current_span(user_id: int, today: date) -> Span | None:
    return level_on(spans_of(history_of(user_id)), today)


__all__ = ["apply_due_levels", "current_span", "history_of", "spans_of", "start_level"]
