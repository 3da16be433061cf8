"""What every template can use: the navigation, the demo banner, the domain's enums, and
the page's links and form token made once rather than on every page.

Templates compare statuses and kinds with the enums themselves
(``application.status == ApplicationStatus.ACTIVE``), never with string literals.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session, url_for
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.wrappers import Response

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


_LINKS = "hireladder.links"


def fixed_url(endpoint: str, filename: str | None = None) -> str:
    """``url_for`` of an endpoint that takes no arguments (or of a static file), made once
    per process and mount point: every page's header and footer write a dozen."""
    links: dict[tuple[str, str, str | None], str] = current_app.extensions[_LINKS]
    key = (request.script_root if has_request_context() else "", endpoint, filename)
    url = links.get(key)
    if url is None:
        url = url_for(endpoint, filename=filename) if filename else url_for(endpoint)
        links[key] = url
    return url


#: Signed form tokens by the session's own (raw) token, reused for a minute: signing one (a
#: key derivation and an HMAC) cost every page with a form a third of a millisecond. A
#: signed token is only ever handed to a request whose session holds the raw token it
#: signs, as Flask-WTF's would be; its forms and ``csrf_token()`` read it from ``g``.
_SIGNED: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()
_SIGNED_AT_MOST = 4096
_SIGNED_FOR = 60.0
_SIGNED_LOCK = threading.Lock()
_now = time.monotonic
#: The raw token the request started with, and whether its signed token was reused.
_RAW, _REUSED = "hireladder_csrf_raw", "hireladder_csrf_reused"


def reuse_signed_token() -> None:
    """Before a request of a signed-in browser: its session's signed token of the last
    minute, where Flask-WTF looks first (``g``)."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    if not isinstance(raw, str):
        return
    setattr(g, _RAW, raw)
    with _SIGNED_LOCK:
        kept = _SIGNED.get((str(current_app.secret_key), raw))
    if kept is not None and _now() - kept[1] < _SIGNED_FOR:
        setattr(g, field, kept[0])
        setattr(g, _REUSED, True)


def keep_signed_token(response: Response) -> Response:
    """After a request that signed its session's token afresh: keep it for the next ones
    (unless the session's raw token changed on the way, as signing in does)."""
    raw = g.get(_RAW)
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field)
    if raw is None or token is None or g.get(_REUSED) or session.get(field) != raw:
        return response
    with _SIGNED_LOCK:
        key = (str(current_app.secret_key), raw)
        _SIGNED[key] = (str(token), _now())
        _SIGNED.move_to_end(key)
        while len(_SIGNED) > _SIGNED_AT_MOST:
            _SIGNED.popitem(last=False)
    return response


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update({enum.__name__: enum for enum in ENUMS})
    app.extensions[_LINKS] = {}
    app.jinja_env.globals.update(fixed_url=fixed_url)
    app.before_request(reuse_signed_token)
    app.after_request(keep_signed_token)
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
