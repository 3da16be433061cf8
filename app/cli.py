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


def init_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(ladder_cli)
    app.cli.add_command(ladder_pdf)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(worker_command)
