"""``flask users …``: accounts, roles, passwords and API tokens from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.accounts import queries
from app.db import db
from app.models import ApiToken, Role, User
from app.services import accounts, api_tokens, mfa, password_resets, sessions, token_rules
from app.services.errors import ServiceError
from app.services.token_rules import TokenState

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
@click.option(
    "--own",
    is_flag=True,
    help="The password is the person's own (they typed it): no change at first sign-in.",
)
def create_user(email: str, display_name: str, roles: str, password: str, own: bool) -> None:
    """Create a user. Unless --own is given, they must change the password at first
    sign-in."""
    try:
        user = accounts.create_user(
            email,
            display_name,
            password,
            _roles(roles),
            actor=None,
            channel="cli",
            must_change_password=not own,
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
    """Set a user's password: their sessions end, and they must change it at their next
    sign-in (for a person to choose their own, give them a reset link instead)."""
    user = _user_or_fail(email)
    try:
        accounts.set_password(user, password, actor=None, channel="cli")
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Password set for {user.email}.")


@users_cli.command("sign-out")
@click.argument("email", required=False)
@click.option("--all", "everyone", is_flag=True, help="End every session of every account.")
def sign_out(email: str | None, everyone: bool) -> None:
    """End every session of EMAIL (or, with --all, of everyone): they must sign in again.
    API tokens are not affected (revoke them with revoke-token)."""
    if everyone == bool(email):
        raise click.UsageError("Give either an EMAIL or --all.")
    if everyone:
        total, who = sessions.end_everyones(actor=None, channel="cli"), "every account"
    else:
        user = _user_or_fail(email or "")
        total, who = sessions.sign_out_everywhere(user, actor=None, channel="cli"), user.email
    click.echo(f"{total} session{'s' if total != 1 else ''} ended ({who}).")


@users_cli.command("reset-link")
@click.argument("email")
@click.option(
    "--base-url",
    envvar="HIRELADDER_BASE_URL",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The address people reach HireLadder at (or set HIRELADDER_BASE_URL).",
)
def reset_link(email: str, base_url: str) -> None:
    """Print a single-use link for EMAIL to choose a new password (valid 30 minutes by
    default; earlier links stop working). Send it to the person by a channel you trust."""
    user = _user_or_fail(email)
    if not user.active:
        raise click.ClickException(f"{user.email} is deactivated; reactivate the account first.")
    token = password_resets.issue(user, actor=None, channel="cli")
    minutes = int(current_app.config["PASSWORD_RESET_LIFETIME"].total_seconds() // 60)
    click.echo(f"{base_url.rstrip('/')}/reset/{token}")
    click.echo(f"Valid once, for {minutes} minutes, for {user.email}.", err=True)


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
@click.option(
    "--scope",
    type=click.Choice(token_rules.SCOPES),
    default="write",
    show_default=True,
    help="read: GET only; write: everything the user may do.",
)
@click.option(
    "--days",
    type=click.IntRange(1, token_rules.MAX_LIFETIME_DAYS),
    default=token_rules.DEFAULT_LIFETIME_DAYS,
    show_default=True,
    help=f"Days until the token expires (at most {token_rules.MAX_LIFETIME_DAYS}).",
)
def token(email: str, scope: str, days: int) -> None:
    """Print a new API token for EMAIL (shown once; only its hash is stored)."""
    user = _user_or_fail(email)
    try:
        row, raw = api_tokens.issue(user, actor=None, channel="cli", scope=scope, days=days)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(raw)
    click.echo(
        f"Token #{row.id} for {user.email}, scope {row.scope}, expires "
        f"{row.expires_at:%Y-%m-%d %H:%M} UTC. Send it as 'Authorization: Bearer <token>'. "
        f"Revoke with: flask users revoke-token {row.id}",
        err=True,
    )


@users_cli.command("tokens")
@click.argument("email")
def tokens(email: str) -> None:
    """List a user's API tokens: scope, expiry, last use, state."""
    user = _user_or_fail(email)
    rows = queries.api_tokens(user.id, newest_first=False)
    if not rows:
        click.echo(f"{user.email} has no API tokens.")
    for row in rows:
        match api_tokens.state(row):
            case TokenState.REVOKED:
                state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M} UTC"
            case TokenState.EXPIRED:
                state = "expired"
            case _:
                state = "active"
        used = (
            f"last used {row.last_used_at:%Y-%m-%d %H:%M} from {row.last_used_address or '?'}"
            if row.last_used_at
            else "never used"
        )
        click.echo(
            f"#{row.id}  {row.prefix}…  {row.scope:<5}  created {row.created_at:%Y-%m-%d}  "
            f"expires {row.expires_at:%Y-%m-%d}  {used}  {state}"
        )


@users_cli.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Revoke API token TOKEN_ID (see `flask users tokens EMAIL`)."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise click.ClickException(f"No API token #{token_id}.")
    api_tokens.revoke(row, actor=None, channel="cli")
    click.echo(f"Token #{token_id} revoked.")
