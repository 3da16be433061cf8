"""Each person's level history, and the level on their account that follows it.

``users.level_id`` / ``specialty_id`` / ``level_since`` are the span covering today; a span
that starts later (a promotion effective next month) is applied by the worker's daily job
:func:`apply_due_levels` on its first day. Callers commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.clock import utcnow
from app.db import db
from app.ladder_access import get_ladder
from app.models import LevelSpan, User
from app.services import audit
from app.services.errors import ServiceError
from pipelines.level_changes import LevelDateError, correct_start
from pipelines.level_history import LevelReason, Span, level_on, start_span
from pipelines.timezones import to_local


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


def _title(level_id: str) -> str:
    level = get_ladder().levels_by_id.get(level_id)
    return level.title if level is not None else level_id


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
    promised = [by_id[span.key] for span in change.dropped if span.key is not None]
    promised = [row for row in promised if row.packet_id is not None]
    if promised:
        # An approved packet's promotion is not replaced silently by a later edit or hire.
        first = promised[0]
        raise ServiceError(
            f"An approved promotion to {_title(first.level_id)} takes effect on "
            f"{first.starts_on.isoformat()}; a level change starting on "
            f"{starts_on.isoformat()} would cancel it. Choose a day before it."
        )
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
            # Forward only: a span that began after the account's level (never one before
            # it, which a change made in a zone ahead of this one's day has just ended).
            (User.level_since.is_(None)) | (LevelSpan.starts_on > User.level_since),
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


class LevelDateProblem(ServiceError):
    """A date refused by :mod:`pipelines.level_changes`; ``field`` names the field."""

    def __init__(self, error: LevelDateError) -> None:
        super().__init__(str(error))
        self.field = error.field


def local_today(user: User | None) -> date:
    """Today in ``user``'s time zone (the installation's default without one)."""
    return local_day(utcnow(), user)


def local_day(moment: datetime, user: User | None) -> date:
    """The day ``moment`` (aware, UTC) falls on in ``user``'s zone."""
    zone = user.timezone if user is not None else None
    return to_local(moment, zone, current_app.config["DEFAULT_TIMEZONE"]).date()


def correct_current_start(
    user: User, new_start: date, *, actor: User | None, today: date, channel: str = "web"
) -> LevelSpan:
    """Move the first day of the span in effect (the level stays; the span before ends the
    day before). Audited as ``user.level_since``. The caller commits."""
    rows = history_of(user.id)
    by_id = {row.id: row for row in rows}
    try:
        correction = correct_start(spans_of(rows), new_start, today=today)
    except LevelDateError as exc:
        raise LevelDateProblem(exc) from None
    assert correction.current.key is not None
    row = by_id[correction.current.key]
    before = row.starts_on
    row.starts_on = correction.current.starts_on
    if correction.previous is not None:
        assert correction.previous.key is not None
        by_id[correction.previous.key].ends_on = correction.previous.ends_on
    audit.record(
        "user.level_since",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={
            "level_id": row.level_id,
            "starts_on": {"before": before.isoformat(), "after": new_start.isoformat()},
        },
    )
    _follow(user, row)
    return row


def end_levels(user: User, *, actor: User | None, today: date, channel: str = "web") -> int:
    """The person no longer has a level (an admin cleared it): the span in effect ends
    yesterday (or goes, when it began today) and scheduled spans go; the account's level is
    cleared. The number of spans changed. Audited as ``user.level_cleared``. The caller
    commits."""
    rows = history_of(user.id)
    changed = 0
    for row in rows:
        if row.starts_on >= today:
            db.session.delete(row)
            changed += 1
        elif row.ends_on is None or row.ends_on >= today:
            row.ends_on = today - timedelta(days=1)
            changed += 1
    audit.record(
        "user.level_cleared",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={"level_id": {"before": user.level_id, "after": None}, "spans": changed},
    )
    user.level_id = None
    user.specialty_id = None
    user.level_since = None
    return changed


__all__ = [
    "LevelDateProblem",
    "apply_due_levels",
    "correct_current_start",
    "current_span",
    "end_levels",
    "history_of",
    "local_day",
    "local_today",
    "spans_of",
    "start_level",
]
