"""The command line: every feature's command group, registered in one place."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.accounts.cli import users_cli
from app.careers.cli import ladder_cli, ladder_pdf
from app.hiring.privacy_cli import privacy_cli
from app.notifications.cli import mail_cli, worker_command
from app.services import demo

demo_cli = AppGroup("demo", help="Demo data for development.")


@demo_cli.command("load")
def load_demo() -> None:
    """Create the demo users (development only; running it again changes nothing)."""
    if current_app.config["HIRELADDER_ENV"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    created = demo.load_demo_data()
    if created:
        click.echo(f"Demo data loaded: {', '.join(created)}.")
    else:
        click.echo("Demo data already present; nothing changed.")
    click.echo(demo.sign_in_help())


#: Each demo account and the first thing to try as it: (e-mail, who, path, what to do there).
FIRST_STEPS = (
    (
        "recruiter@example.com",
        "recruiter",
        "/hiring/requisitions",
        "open a requisition's board and advance a candidate (or record a screen)",
    ),
    (
        "interviewer@example.com",
        "interviewer",
        "/hiring/my-interviews",
        "open an interview and submit its scorecard",
    ),
    (
        "manager@example.com",
        "hiring manager",
        "/",
        "the home page lists the debriefs waiting on you: decide one",
    ),
    (
        "member@example.com",
        "team member",
        "/careers/me",
        "your path on the career ladder and what the next level asks",
    ),
    (
        "admin@example.com",
        "admin",
        "/admin/users",
        "the users and their roles; the audit log is one click away",
    ),
)


@demo_cli.command("first-steps")
@click.option(
    "--url", default="http://127.0.0.1:5000/", show_default=True, help="The app's address."
)
def first_steps(url: str) -> None:
    """Where to look first: the address, the demo accounts and what to try as each."""
    root = url.rstrip("/")
    click.echo(f"Open {root}/ and sign in as:")
    width = max(len(email) for email, *_ in FIRST_STEPS)
    for email, who, path, what in FIRST_STEPS:
        click.echo(f"  {email:<{width}}  {who}: {what}")
        click.echo(f"  {'':<{width}}  {root}{path}")
    click.echo(f"(password for all: {demo.DEMO_PASSWORD})")
    click.echo(
        "No HIRELADDER_SMTP_URL set? Messages are not sent; read them on the admin's Mail "
        f"page: {root}/admin/mail"
    )


def init_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(ladder_cli)
    app.cli.add_command(ladder_pdf)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(worker_command)
