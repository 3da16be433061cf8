"""The JSON bodies the hiring endpoints accept (parsed by the views, documented in OpenAPI)."""

from __future__ import annotations

from typing import Any

from app.api.bodies import Body, Field, Kind
from app.api.errors import Problems
from pipelines.applications import DeclineReason
from pipelines.candidates import MAX_LINK_LENGTH, MAX_LINKS, MAX_TAG_LENGTH, MAX_TAGS
from pipelines.candidates import MAX_NOTES as MAX_CANDIDATE_NOTES
from pipelines.kits import MAX_CRITERION_NOTE
from pipelines.leveling import MAX_RATIONALE, Outcome
from pipelines.messages import MAX_MESSAGE_LENGTH
from pipelines.postings import MAX_INTRO, MAX_LOCATION, EmploymentType
from pipelines.privacy import CONSENT_TEXTS, CURRENT_CONSENT_VERSION
from pipelines.requisitions import RequisitionStatus
from pipelines.scorecards import MAX_NOTES, Rating
from pipelines.sources import RECRUITER_SOURCES, ApplicationSource
from pipelines.timezones import zone_problem

RATINGS = tuple(r.value for r in Rating)

LONG_TEXT = 2000

VERSION = Field(
    "version",
    Kind.INTEGER,
    "The application's version as last read; a different current version answers 409.",
)

REQUISITION = Body(
    (
        Field(
            "level_id",
            Kind.STRING,
            "A level id from GET /ladder/levels.",
            required=True,
            max_length=100,
        ),
        Field("specialty", Kind.STRING, "A specialty id of the level's family.", max_length=100),
        Field(
            "title",
            Kind.STRING,
            "Defaults to the level's title.",
            max_length=200,
            example="Senior CSM, EMEA",
        ),
        Field(
            "hiring_manager_email",
            Kind.EMAIL,
            "An active user with the hiring manager role.",
            required=True,
            max_length=254,
        ),
        Field(
            "recruiter_email",
            Kind.EMAIL,
            "An active user with the recruiter role; defaults to the caller.",
            max_length=254,
        ),
        Field("headcount", Kind.INTEGER, "People to hire.", minimum=1, maximum=500, default=1),
    )
)

REQUISITION_EDIT = Body(
    (
        Field("title", Kind.STRING, "The requisition's title.", max_length=200),
        Field("headcount", Kind.INTEGER, "People to hire.", minimum=1, maximum=500),
        Field(
            "status",
            Kind.STRING,
            "open, on_hold, filled or closed; a posting is shown only while open.",
            choices=tuple(s.value for s in RequisitionStatus),
        ),
        Field(
            "hiring_manager_email",
            Kind.EMAIL,
            "An active user with the hiring manager role.",
            max_length=254,
        ),
        Field(
            "recruiter_email", Kind.EMAIL, "An active user with the recruiter role.", max_length=254
        ),
        Field(
            "posting_intro",
            Kind.STRING,
            "The posting's intro, above the ladder's text (null clears it).",
            max_length=MAX_INTRO,
        ),
        Field(
            "posting_location",
            Kind.STRING,
            "City, Country; for a remote role where applicants must live. Needed to publish.",
            max_length=MAX_LOCATION,
            example="Berlin, Germany",
        ),
        Field("posting_remote", Kind.BOOLEAN, "A remote role."),
        Field(
            "employment_type",
            Kind.STRING,
            "schema.org employmentType.",
            choices=tuple(t.value for t in EmploymentType),
        ),
        Field(
            "posting_valid_through",
            Kind.DATE,
            "The posting's last day (null: until unpublished or closed).",
            example="2030-06-30",
        ),
        Field(
            "published",
            Kind.BOOLEAN,
            "true publishes the posting on the careers site (an open requisition with a "
            "location only; else 422 on this field), false takes it off.",
        ),
        Field(
            "version",
            Kind.INTEGER,
            "The requisition's version as last read; a different current version answers 409.",
            required=True,
        ),
    ),
    description="Only the fields sent change; the posting's fields and 'published' need the "
    "requisition's recruiter or an admin.",
)

TIMEZONE = Field(
    "timezone",
    Kind.STRING,
    "An IANA time zone (e.g. Europe/Berlin) for the times in messages to the candidate; "
    "null: the installation's default.",
    max_length=64,
    example="Europe/Berlin",
)

