"""Scorecard reminders, the recruiters' list of what is overdue, and the daily digest.

Each function is a periodic job's work for one moment ``now``: it reads what is due in a
fixed number of queries (however many interviews or messages there are), queues the
messages through the outbox and commits. Running it again, every hour and on several
workers, sends nothing twice: each message carries a dedupe key naming its recipient's
local day, which the outbox refuses to queue a second time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.db import db
from app.models import (
    Application,
    Candidate,
    Interview,
    InterviewInterviewer,
    OutboxMessage,
    Requisition,
    Scorecard,
    User,
)
from app.notifications.smtp import Attachment
from app.services import outbox
from app.services.hiring import plan_for
from pipelines import reminders as rules
from pipelines.applications import ApplicationStatus
from pipelines.errors import PipelineError
from pipelines.outbox import KINDS_BY_KEY, MessageStatus
from pipelines.timezones import to_local

#: Dedupe keys are looked up this many at a time.
KEY_CHUNK = 500


@dataclass(frozen=True)
class OverdueScorecard:
    """A scorecard an interviewer still owes, past its due time."""

    interview_id: int
    interviewer: User
    application_id: int
    candidate_name: str
    requisition_id: int
    requisition_title: str
    recruiter_id: int
    stage_name: str
    starts_at: datetime
    due_at: datetime


def _stage_name(requisition: Requisition, stage_id: str) -> str:
    try:
        return plan_for(requisition).stage(stage_id).name
    except PipelineError:
        return stage_id  # the ladder no longer has the stage: its id still says which


def owed_scorecards(query: Select[Any], now: datetime) -> Select[Any]:
    """``query`` (over ``Interview``) joined to the scorecards still owed at ``now``: one
    row per interviewer of an interview not cancelled, of an active application, whose
    scorecard is not submitted, owed by an active person, and started more than a working
    day before ``now`` (a cheap bound: the working-day rule itself is the caller's).
    ``User``, ``Application`` and ``Requisition`` are joined; ``Scorecard`` outer-joined."""
    return (
        query.select_from(Interview)
        .join(InterviewInterviewer, InterviewInterviewer.interview_id == Interview.id)
        .join(User, User.id == InterviewInterviewer.user_id)
        .join(Application, Application.id == Interview.application_id)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .outerjoin(
            Scorecard,
            and_(
                Scorecard.interview_id == Interview.id,
                Scorecard.interviewer_id == InterviewInterviewer.user_id,
            ),
        )
        .where(
            Interview.cancelled_at.is_(None),
            Interview.starts_at.is_not(None),
            Interview.starts_at < now - rules.WORKING_DAY,
            Application.status == ApplicationStatus.ACTIVE,
            Scorecard.submitted_at.is_(None),
            User.active.is_(True),
        )
    )


def overdue_scorecards(
    now: datetime, *, recruiter_id: int | None = None
) -> list[OverdueScorecard]:
    """Every scorecard overdue at ``now`` (pipelines.reminders: more than one working day
    after the interview ended), of interviews not cancelled, of active applications, not
    submitted, owed by active people; oldest first. One query (and one for the
    interviewers' roles), whatever their number. ``recruiter_id``: only in the requisitions
    that recruiter recruits for."""
    query = owed_scorecards(
        select(Interview, User, Candidate.name, Requisition, Application.id), now
    ).join(Candidate, Candidate.id == Application.candidate_id)
    if recruiter_id is not None:
        query = query.where(Requisition.recruiter_id == recruiter_id)
    rows = db.session.execute(query.order_by(Interview.starts_at, Interview.id, User.id)).all()
    found = []
    for interview, interviewer, candidate_name, requisition, application_id in rows:
        assert interview.starts_at is not None
        ends_at = interview.starts_at + timedelta(minutes=interview.duration_minutes)
        if not rules.is_overdue(ends_at, now):
            continue
        found.append(
            OverdueScorecard(
                interview_id=interview.id,
                interviewer=interviewer,
                application_id=application_id,
                candidate_name=candidate_name,
                requisition_id=requisition.id,
                requisition_title=requisition.title,
                recruiter_id=requisition.recruiter_id,
                stage_name=_stage_name(requisition, interview.stage_id),
                starts_at=interview.starts_at,
                due_at=rules.scorecard_due(ends_at),
            )
        )
    return found


def _existing_keys(keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` some message already carries (a few queries for any number)."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), KEY_CHUNK):
        chunk = wanted[start : start + KEY_CHUNK]
        found.update(
            key
            for key in db.session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk))
            )
            if key is not None
        )
    return found


def _committed(work: Callable[[], int]) -> int:
    """Do ``work`` and commit. Two workers running the job at once (a slow run of one
    hour meeting the next hour's) may both queue a message with the same dedupe key; the
    database refuses the second, and the work is done again, now seeing the first's.
    (SQLite runs one worker: there the question does not arise.)"""
    try:
        count = work()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        count = work()
        db.session.commit()
    return count


def _dated(message: OutboxMessage | None, now: datetime) -> int:
    """Date a message the job queued at the job's ``now`` (what it was written for: the
    digest that may hold it gathers by this time); 1 if there is a message, else 0."""
    if message is None:
        return 0
    message.created_at = now
    return 1


def _default_zone() -> str:
    return str(current_app.config["DEFAULT_TIMEZONE"])


# --- reminders to interviewers -----------------------------------------------------


def _reminder_key(item: OverdueScorecard, day: str) -> str:
    return f"scorecard-reminder:{item.interview_id}:{item.interviewer.id}:{day}"


def send_scorecard_reminders(now: datetime) -> int:
    """Remind each interviewer of each overdue scorecard, once per their local working
    day (from 08:00 their time); commits. Returns how many reminders were queued."""

    def work() -> int:
        default_zone = _default_zone()
        due: list[tuple[OverdueScorecard, str]] = []
        for item in overdue_scorecards(now):
            day = rules.reminder_day(now, item.interviewer.timezone, default_zone)
            if day is not None:
                due.append((item, _reminder_key(item, day.isoformat())))
        sent = _existing_keys(key for _, key in due)
        queued = 0
        for item, key in due:
            if key in sent:
                continue
            message = outbox.queue(
                "scorecard_reminder",
                outbox.to_user(item.interviewer),
                {
                    "item": item,
                    "overdue_for": rules.overdue_words(item.due_at, now),
                    "scorecard_url": outbox.external_url(
                        "hiring.scorecard", interview_id=item.interview_id
                    ),
                },
                about=("interview", item.interview_id),
                dedupe_key=key,
                due_at=now,
            )
            queued += _dated(message, now)
        return queued

    return _committed(work)


# --- the recruiters' daily list ----------------------------------------------------


def send_overdue_digests(now: datetime) -> int:
    """Send each recruiter, once per their local working day (from 08:00 their time), the
    list of scorecards overdue in their requisitions; nothing when nothing is overdue.
    Commits; returns how many lists were queued."""

    def work() -> int:
        by_recruiter: dict[int, list[OverdueScorecard]] = defaultdict(list)
        for item in overdue_scorecards(now):
            by_recruiter[item.recruiter_id].append(item)
        if not by_recruiter:
            return 0
        recruiters = db.session.scalars(
            select(User).where(User.id.in_(list(by_recruiter)), User.active.is_(True))
        ).all()
        default_zone = _default_zone()
        due: list[tuple[User, str]] = []
        for recruiter in recruiters:
            day = rules.reminder_day(now, recruiter.timezone, default_zone)
            if day is not None:
                due.append((recruiter, f"overdue-digest:{recruiter.id}:{day.isoformat()}"))
        sent = _existing_keys(key for _, key in due)
        queued = 0
        for recruiter, key in sorted(due, key=lambda pair: pair[0].id):
            if key in sent:
                continue
            items = sorted(
                by_recruiter[recruiter.id],
                key=lambda i: (i.requisition_title, i.requisition_id, i.due_at, i.interview_id),
            )
            message = outbox.queue(
                "overdue_digest",
                outbox.to_user(recruiter),
                {
                    "items": [
                        {
                            "item": item,
                            "overdue_for": rules.overdue_words(item.due_at, now),
                            "application_url": outbox.external_url(
                                "hiring.application", application_id=item.application_id
                            ),
                        }
                        for item in items
                    ],
                    "requisition_count": len({item.requisition_id for item in items}),
                },
                about=("user", recruiter.id),
                dedupe_key=key,
                due_at=now,
            )
            queued += _dated(message, now)
        return queued

    return _committed(work)


# --- the daily digest of held messages -----------------------------------------------


def _attachments(messages: Sequence[OutboxMessage]) -> list[Attachment]:
    """The held messages' attachments, their file names made distinct."""
    seen: set[str] = set()
    out = []
    for message in messages:
        for attachment in message.attachments:
            name = attachment.filename
            stem, dot, ext = name.rpartition(".")
            number = 2
            while name in seen:
                name = f"{stem}-{number}.{ext}" if dot else f"{attachment.filename}-{number}"
                number += 1
            seen.add(name)
            out.append(Attachment(name, attachment.content_type, attachment.content))
    return out


def send_digests(now: datetime) -> int:
    """Gather each person's held messages (the kinds they chose to get in a daily digest)
    into one message each morning, from 08:00 their time: the messages written before that
    08:00, which become ``digested`` and point at it. Commits; returns how many digests
    were queued."""

    def work() -> int:
        held = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == MessageStatus.HELD, OutboxMessage.user_id.is_not(None))
            .options(selectinload(OutboxMessage.attachments))
            .order_by(OutboxMessage.user_id, OutboxMessage.created_at, OutboxMessage.id)
        ).all()
        if not held:
            return 0
        by_user: dict[int, list[OutboxMessage]] = defaultdict(list)
        for message in held:
            assert message.user_id is not None
            by_user[message.user_id].append(message)
        people = db.session.scalars(
            select(User).where(User.id.in_(list(by_user)), User.active.is_(True))
        ).all()
        default_zone = _default_zone()
        due: list[tuple[User, str, list[OutboxMessage]]] = []
        for person in people:
            cutoff = rules.digest_cutoff(now, person.timezone, default_zone)
            if cutoff is None:
                continue
            # What was written before this morning's 08:00; later ones wait for tomorrow.
            messages = [m for m in by_user[person.id] if m.created_at < cutoff]
            if messages:
                day = to_local(cutoff, person.timezone, default_zone).date()
                due.append((person, f"digest:{person.id}:{day.isoformat()}", messages))
        sent = _existing_keys(key for _, key, _ in due)
        queued = 0
        for person, key, messages in sorted(due, key=lambda entry: entry[0].id):
            if key in sent:
                continue
            digest = outbox.queue(
                "digest",
                outbox.to_user(person),
                {
                    "messages": [
                        {
                            "message": message,
                            "kind_label": KINDS_BY_KEY[message.kind].label
                            if message.kind in KINDS_BY_KEY
                            else message.kind,
                        }
                        for message in messages
                    ],
                    "notifications_url": outbox.external_url("auth.notifications"),
                },
                about=("user", person.id),
                attachments=_attachments(messages),
                dedupe_key=key,
                due_at=now,
            )
            if digest is None:
                continue
            digest.created_at = now
            db.session.flush()
            db.session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_([m.id for m in messages]),
                    OutboxMessage.status == MessageStatus.HELD,
                )
                .values(
                    status=MessageStatus.DIGESTED,
                    digest_id=digest.id,
                    version=OutboxMessage.version + 1,
                )
                .execution_options(synchronize_session=False)
            )
            queued += 1
        return queued

    return _committed(work)
