"""The JSON bodies of the offer endpoints (parsed by the views, documented in OpenAPI)."""

from __future__ import annotations

from app.api.bodies import Body, Field, Kind
from pipelines.offers import (
    MAX_AMOUNT,
    MAX_COMPENSATION_NOTE,
    MAX_EQUITY,
    MAX_LOCATION,
    MAX_RESPONSE_NOTE,
    OfferDeclineReason,
)

TERMS = (
    Field(
        "level_id",
        Kind.STRING,
        "The level; the hire decision's when omitted. Another level only within the leveling "
        "rules (the requisition's level, one below or one above on its track), by the hiring "
        "manager or an admin.",
        max_length=100,
    ),
    Field(
        "specialty_id",
        Kind.STRING,
        "A specialty of the level's family; the decision's when omitted.",
        max_length=100,
    ),
    Field(
        "start_date",
        Kind.DATE,
        "The first day; needed to extend the offer, not in the past when set.",
        example="2030-09-01",
    ),
    Field("location", Kind.STRING, "Where the person will work.", max_length=MAX_LOCATION),
    Field(
        "needs_approval",
        Kind.BOOLEAN,
        "An admin approves the offer before it is extended (always so when the installation "
        "sets HIRELADDER_OFFER_APPROVAL=always).",
    ),
    Field(
        "currency",
        Kind.STRING,
        "ISO 4217 code of the amounts.",
        max_length=3,
        example="EUR",
    ),
    Field(
        "base_salary",
        Kind.INTEGER,
        "Yearly base salary, whole units of the currency.",
        minimum=0,
        maximum=MAX_AMOUNT,
    ),
    Field(
        "bonus",
        Kind.INTEGER,
        "Yearly target bonus, whole units of the currency.",
        minimum=0,
        maximum=MAX_AMOUNT,
    ),
    Field("equity", Kind.STRING, "Equity, in words.", max_length=MAX_EQUITY),
    Field(
        "compensation_note",
        Kind.STRING,
        "Anything else about the compensation.",
        max_length=MAX_COMPENSATION_NOTE,
    ),
)

OFFER = Body(
    (
        *TERMS,
        Field(
            "override_reason",
            Kind.STRING,
            "Hiring manager only: draft the offer although the reference check is not passed.",
            max_length=2000,
        ),
        Field(
            "version",
            Kind.INTEGER,
            "The application's version as last read; a different current version answers 409.",
        ),
    ),
    description="Drafts an offer from the hiring manager's hire decision.",
)

OFFER_EDIT = Body(
    (
        *TERMS,
        Field(
            "version",
            Kind.INTEGER,
            "The offer's version as last read; a different current version answers 409.",
            required=True,
        ),
    ),
    description="Only the fields sent change (null clears one); a draft only.",
)

OFFER_VERSION = Field(
    "version",
    Kind.INTEGER,
    "The offer's version as last read; a different current version answers 409.",
    required=True,
)

NOTE = Field(
    "note",
    Kind.STRING,
    "A note on the answer or the withdrawal.",
    max_length=MAX_RESPONSE_NOTE,
)

OFFER_MOVE = Body((OFFER_VERSION,))

OFFER_ANSWER = Body((NOTE, OFFER_VERSION))

OFFER_DECLINE = Body(
    (
        Field(
            "reason",
            Kind.STRING,
            "Why the candidate declined: "
            + "; ".join(f"{r.value} ({r.label})" for r in OfferDeclineReason),
            required=True,
            choices=tuple(r.value for r in OfferDeclineReason),
        ),
        Field(
            "note",
            Kind.STRING,
            "Required when the reason is 'other'.",
            max_length=MAX_RESPONSE_NOTE,
        ),
        OFFER_VERSION,
    )
)

HIRE = Body(
    (
        Field(
            "start_date",
            Kind.DATE,
            "The first day; the offer's when omitted (a changed one may not lie in the past).",
            example="2030-09-01",
        ),
        Field(
            "link_existing",
            Kind.BOOLEAN,
            "Required true when an account with the candidate's e-mail address exists: "
            "the hire links it (an account with staff roles only when an admin hires).",
        ),
        OFFER_VERSION,
    )
)