CANDIDATE = Body(
    (
        Field("name", Kind.STRING, "Full name.", required=True, max_length=200),
        Field(
            "email",
            Kind.EMAIL,
            "Unique (case-insensitively) among candidates; a duplicate answers 409.",
            required=True,
            max_length=254,
        ),
        Field("phone", Kind.STRING, "Phone number.", max_length=50),
        Field("location", Kind.STRING, "Where the candidate lives or works.", max_length=200),
        Field("source", Kind.STRING, "E.g. referral, job board, sourcing.", max_length=100),
        TIMEZONE,
        Field(
            "consent_on",
            Kind.DATE,
            "The date the candidate agreed to their data being kept.",
            required=True,
            example="2030-01-15",
        ),
        Field(
            "consent_version",
            Kind.STRING,
            "The version of the consent text agreed to; defaults to the current one.",
            choices=tuple(sorted(CONSENT_TEXTS)),
            default=CURRENT_CONSENT_VERSION,
        ),
    )
)

CANDIDATE_VERSION = Field(
    "version",
    Kind.INTEGER,
    "The candidate's version as last read; a different current version answers 409.",
    required=True,
)

CONSENT = Body(
    (
        Field(
            "consent_on",
            Kind.DATE,
            "The date the candidate gave (or renewed) consent; the retention period runs from it.",
            required=True,
            example="2030-01-15",
        ),
        Field(
            "consent_version",
            Kind.STRING,
            "The version of the consent text agreed to; defaults to the current one.",
            choices=tuple(sorted(CONSENT_TEXTS)),
            default=CURRENT_CONSENT_VERSION,
        ),
        CANDIDATE_VERSION,
    )
)

ERASE = Body((CANDIDATE_VERSION,))


CANDIDATE_EDIT = Body(
    (
        Field("name", Kind.STRING, "Full name.", max_length=200),
        Field(
            "email",
            Kind.EMAIL,
            "Unique (case-insensitively) among candidates; another record's address answers "
            "422 naming that record.",
            max_length=254,
        ),
        Field("phone", Kind.STRING, "Phone number; null removes it.", max_length=50),
        Field("location", Kind.STRING, "Where the candidate lives or works.", max_length=200),
        Field(
            "links",
            Kind.STRING_LIST,
            f"Web addresses (http or https), at most {MAX_LINKS}; replaces the list.",
            max_length=MAX_LINK_LENGTH,
            example=["https://www.linkedin.com/in/example"],
        ),
        Field(
            "notes",
            Kind.STRING,
            "The recruiters' notes on the person (found by search); null removes them.",
            max_length=MAX_CANDIDATE_NOTES,
        ),
        Field(
            "tags",
            Kind.STRING_LIST,
            f"Tags (lower-cased; letters a-z, digits and + # . _ -), at most {MAX_TAGS}; "
            "replaces the list.",
            max_length=MAX_TAG_LENGTH,
            example=["salesforce", "silver-medalist"],
        ),
        TIMEZONE,
        CANDIDATE_VERSION,
    ),
    description="Only the fields sent change (null clears an optional one); the candidate's "
    "version is required. An erased or merged-away record answers 409.",
)


def check_timezone(values: dict[str, Any], problems: Problems) -> None:
    problem = zone_problem(values.get("timezone"))
    if problem:
        problems.add("timezone", problem)


def check_consent_version(values: dict[str, Any], problems: Problems) -> None:
    version = values.get("consent_version")
    if version is not None and version not in CONSENT_TEXTS:
        known = ", ".join(sorted(CONSENT_TEXTS))
        problems.add("consent_version", f"Unknown consent text version (known: {known}).")


APPLICATION = Body(
    (
        Field("candidate_id", Kind.INTEGER, "An existing candidate.", required=True),
        Field("requisition_id", Kind.INTEGER, "An open requisition.", required=True),
        Field(
            "source",
            Kind.STRING,
            "Where the candidate came from: "
            + "; ".join(f"{s.value} ({s.label})" for s in RECRUITER_SOURCES)
            + ". The careers site and referrals set theirs themselves.",
            choices=tuple(s.value for s in RECRUITER_SOURCES),
            default=ApplicationSource.SOURCED.value,
        ),
    )
)

INTERVIEW = Body(
    (
        Field(
            "stage",
            Kind.STRING,
            "An interview stage id of the requisition's plan (not behind the current stage).",
            required=True,
            max_length=100,
        ),
        Field(
            "interviewer_emails",
            Kind.STRING_LIST,
            "E-mail addresses of users eligible for the stage (the executive interview: users "
            "holding the level the ladder names). Scheduling a stage again replaces them.",
            required=True,
            max_length=254,
        ),
        Field(
            "scheduled_at",
            Kind.DATETIME,
            "ISO 8601 with a UTC offset; null while the time is not fixed.",
            example="2030-03-04T10:00:00+01:00",
        ),
        Field("location", Kind.STRING, "A room or a video-call link.", max_length=300),
        Field(
            "invite_candidate",
            Kind.BOOLEAN,
            "true also sends the candidate an invitation with a calendar file, in the "
            "candidate's time zone (needs scheduled_at and the candidate's e-mail address). "
            "A candidate invited once gets later changes and the cancellation without it.",
            default=False,
        ),
        Field(
            "version",
            Kind.INTEGER,
            "When rescheduling: the interview's version as last read; a different current "
            "version answers 409.",
        ),
    )
)

