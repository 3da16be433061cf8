"""The JSON bodies the referral endpoints accept (parsed by the views, documented in OpenAPI)."""

from __future__ import annotations

from app.api.bodies import Body, Field, Kind
from pipelines.referrals import MAX_NOTE

REFERRAL = Body(
    (
        Field(
            "requisition_id",
            Kind.INTEGER,
            "An open requisition (any team member may refer to any open one).",
            required=True,
            minimum=1,
        ),
        Field("name", Kind.STRING, "The person's full name.", required=True, max_length=200),
        Field(
            "email",
            Kind.EMAIL,
            "The person's e-mail address. A known address gets a new application on the "
            "existing record (its details are left as they are).",
            required=True,
            max_length=254,
        ),
        Field(
            "note",
            Kind.STRING,
            "Why you recommend them; read by the recruiter and the hiring manager.",
            required=True,
            max_length=MAX_NOTE,
        ),
    ),
    description="The caller confirms, by sending it, that the person agreed to be referred.",
)
