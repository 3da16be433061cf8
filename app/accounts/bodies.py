"""The JSON bodies the account endpoints accept (parsed by the views, documented in OpenAPI)."""

from __future__ import annotations

from app.api.bodies import Body, Field, Kind
from app.services.preferences import CHOOSABLE
from pipelines.outbox import Delivery

PREFERENCES = Body(
    (
        Field(
            "timezone",
            Kind.STRING,
            "An IANA time zone (Europe/Berlin); null or absent: the installation's default.",
            max_length=64,
            example="Europe/Berlin",
        ),
        Field(
            "notifications",
            Kind.STRING_MAP,
            "How each kind of notification comes: "
            + ", ".join(d.value for d in Delivery)
            + ". The kinds: "
            + ", ".join(kind.key for kind in CHOOSABLE)
            + "; a kind not named comes right away (immediate).",
            max_length=16,
            example={"scorecard_reminder": "digest", "overdue_digest": "off"},
        ),
        Field(
            "version",
            Kind.INTEGER,
            "Your account's version as last read (GET /me/preferences); a different current "
            "version answers 409.",
            required=True,
        ),
    ),
    description="The caller's time zone and notification choices, replaced as a whole.",
)
