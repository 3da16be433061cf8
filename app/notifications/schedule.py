"""The periodic jobs every worker offers to run; for each time slot one worker runs each."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from app.hiring.cv_storage import configured_store
from app.services import levels, privacy, reminders
from app.services.jobs import Job


def retention(now: datetime) -> str:
    """Erase candidates kept past the retention period (what `flask privacy retention`
    does), once a day."""
    months = int(current_app.config["CANDIDATE_RETENTION_MONTHS"])
    run = privacy.run_retention(
        privacy.due_candidates(now=now, months=months),
        remove_cv=configured_store().delete_if_present,
        channel="system",
    )
    failed = f", {len(run.failed)} failed" if run.failed else ""
    return f"{run.erased} candidate(s) erased{failed}"


def scorecard_reminders(now: datetime) -> str:
    """Remind interviewers of overdue scorecards (each once per their working day)."""
    return f"{reminders.send_scorecard_reminders(now)} reminder(s) queued"


def overdue_digests(now: datetime) -> str:
    """Send recruiters the list of scorecards overdue in their requisitions (once per
    their working day)."""
    return f"{reminders.send_overdue_digests(now)} list(s) queued"


def daily_digests(now: datetime) -> str:
    """Gather held notifications into each person's daily digest (once per their day)."""
    return f"{reminders.send_digests(now)} digest(s) queued"


def level_changes(now: datetime) -> str:
    """Put into effect the level changes that start today (a promotion approved with a
    later effective date)."""
    # The installation's day (HIRELADDER_DEFAULT_TIMEZONE), not UTC's.
    return f"{levels.apply_due_levels(levels.local_day(now, None))} level change(s) put into effect"


JOBS: tuple[Job, ...] = (
    Job(
        "retention",
        timedelta(days=1),
        retention,
        "Erase candidates kept longer than the retention period.",
    ),
    # Hourly, so that each person gets theirs soon after 08:00 their own time; the dedupe
    # key of each message (person, local day) keeps them to one a day.
    Job(
        "scorecard_reminders",
        timedelta(hours=1),
        scorecard_reminders,
        "Remind interviewers of overdue scorecards, once a working day each.",
    ),
    Job(
        "overdue_digests",
        timedelta(hours=1),
        overdue_digests,
        "Send each recruiter the scorecards overdue in their requisitions, once a working day.",
    ),
    Job(
        "level_changes",
        timedelta(hours=1),
        level_changes,
        "Put into effect the level changes (promotions) that start today.",
    ),
    Job(
        "daily_digests",
        timedelta(hours=1),
        daily_digests,
        "Send each person who chose a daily digest their held notifications, once a day.",
    ),
)
