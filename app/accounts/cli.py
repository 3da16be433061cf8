"""``flask users …``: accounts, roles, passwords and API tokens from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts import queries
from app.db import db
from app.models import ApiToken, Role, User
from app.services import accounts, api_tokens, mfa
from app.services.errors import ServiceError

users_cli = AppGroup("users", help="Manage user accounts.")

ROLE_NAMES = ", ".join(r.value for r in Role)


def _user_or_fail(email: str) -> User:
    user = accounts.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with the e-mail address {email.strip().lower()}.")
    return user


def _roles(value: str) -> list[str]:
    return [r.strip() for r in value.split(",") if r.strip()]


@users_cli.command("create")
@click.argument("email")
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option(
    "--roles", default="team_member", show_default=True, help=f"Comma-separated: {ROLE_NAMES}."
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for when not given.",
)
def create_user(email: str, display_name: str, roles: str, password: str) -> None:
    """Create a user."""
    try:
        user = accounts.create_user(
            email, display_name, password, _roles(roles), actor=None, channel="cli"
        )
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.email} ({', '.join(r.role for r in user.roles) or 'no roles'}).")


@users_cli.command("list")
def list_users() -> None:
    """List every user with roles and status."""
    users = db.session.scalars(queries.user_list()).all()
    if not users:
        click.echo("No users yet. Create one with: flask users create EMAIL --name NAME")
        return
    width = max(len(u.email) for u in users)
    for user in users:
        status = "active" if user.active else "deactivated"
        roles = ",".join(r.role for r in user.roles) or "-"
        click.echo(f"{user.email:<{width}}  {status:<11}  {roles}")


@users_cli.command("set-roles")
@click.argument("email")
@click.argument("roles")
def set_roles(email: str, roles: str) -> None:
    """Replace a user's roles with ROLES (comma-separated)."""
    user = _user_or_fail(email)
    try:
        accounts.set_roles(user, _roles(roles), actor=None, channel="cli")
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{user.email}: {', '.join(r.role for r in user.roles) or 'no roles'}.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Deactivate a user; their sessions end at once."""
    user = _user_or_fail(email)
    accounts.set_active(user, False, actor=None, channel="cli")
    click.echo(f"{user.email} is deactivated.")


@users_cli.command("reactivate")
@click.argument("email")
def reactivate(email: str) -> None:
    """Reactivate a deactivated user."""
    user = _user_or_fail(email)
    accounts.set_active(user, True, actor=None, channel="cli")
    click.echo(f"{user.email} is active.")


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(email: str, password: str) -> None:
    """Set a user's password."""
    user = _user_or_fail(email)
    try:
        accounts.set_password(user, password, actor=None, channel="cli")
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Password set for {user.email}.")


@users_cli.command("mfa-reset")
@click.argument("email")
def mfa_reset(email: str) -> None:
    """Remove EMAIL's two-step sign-in (a lost phone); they set it up again."""
    user = _user_or_fail(email)
    if mfa.reset(user, actor=None, channel="cli"):
        click.echo(f"Two-step sign-in reset for {user.email}; they set it up again at sign-in.")
    else:
        click.echo(f"{user.email} had no two-step sign-in; nothing to reset.")


@users_cli.command("token")
@click.argument("email")
def token(email: str) -> None:
    """Print a new API token for EMAIL (shown once; only its hash is stored)."""
    user = _user_or_fail(email)
    row, raw = api_tokens.issue(user, actor=None, channel="cli")
    click.echo(raw)
    click.echo(
        f"Token #{row.id} for {user.email}. Send it as 'Authorization: Bearer <token>'. "
        f"Revoke with: flask users revoke-token {row.id}",
        err=True,
    )


@users_cli.command("tokens")
@click.argument("email")
def tokens(email: str) -> None:
    """List a user's API tokens."""
    user = _user_or_fail(email)
    rows = queries.api_tokens(user.id, newest_first=False)
    if not rows:
        click.echo(f"{user.email} has no API tokens.")
    for row in rows:
        state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M} UTC" if row.revoked_at else "active"
        used = f"last used {row.last_used_at:%Y-%m-%d}" if row.last_used_at else "never used"
        click.echo(f"#{row.id}  {row.prefix}…  created {row.created_at:%Y-%m-%d}  {used}  {state}")


@users_cli.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Revoke API token TOKEN_ID (see `flask users tokens EMAIL`)."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise click.ClickException(f"No API token #{token_id}.")
    api_tokens.revoke(row, actor=None, channel="cli")
    click.echo(f"Token #{token_id} revoked.")
