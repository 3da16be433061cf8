"""``flask worker`` and ``flask mail …``."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.notifications import worker as delivery
from app.services import mail_test

mail_cli = AppGroup("mail", help="Outgoing mail: a test message, the queue's state.")


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due, run due jobs, then exit.")
@click.option(
    "--poll",
    type=click.FloatRange(min=0.1, max=3600),
    default=None,
    help="Seconds between looks at an empty queue (default HIRELADDER_WORKER_POLL_SECONDS, 5).",
)
@with_appcontext
def worker_command(once: bool, poll: float | None) -> None:
    """Deliver queued e-mail and run the periodic jobs (reminders, digests, retention)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["HIRELADDER_ENV"] == "production" and not app.config.get("SMTP_URL"):
        raise click.ClickException(
            "HIRELADDER_SMTP_URL is not set: in production the worker needs a mail server "
            "(e.g. smtp://user:password@mail.example.com:587?starttls=1)."
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    where = "kept for the admin Mail page (no HIRELADDER_SMTP_URL)"
    if app.config.get("SMTP_URL"):
        where = f"sent through {delivery.transport_for(app).settings.describe()}"  # type: ignore[attr-defined]
    click.echo(f"Worker {delivery.worker_name()}: messages are {where}.", err=True)
    if once:
        report = delivery.run_once(app)
        click.echo(f"Worker: {report}.")
        return
    delivery.run_forever(app, poll_seconds=poll)


@mail_cli.command("test")
@click.argument("address")
def send_test(address: str) -> None:
    """Queue a test message to ADDRESS (the worker delivers it)."""
    try:
        message_id = mail_test.queue_test(address)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Test message {message_id} queued for {address}; `flask worker --once` delivers it."
    )
