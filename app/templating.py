"""What every template can use: the navigation, the demo banner, and the domain's enums.

Templates compare statuses and kinds with the enums themselves
(``application.status == ApplicationStatus.ACTIVE``), never with string literals.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, request
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

from app.accounts.queries import demo_accounts_exist
from app.navigation import current_item, visible_navigation
from ladder.model import Track
from pipelines.applications import ApplicationStatus
from pipelines.assessment import InvitationStatus
from pipelines.outbox import MessageStatus
from pipelines.plan import StageKind
from pipelines.promotions import MoveKind, PacketStatus
from pipelines.requisitions import RequisitionStatus
from pipelines.scorecards import CriterionSource, Scope
from pipelines.timezones import format_local

ENUMS = (
    ApplicationStatus,
    CriterionSource,
    InvitationStatus,
    MessageStatus,
    MoveKind,
    PacketStatus,
    RequisitionStatus,
    Scope,
    StageKind,
    Track,
)


def viewer_zone() -> str | None:
    """The signed-in person's time zone (None: they chose none, or nobody is signed in)."""
    if current_user and current_user.is_authenticated:
        return current_user.timezone  # type: ignore[no-any-return]
    return None


def _zone_for(context: Context, zone: str | None) -> str | None:
    """Whose clock a template writes times on: the ``zone`` it names, else a message's
    recipient, else the signed-in viewer; the installation's default fills in for None."""
    if zone is not None:
        return zone
    recipient = context.get("recipient")
    if recipient is not None and hasattr(recipient, "zone"):
        return recipient.zone  # type: ignore[no-any-return]
    return viewer_zone()


@pass_context
def localtime(
    context: Context, moment: datetime | None, style: str = "full", zone: str | None = None
) -> str:
    """``{{ interview.starts_at|localtime }}``: "Tue 1 Dec 2026, 16:00 CET" in the
    viewer's zone; ``style`` is one of pipelines.timezones.STYLES. Empty for None."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # stored in UTC; a value read back without its zone
        moment = moment.replace(tzinfo=UTC)
    return format_local(
        moment, _zone_for(context, zone), current_app.config["DEFAULT_TIMEZONE"], style
    )


@pass_context
def localdate(context: Context, moment: datetime | None, zone: str | None = None) -> str:
    """``{{ packet.created_at|localdate }}``: "1 Dec 2026", the day in the viewer's zone."""
    return localtime(context, moment, "date", zone)


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update({enum.__name__: enum for enum in ENUMS})
    app.jinja_env.filters.update(localtime=localtime, localdate=localdate)

    @app.context_processor
    def _template_values() -> dict[str, Any]:
        # The signed-in user itself rather than Flask-Login's proxy: a page reads it tens
        # of times, and each read through the proxy looks it up again.
        user = current_user._get_current_object()  # type: ignore[attr-defined]
        navigation = visible_navigation(user)
        endpoint = request.endpoint or ""
        return {
            "current_user": user,
            "navigation": navigation,
            "current_nav": current_item(navigation, endpoint),
            "current_endpoint": endpoint,
            "demo_data_present": demo_accounts_exist,
            "app_env": app.config["HIRELADDER_ENV"],
        }
