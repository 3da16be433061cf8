"""The periodic jobs every worker offers to run; for each time slot one worker runs each."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from app.hiring.cv_storage import configured_store
from app.services import privacy
from app.services.errors import ServiceError
from app.services.jobs import Job


def retention(now: datetime) -> str:
    """Erase candidates kept past the retention period (what `flask privacy retention`
    does), once a day."""
    months = int(current_app.config["CANDIDATE_RETENTION_MONTHS"])
    store = configured_store()
    erased = failed = 0
    for candidate in privacy.due_candidates(now=now, months=months):
        try:
            privacy.erase_candidate(
                candidate,
                actor=None,
                expected_version=None,
                remove_cv=store.delete_if_present,
                channel="system",
            )
        except ServiceError:
            failed += 1
        else:
            erased += 1
    return f"{erased} candidate(s) erased" + (f", {failed} failed" if failed else "")


JOBS: tuple[Job, ...] = (
    Job(
        "retention",
        timedelta(days=1),
        retention,
        "Erase candidates kept longer than the retention period.",
    ),
)