INTERVIEW_CANCEL = Body(
    (
        Field(
            "version",
            Kind.INTEGER,
            "The interview's version as last read; a different current version answers 409.",
        ),
    )
)

SCORECARD = Body(
    (
        Field(
            "ratings",
            Kind.STRING_MAP,
            "Criterion id -> strong_no, no, yes, strong_yes or not_assessed. Submitting needs "
            "every criterion of the interview.",
            default={},
            max_length=max(len(r) for r in (*RATINGS, "not_assessed")),
        ),
        Field(
            "recommendation",
            Kind.STRING,
            "The overall recommendation; required to submit.",
            choices=RATINGS,
        ),
        Field("notes", Kind.STRING, "Why; required to submit.", max_length=MAX_NOTES),
        Field(
            "criterion_notes",
            Kind.STRING_MAP,
            "Criterion id -> the interviewer's note on it (optional; empty notes are "
            "dropped). Left out: the notes saved with the draft are kept.",
            max_length=MAX_CRITERION_NOTE,
        ),
        Field(
            "submit",
            Kind.BOOLEAN,
            "true submits (final; later changes are amendments); false saves a draft.",
            default=True,
        ),
        Field("version", Kind.INTEGER, "The draft's version as last read (optional)."),
    )
)

ADVANCE = Body(
    (
        Field(
            "override_reason",
            Kind.STRING,
            "Hiring manager only: move on although the stage's evidence does not pass.",
            max_length=LONG_TEXT,
        ),
        VERSION,
    )
)

PREVIEW = Field(
    "preview",
    Kind.BOOLEAN,
    "true: answer the message as the candidate would get it (MessagePreview) and change "
    "nothing, send nothing.",
    default=False,
)

DECLINE = Body(
    (
        Field(
            "reason",
            Kind.STRING,
            "A reason code: " + "; ".join(f"{r.value} ({r.label})" for r in DeclineReason),
            required=True,
            choices=tuple(r.value for r in DeclineReason),
        ),
        Field("note", Kind.STRING, "Required when the reason is 'other'.", max_length=LONG_TEXT),
        Field(
            "message",
            Kind.STRING,
            "A message to the candidate, queued with the decline (both happen or neither): "
            "only this text is sent, never the reason or the note. At most "
            f"{MAX_MESSAGE_LENGTH:,} characters once line breaks count once. Needs the "
            "candidate's e-mail address (409 without one). Omitted: no message. With "
            "'preview', omitted means the default text.",
            max_length=2 * MAX_MESSAGE_LENGTH,
        ),
        PREVIEW,
        VERSION,
    )
)

DECISION = Body(
    (
        Field(
            "outcome",
            Kind.STRING,
            "hire, or no_hire (which declines the application, reason 'interviews').",
            required=True,
            choices=tuple(o.value for o in Outcome),
        ),
        Field(
            "level_id",
            Kind.STRING,
            "For a hire: the requisition's level (the default), or the level one below or "
            "one above it on the same track (see level_options of the debrief). None for no "
            "hire.",
            max_length=100,
        ),
        Field(
            "rationale",
            Kind.STRING,
            "Why; required to hire at a level other than the requisition's.",
            max_length=MAX_RATIONALE,
        ),
        Field(
            "version",
            Kind.INTEGER,
            "The recorded decision's version, required to change it (leave it out for the "
            "first decision); a different current version answers 409.",
            minimum=1,
        ),
    )
)


WITHDRAW = Body(
    (
        Field("reason", Kind.STRING, "Why the candidate withdrew.", max_length=LONG_TEXT),
        VERSION,
    )
)

SCREEN = Body(
    (
        Field("passed", Kind.BOOLEAN, "The recruiter screen's outcome.", required=True),
        VERSION,
    )
)


ASSESSMENT = Body(
    (
        Field(
            "expires_in_days",
            Kind.INTEGER,
            "How long the link works, in days.",
            minimum=1,
            maximum=30,
            default=7,
        ),
        PREVIEW,
        VERSION,
    )
)

REFERENCES = Body(
    (
        Field(
            "passed",
            Kind.BOOLEAN,
            "The reference and background check's outcome.",
            required=True,
        ),
        VERSION,
    )
)
