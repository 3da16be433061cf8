"""Periodic jobs run by the workers: each job's run for a time slot is claimed by writing
its ``job_runs`` row first; the unique (job, slot) pair lets exactly one worker win, on
one machine or many."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.db import db
from app.models import JobRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    #: Every hour or every day (UTC slots).
    every: timedelta
    #: Does the work for ``now``; returns a short outcome ("3 reminders queued"). It
    #: commits its own work.
    run: Callable[[datetime], str]
    description: str


def slot_of(every: timedelta, now: datetime) -> str:
    """The slot ``now`` falls in: "2026-12-02" for daily jobs, "2026-12-02T09" hourly,
    "2026-12-02T09:15" for shorter periods (rounded down to the period)."""
    if every >= timedelta(days=1):
        return now.strftime("%Y-%m-%d")
    if every >= timedelta(hours=1):
        return now.strftime("%Y-%m-%dT%H")
    minutes = max(1, int(every.total_seconds() // 60))
    minute = now.minute - now.minute % minutes
    return now.strftime("%Y-%m-%dT%H:") + f"{minute:02d}"


def start(job: Job, worker: str, now: datetime) -> JobRun | None:
    """Claim this slot's run of ``job``; None when another worker has it already."""
    run = JobRun(job=job.name, slot=slot_of(job.every, now), worker=worker[:100], started_at=now)
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return run


def finish(run_id: int, now: datetime, outcome: str) -> None:
    # One UPDATE in a transaction of its own: on SQLite a transaction that has read fails
    # at once, instead of waiting, when another worker holds the write lock.
    db.session.rollback()
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id)
        .values(finished_at=now, outcome=outcome[:2000])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_due(jobs: list[Job], worker: str, now: datetime) -> list[tuple[str, str]]:
    """Run every job whose current slot nobody has run yet; returns (job, outcome) pairs
    for the runs this worker made."""
    done: list[tuple[str, str]] = []
    for job in jobs:
        run = start(job, worker, now)
        if run is None:
            continue
        run_id, slot = run.id, run.slot
        try:
            outcome = "ok: " + job.run(now)
        except Exception as error:
            db.session.rollback()
            log.exception("job %s failed", job.name)
            outcome = f"failed: {type(error).__name__}: {error}"
        finish(run_id, now, outcome)
        log.info("job %s (%s): %s", job.name, slot, outcome)
        done.append((job.name, outcome))
    return done


def recent_runs(limit: int = 20) -> list[JobRun]:
    return list(
        db.session.scalars(
            select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
        )
    )
