"""``flask privacy …``: retention (erase candidates kept past the retention period) and
stray CV files.

The operator is an administrator of the installation, who may read candidates' names
anyway: the dry run lists names beside ids in the terminal, so that they can check the
list before the real run. The audit log and the summary line name nobody.
"""

from __future__ import annotations

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.clock import utcnow
from app.db import db
from app.hiring.cv_storage import configured_store
from app.models import Candidate
from app.services import privacy
from pipelines.privacy import erased_label

privacy_cli = AppGroup("privacy", help="Candidate data: retention and stray CV files.")


@privacy_cli.command("retention")
@click.option(
    "--months",
    type=click.IntRange(min=1),
    default=None,
    help="Months after the last application closed (default: CANDIDATE_RETENTION_MONTHS, "
    "24 unless configured).",
)
@click.option("--dry-run", is_flag=True, help="List who would be erased; change nothing.")
def retention(months: int | None, dry_run: bool) -> None:
    """Erase candidates whose last application closed more than MONTHS months ago and who
    have not renewed consent since."""
    months = months or int(current_app.config["CANDIDATE_RETENTION_MONTHS"])
    now = utcnow()
    due = privacy.due_candidates(now=now, months=months)
    if dry_run:
        for candidate in due:
            click.echo(f"#{candidate.id}\t{candidate.name}\t→ {erased_label(candidate.id)}")
        click.echo(
            f"Dry run: {len(due)} candidate(s) kept more than {months} months after their "
            "last application closed would be erased; nothing changed."
        )
        return
    # The bar goes to standard error (shown only on a terminal): standard output keeps
    # the summary line for logs.
    with click.progressbar(length=len(due), label="Erasing", show_pos=True, file=sys.stderr) as bar:
        run = privacy.run_retention(
            due,
            remove_cv=configured_store().delete_if_present,
            channel="cli",
            after_each=lambda: bar.update(1),
        )
    for candidate_id, why in run.failed:
        click.echo(f"#{candidate_id}: {why}", err=True)
    failed = len(run.failed)
    click.echo(
        f"Erased {run.erased} candidate(s) kept more than {months} months after their "
        f"last application closed" + (f"; {failed} failed (run again)." if failed else ".")
    )
    if failed:
        raise SystemExit(1)


@privacy_cli.command("cv-cleanup")
@click.option("--dry-run", is_flag=True, help="List the stray files; remove nothing.")
@click.option(
    "--min-age-minutes",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Leave files younger than this: a candidate being added right now writes its CV "
    "a moment before its row commits.",
)
def cv_cleanup(dry_run: bool, min_age_minutes: int) -> None:
    """Remove CV files that no candidate points to (and abandoned partial writes)."""
    store = configured_store()
    referenced = set(
        db.session.scalars(select(Candidate.cv_key).where(Candidate.cv_key.is_not(None)))
    )
    cutoff = utcnow() - timedelta(minutes=min_age_minutes)
    stray = [name for name, changed in store.files() if name not in referenced and changed < cutoff]
    for name in stray:
        click.echo(name)
        if not dry_run:
            store.remove_stray(name)
    verb = "would be removed (dry run)" if dry_run else "removed"
    click.echo(f"{len(stray)} stray CV file(s) {verb}; {len(referenced)} in use.")
