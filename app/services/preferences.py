"""A person's own settings for time and mail: their time zone, and how they receive each
kind of internal notification (right away, in a daily digest, or not at all)."""

from __future__ import annotations

from collections.abc import Mapping

from app.models import User
from app.services import audit
from app.services.errors import ConflictError, ServiceError, commit_or_conflict
from pipelines import outbox as rules
from pipelines.outbox import Delivery
from pipelines.timezones import is_zone

#: The kinds a person may choose how to receive, in the order they are listed.
CHOOSABLE: tuple[rules.Kind, ...] = tuple(kind for kind in rules.KINDS if kind.choosable)
STALE = (
    "Your settings were changed elsewhere (in another window, or by an admin) since this "
    "page was loaded. Reload the page to see them, then make your change again."
)


class PreferenceError(ServiceError):
    """A setting that cannot be stored; ``field`` names it ("timezone", a kind's key)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def deliveries(user: User) -> dict[str, Delivery]:
    """How ``user`` receives each choosable kind (a kind never chosen: right away)."""
    stored = user.notification_preferences or {}
    return {kind.key: rules.delivery_for(kind.key, stored) for kind in CHOOSABLE}


def check_zone(zone: str | None) -> str | None:
    """The zone to store (None: the installation's default), or a PreferenceError."""
    zone = (zone or "").strip() or None
    if zone is not None and not is_zone(zone):
        shown = zone if len(zone) <= 64 else zone[:61] + "..."
        raise PreferenceError(
            "timezone",
            f"Time zone: {shown!r} is not a time zone this server knows. Choose one from the "
            "list, such as Europe/Berlin or America/New_York, or none for the default.",
        )
    return zone


def check_deliveries(choices: Mapping[str, str]) -> dict[str, Delivery]:
    """Every choosable kind's delivery from ``choices`` (kinds not named keep the default);
    an unknown kind or value is a PreferenceError naming it."""
    known = {kind.key: kind for kind in CHOOSABLE}
    parsed: dict[str, Delivery] = {}
    for key, raw in choices.items():
        if key not in known:
            names = ", ".join(known)
            raise PreferenceError(
                key, f"{key!r} is not a kind of notification you can choose; they are: {names}."
            )
        try:
            parsed[key] = Delivery(raw)
        except ValueError:
            values = ", ".join(d.value for d in Delivery)
            raise PreferenceError(
                key, f"{known[key].label}: {raw!r} is not a choice; choose one of {values}."
            ) from None
    return parsed


def update(
    user: User,
    *,
    timezone: str | None,
    choices: Mapping[str, str],
    expected_version: int | None,
    actor: User,
    channel: str = "web",
) -> bool:
    """Store ``user``'s zone and notification choices (a kind not in ``choices`` keeps its
    current setting); refuses a stale edit. Returns whether anything changed."""
    if expected_version is not None and user.version != expected_version:
        raise ConflictError(STALE)
    zone = check_zone(timezone)
    before = deliveries(user)
    after = {**before, **check_deliveries(choices)}
    summary = audit.changes(
        {k: v.value for k, v in before.items()}, {k: v.value for k, v in after.items()}
    )
    if zone != user.timezone:
        # Which zone someone lives in says where they are: only that it changed is logged.
        summary["timezone"] = {"changed": True}
    if not summary:
        return False
    user.timezone = zone
    # Only what differs from the default is kept: a kind added later starts right away.
    user.notification_preferences = {
        key: value.value for key, value in after.items() if value is not Delivery.IMMEDIATE
    }
    audit.record(
        "account.preferences",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary=summary,
    )
    try:
        commit_or_conflict("Your account")
    except ConflictError:
        raise ConflictError(STALE) from None
    return True
