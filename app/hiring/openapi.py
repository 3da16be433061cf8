"""Hiring's part of the OpenAPI document: requisitions, candidates, applications, interviews.

Request bodies come from :mod:`app.hiring.bodies`, the definitions the views parse with,
so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from app.api.schema import (
    CURSOR_PAGE,
    DATE_TIME,
    ID,
    JSON,
    PER_PAGE,
    cursor_page_of,
    nullable,
    obj,
    ok,
    operation,
    path_id,
    ref,
)
from app.hiring import bodies
from pipelines.applications import ApplicationStatus
from pipelines.assessment import InvitationStatus
from pipelines.my_interviews import Section
from pipelines.plan import StageKind
from pipelines.postings import EmploymentType
from pipelines.requisitions import RequisitionStatus
from pipelines.sources import ApplicationSource

TAGS = ("requisitions", "candidates", "applications", "interviews")

STAGE_ID = {"type": "string", "description": "A stage id of the requisition's plan."}
STATUS = {"type": "string", "enum": [s.value for s in ApplicationStatus]}

CANCELLED_AT = nullable(
    "string",
    format="date-time",
    description="When the interview was cancelled; null while it is on. Scheduling the "
    "stage again puts it back on.",
)
MY_SECTION = {
    "type": "string",
    "enum": [s.value for s in Section],
    "description": "to_score: the interview's time has passed (or it has none) and the "
    "caller's scorecard is not submitted; upcoming: scheduled ahead; submitted: the caller's "
    "scorecard is submitted; cancelled: called off.",
}
INTERVIEW_VERSION = {
    "type": "integer",
    "description": "Send it back as 'version' when rescheduling or cancelling.",
}
#: What GET /interviews/{id} and the items of GET /interviews share: the interview, its
#: stage, and only what an interviewer needs of its application.
INTERVIEW_CORE: dict[str, Any] = {
    "id": ID,
    "stage": ref("Stage"),
    "scheduled_at": nullable("string", format="date-time"),
    "duration_minutes": {"type": "integer"},
    "location": nullable("string"),
    "interviewer_ids": {"type": "array", "items": ID},
    "cancelled_at": CANCELLED_AT,
    "version": INTERVIEW_VERSION,
    "application_id": ID,
    "candidate": obj({"id": ID, "name": {"type": "string"}}),
    "requisition": obj({"id": ID, "title": {"type": "string"}, "level_id": {"type": "string"}}),
}

SCHEMAS: dict[str, Any] = {
    "Person": obj({"id": ID, "name": {"type": "string"}, "email": {"type": "string"}}),
    "Stage": obj(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": [k.value for k in StageKind]},
            "duration_minutes": nullable("integer"),
        }
    ),
    "Requisition": obj(
        {
            "id": ID,
            "title": {"type": "string"},
            "level_id": {"type": "string"},
            "level_title": nullable("string"),
            "specialty": nullable("string"),
            "hiring_manager": ref("Person"),
            "recruiter": ref("Person"),
            "headcount": {"type": "integer", "minimum": 1},
            "status": {"type": "string", "enum": [s.value for s in RequisitionStatus]},
            "ladder_version": {"type": "string"},
            "created_at": DATE_TIME,
            "version": {"type": "integer"},
            "stages": {
                "type": "array",
                "items": ref("Stage"),
                "description": "The plan from the level's family, in order.",
            },
            "posting": ref("RequisitionPosting"),
        }
    ),
    "RequisitionPosting": obj(
        {
            "published": {"type": "boolean"},
            "published_at": nullable("string", format="date-time"),
            "live": {
                "type": "boolean",
                "description": "Shown on the careers site: published and the requisition open.",
            },
            "intro": nullable("string"),
            "location": nullable("string"),
            "remote": {"type": "boolean"},
            "employment_type": {"type": "string", "enum": [t.value for t in EmploymentType]},
            "valid_through": nullable("string", format="date"),
        },
        description="The careers-site posting's own fields (the rest comes from the ladder).",
    ),
    "RequisitionPage": cursor_page_of("Requisition"),
    "Candidate": obj(
        {
            "id": ID,
            "name": {
                "type": "string",
                "description": "'Erased candidate #<id>' once the personal data is erased.",
            },
            "email": nullable("string", description="null once erased."),
            "phone": nullable("string"),
            "location": nullable("string"),
            "source": nullable("string"),
            "timezone": nullable(
                "string",
                description="IANA zone of the times in messages to the candidate; null: the "
                "installation's default.",
            ),
            "consent_on": nullable("string", format="date"),
            "consent_version": nullable(
                "string", description="The version of the consent text agreed to."
            ),
            "has_cv": {"type": "boolean"},
            "created_at": DATE_TIME,
            "erased_at": nullable("string", format="date-time"),
            "version": {"type": "integer"},
        }
    ),
    "CandidateListItem": {
        "allOf": [
            ref("Candidate"),
            obj({"tags": {"type": "array", "items": {"type": "string"}}}),
        ]
    },
    "CandidatePage": obj(
        {
            "items": {"type": "array", "items": ref("CandidateListItem")},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "next": nullable(
                "string",
                description="The address of the next page (the same search and filters, "
                "'after' the last item); null on the last page.",
            ),
        }
    ),
    "CandidateApplication": obj(
        {
            "id": ID,
            "requisition": obj({"id": ID, "title": {"type": "string"}}),
            "stage": obj({"id": STAGE_ID, "name": {"type": "string"}}),
            "status": STATUS,
            "source": {"type": "string", "enum": [s.value for s in ApplicationSource]},
            "created_at": DATE_TIME,
            "entered_stage_at": DATE_TIME,
        }
    ),
    "ApplicationSummary": {
        "allOf": [
            ref("CandidateApplication"),
            obj(
                {
                    "candidate": obj(
                        {"id": ID, "name": {"type": "string"}, "email": nullable("string")}
                    ),
                    "version": {"type": "integer"},
                }
            ),
        ],
        "description": "An item of the applications list.",
    },
    "ApplicationPage": cursor_page_of("ApplicationSummary"),
    "CandidateRecord": {
        "allOf": [
            ref("Candidate"),
            obj(
                {
                    "links": {"type": "array", "items": {"type": "string"}},
                    "notes": nullable("string"),
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "has_cv_text": {
                        "type": "boolean",
                        "description": "Whether text could be read from the CV (search "
                        "finds its words).",
                    },
                    "merged_into_id": nullable(
                        "integer",
                        description="Set while this record is merged into another.",
                    ),
                    "applications": {
                        "type": "array",
                        "items": ref("CandidateApplication"),
                        "description": "Every application, across requisitions, newest first.",
                    },
                }
            ),
        ]
    },
    "HistoryEntry": obj(
        {
            "action": {"type": "string"},
            "actor": {
                "oneOf": [
                    {"type": "null"},
                    obj({"id": ID, "name": {"type": "string"}}),
                ]
            },
            "at": DATE_TIME,
            "from": {
                "oneOf": [{"type": "null"}, obj({"stage": STAGE_ID, "status": STATUS})],
                "description": "null for the opening of the application.",
            },
            "to": obj({"stage": STAGE_ID, "status": STATUS}),
            "reason": nullable("string"),
            "note": nullable("string"),
            "overridden": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Stages left on the hiring manager's override in this move.",
            },
        }
    ),
    "InterviewSummary": obj(
        {
            "id": ID,
            "stage": STAGE_ID,
            "scheduled_at": nullable("string", format="date-time"),
            "duration_minutes": {"type": "integer"},
            "location": nullable("string"),
            "interviewer_ids": {"type": "array", "items": ID},
            "cancelled_at": CANCELLED_AT,
            "version": INTERVIEW_VERSION,
        }
    ),
    "Application": obj(
        {
            "id": ID,
            "candidate": obj({"id": ID, "name": {"type": "string"}, "email": nullable("string")}),
            "requisition": obj({"id": ID, "title": {"type": "string"}}),
            "stage": ref("Stage"),
            "status": STATUS,
            "entered_stage_at": DATE_TIME,
            "screen_passed": nullable("boolean"),
            "assessment": {
                "oneOf": [
                    {"type": "null"},
                    obj(
                        {
                            "status": {
                                "type": "string",
                                "enum": [s.value for s in InvitationStatus],
                                "description": "open: it works; answered; expired; closed: "
                                "the application no longer takes answers.",
                            },
                            "sent_at": DATE_TIME,
                            "expires_at": DATE_TIME,
                            "received_at": nullable("string", format="date-time"),
                        }
                    ),
                ],
                "description": "The written assessment's latest link (never the link itself); "
                "null while none was sent.",
            },
            "references_passed": nullable(
                "boolean", description="The reference check's outcome; null while it runs."
            ),
            "overridden": {"type": "array", "items": {"type": "string"}},
            "decline_reason": nullable("string"),
            "source": {
                "type": "string",
                "enum": [s.value for s in ApplicationSource],
                "description": "Where the application came from.",
            },
            "referrer": {
                "oneOf": [{"type": "null"}, obj({"id": ID, "name": {"type": "string"}})],
                "description": "Who referred the candidate (only for source 'referral').",
            },
            "referral_note": nullable(
                "string", description="Why the referrer recommends the candidate."
            ),
            "version": {
                "type": "integer",
                "description": "Send it back as 'version' with a move to refuse lost updates.",
            },
            "history": {"type": "array", "items": ref("HistoryEntry")},
            "interviews": {"type": "array", "items": ref("InterviewSummary")},
        }
    ),
    "Criterion": obj(
        {
            "id": {"type": "string", "description": "req:<hash> or competency:<id>."},
            "text": {"type": "string"},
            "items": {"type": "array", "items": {"type": "string"}},
            "description": nullable("string"),
            "source": {"type": "string", "enum": ["requirement", "competency"]},
            "scope": {"type": "string"},
            "origin": nullable("string"),
        }
    ),
    "Scorecard": obj(
        {
            "id": ID,
            "interview_id": ID,
            "interviewer_id": ID,
            "ratings": {"type": "object", "additionalProperties": {"type": "string"}},
            "recommendation": nullable("string"),
            "notes": nullable("string"),
            "criterion_notes": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Criterion id -> the interviewer's note on it.",
            },
            "submitted": {"type": "boolean"},
            "submitted_at": nullable("string", format="date-time"),
            "version": {"type": "integer"},
        }
    ),
    "Interview": obj(
        {
            **INTERVIEW_CORE,
            "criteria": {
                "type": "array",
                "items": ref("Criterion"),
                "description": "What this stage's scorecards rate.",
            },
            "questions": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "The interview kit: criterion id -> questions to ask.",
            },
            "my_scorecard": {
                "oneOf": [{"type": "null"}, ref("Scorecard")],
                "description": "The caller's own scorecard, if they are an interviewer.",
            },
        },
        description="Only what an interviewer needs about the candidate.",
    ),
    "MyInterview": obj(
        {
            **INTERVIEW_CORE,
            "section": MY_SECTION,
            "overdue": {
                "type": "boolean",
                "description": "The caller's scorecard is due (one working day after the "
                "interview ends) and not submitted.",
            },
            "my_scorecard": {
                "oneOf": [
                    {"type": "null"},
                    obj(
                        {
                            "id": ID,
                            "submitted": {"type": "boolean"},
                            "submitted_at": nullable("string", format="date-time"),
                        }
                    ),
                ],
                "description": "Where the caller's scorecard stands (null: not started); "
                "GET /interviews/{interview_id} has its contents and the criteria.",
            },
        },
        description="One of the caller's own interviews in a list.",
    ),
    "MyInterviewPage": obj(
        {
            "items": {"type": "array", "items": ref("MyInterview")},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "next": nullable(
                "string",
                description="The address of the next page of the same section ('after' the "
                "last item); null on the last page.",
            ),
        }
    ),
}


READ = ("Unauthorized", "Forbidden")
WRITE = ("BadRequest", "Unauthorized", "Forbidden", "Invalid")
MOVE = ("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "Invalid")
APPLICATION_ID = path_id("application_id", "An application of a requisition the caller sees.")
INTERVIEW_ID = path_id("interview_id", "An interview the caller sees.")
CANDIDATE_ID = path_id("candidate_id", "A candidate (recruiters and admins; anyone else 404).")


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


CANDIDATE_LIST = [
    _query(
        "q",
        {"type": "string", "maxLength": 200},
        "Words that must each begin a word of the name, e-mail address, notes or CV text "
        "(accents and case ignored).",
    ),
    _query("requisition_id", ID, "Candidates with an application to this requisition."),
    _query("family", {"type": "string"}, "A family id: an application to one of its levels."),
    _query("stage", {"type": "string", "maxLength": 100}, "An application at this stage id."),
    _query("status", STATUS, "An application with this status."),
    _query(
        "source",
        {"type": "string", "enum": [s.value for s in ApplicationSource]},
        "An application from this source.",
    ),
    _query("tag", {"type": "string", "maxLength": 50}, "Tagged so (case ignored)."),
    _query("created_from", {"type": "string", "format": "date"}, "Added on or after (UTC)."),
    _query("created_to", {"type": "string", "format": "date"}, "Added on or before (UTC)."),
    _query("after", ID, "A candidate id: the page after it (from the previous 'next')."),
    PER_PAGE,
]
APPLICATION_LIST = [
    _query("requisition_id", ID, "Applications to this requisition."),
    _query("stage", {"type": "string", "maxLength": 100}, "At this stage id."),
    _query("status", STATUS, "With this status."),
    *CURSOR_PAGE,
]
MY_INTERVIEWS = [
    _query("section", {**MY_SECTION, "default": "to_score"}, "Which of the caller's interviews."),
    _query(
        "after",
        {"type": "string", "pattern": "^[0-9]{20}-[0-9]{1,10}$"},
        "A list position: the page after it (from the previous 'next').",
    ),
    PER_PAGE,
]
ZIP = {"application/zip": {"schema": {"type": "string", "format": "binary"}}}
PRIVACY = ("Unauthorized", "NotFound")
MOVES = "Recruiters, admins and the requisition's hiring manager."

PATHS: dict[str, Any] = {
    "/requisitions": {
        "get": operation(
            "listRequisitions",
            "Requisitions, newest first",
            tag="requisitions",
            ok=ok("RequisitionPage"),
            errors=(*READ, "Invalid"),
            parameters=CURSOR_PAGE,
            description="Recruiters and admins see all, hiring managers their own; others "
            "403. Pages newest first: follow 'next'. '?page=' answers 422 (this list used "
            "numbered pages before).",
        ),
        "post": operation(
            "createRequisition",
            "Open a requisition",
            tag="requisitions",
            ok=ok("Requisition", "Created", "201"),
            errors=WRITE,
            body=bodies.REQUISITION,
            description="Recruiters and admins.",
        ),
    },
    "/requisitions/{requisition_id}": {
        "get": operation(
            "getRequisition",
            "A requisition with its plan's stages",
            tag="requisitions",
            ok=ok("Requisition"),
            errors=(*READ, "NotFound"),
            parameters=[path_id("requisition_id", "A requisition the caller sees.")],
            description="Recruiters, admins and its hiring manager (another hiring manager: "
            "404); other roles 403.",
        ),
        "patch": operation(
            "updateRequisition",
            "Change a requisition and its posting",
            tag="requisitions",
            ok=ok("Requisition"),
            errors=(*MOVE,),
            body=bodies.REQUISITION_EDIT,
            parameters=[path_id("requisition_id", "A requisition.")],
            description="Recruiters and admins; the posting's fields and 'published' only the "
            "requisition's recruiter and admins (else 403). Only the fields sent change. A "
            "stale 'version' answers 409 'Changed meanwhile' with 'current_version'; "
            "publishing a requisition "
            "that is not open (or would not be after the change), or one without a location, "
            "answers 422 naming the field, and nothing is written. Audited "
            "(requisition.update, requisition.posting, requisition.publish, "
            "requisition.unpublish).",
        ),
    },
    "/candidates": {
        "get": operation(
            "listCandidates",
            "Candidates, newest first, searched and filtered",
            tag="candidates",
            ok=ok("CandidatePage"),
            errors=(*READ, "Invalid"),
            parameters=CANDIDATE_LIST,
            description="Recruiters and admins. The web list's search and filters; records "
            "merged into another are left out, erased ones are listed as such (search finds "
            "nothing in them). Pages by id, newest first: follow 'next'. '?page=' answers "
            "422 (this list used numbered pages before). Audited (candidate.list, by ids).",
        ),
        "post": operation(
            "createCandidate",
            "Add a candidate",
            tag="candidates",
            ok=ok("Candidate", "Created", "201"),
            errors=(*WRITE, "Conflict"),
            body=bodies.CANDIDATE,
            description="Recruiters and admins. A candidate with the same e-mail address "
            "(case-insensitively) answers 409 'Not possible now' with 'existing_id'.",
        ),
    },
    "/candidates/{candidate_id}": {
        "get": operation(
            "getCandidate",
            "A candidate's record with every application",
            tag="candidates",
            ok=ok("CandidateRecord"),
            errors=PRIVACY,
            parameters=[CANDIDATE_ID],
            description="Recruiters and admins; anyone else 404. Audited (candidate.view).",
        ),
        "patch": operation(
            "updateCandidate",
            "Change a candidate's record",
            tag="candidates",
            ok=ok("CandidateRecord"),
            errors=(*PRIVACY, "BadRequest", "Conflict", "Invalid"),
            body=bodies.CANDIDATE_EDIT,
            parameters=[CANDIDATE_ID],
            description="Recruiters and admins; anyone else 404. Only the fields sent change "
            "('links' and 'tags' replace the lists). A bad value answers 422 naming the field "
            "(an e-mail address of another record names that record); a stale version, an "
            "erased candidate or a record merged into another 409 'Not possible now'. Audited "
            "(candidate.update, the names of the changed fields).",
        ),
    },
    "/candidates/{candidate_id}/export": {
        "get": operation(
            "exportCandidate",
            "Everything held about a candidate, as a zip",
            tag="candidates",
            ok={"200": {"description": "candidate.json and the CV file", "content": ZIP}},
            errors=PRIVACY,
            parameters=[CANDIDATE_ID],
            description="Recruiters and admins; anyone else 404. candidate.json holds the "
            "candidate's fields, each application with its stages, decisions and dates, "
            "interviews, scorecards (ratings, notes, amendments), written-assessment "
            "invitations and answers, and the audit rows about them; cv/ holds the CV. "
            "Audited (candidate.export); answered with Cache-Control: no-store. An erased "
            "candidate's export holds only the anonymous skeleton.",
        )
    },
    "/candidates/{candidate_id}/erase": {
        "post": operation(
            "eraseCandidate",
            "Erase a candidate's personal data",
            tag="candidates",
            ok=ok("Candidate", "Erased; the candidate now reads as 'Erased candidate #<id>'"),
            errors=(*PRIVACY, "BadRequest", "Conflict", "Invalid"),
            body=bodies.ERASE,
            parameters=[CANDIDATE_ID],
            description="Recruiters and admins; anyone else 404. Removes the name, contact "
            "data, consent record, CV file, and every free text by or about the candidate "
            "(scorecard notes and amendments, decline and withdrawal notes, override reasons, "
            "assessment answers); keeps applications, stages, dates, decisions and ratings. "
            "409 'Not possible now' when the candidate is erased already, 409 'Changed "
            "meanwhile' when the version is stale. Audited "
            "(candidate.erase).",
        )
    },
    "/candidates/{candidate_id}/consent": {
        "post": operation(
            "renewCandidateConsent",
            "Record consent given or renewed",
            tag="candidates",
            ok=ok("Candidate"),
            errors=(*PRIVACY, "BadRequest", "Conflict", "Invalid"),
            body=bodies.CONSENT,
            parameters=[CANDIDATE_ID],
            description="Recruiters and admins; anyone else 404. The retention period runs "
            "again from the consent date. 409 'Not possible now' for an erased candidate, "
            "'Changed meanwhile' for a stale version.",
        )
    },
    "/applications": {
        "get": operation(
            "listApplications",
            "Applications, newest first, filtered",
            tag="applications",
            ok=ok("ApplicationPage"),
            errors=(*READ, "Invalid"),
            parameters=APPLICATION_LIST,
            description="Recruiters and admins see every application, hiring managers "
            "those of the requisitions they manage; others 403. Pages newest first: follow "
            "'next'. Each item is a summary: GET /applications/{application_id} has the "
            "history, interviews and assessment. Audited (candidate.list, by ids).",
        ),
        "post": operation(
            "createApplication",
            "Put a candidate into a requisition's pipeline",
            tag="applications",
            ok=ok("Application", "Created", "201"),
            errors=(*WRITE, "Conflict"),
            body=bodies.APPLICATION,
            description="Recruiters and admins. Unknown ids in the body answer 422, as does a "
            "source the careers site or a referral sets ('careers_site', 'referral'); a closed "
            "requisition or a candidate already in its pipeline 409 'Not possible now'.",
        ),
    },
    "/applications/{application_id}": {
        "get": operation(
            "getApplication",
            "An application: stage, status, history, interviews",
            tag="applications",
            ok=ok("Application"),
            errors=("Unauthorized", "NotFound"),
            parameters=[APPLICATION_ID],
            description="Staff of the requisition; anyone else 404.",
        )
    },
    "/applications/{application_id}/screen": {
        "post": operation(
            "recordScreen",
            "Record the recruiter screen's outcome",
            tag="applications",
            ok=ok("Application"),
            errors=MOVE,
            body=bodies.SCREEN,
            parameters=[APPLICATION_ID],
            description="Recruiters and admins (the hiring manager: 403), at the screen only.",
        )
    },
    "/applications/{application_id}/advance": {
        "post": operation(
            "advanceApplication",
            "Move to the next stage (into references, then to an offer)",
            tag="applications",
            ok=ok("Application"),
            errors=MOVE,
            body=bodies.ADVANCE,
            parameters=[APPLICATION_ID],
            description=f"{MOVES} Only the hiring manager moves into references or to an offer, "
            "and only the hiring manager overrides a stage whose evidence does not pass.",
        )
    },
    "/applications/{application_id}/decline": {
        "post": operation(
            "declineApplication",
            "Decline with a reason (and a message to the candidate)",
            tag="applications",
            ok={
                "200": {
                    "description": "Declined (its message queued); with 'preview': true, the "
                    "message as the candidate would get it, and nothing changed",
                    "content": {
                        JSON: {"schema": {"oneOf": [ref("Application"), ref("MessagePreview")]}}
                    },
                }
            },
            errors=MOVE,
            body=bodies.DECLINE,
            parameters=[APPLICATION_ID],
            description=f"{MOVES} With 'message', the candidate is sent that text, queued in "
            "the decline's transaction (the web's “Decline with a message…”); the reason and "
            "the note stay internal. 'preview': true checks everything and answers the "
            "message (from the default text when 'message' is left out) without declining; "
            "the preview shows the candidate's address, so it is audited (candidate.view). "
            "Only an active application is declined, and a message needs the candidate's "
            "e-mail address: else 409 'Not possible now'. A stale version: 409 'Changed "
            "meanwhile'.",
        )
    },
    "/applications/{application_id}/withdraw": {
        "post": operation(
            "withdrawApplication",
            "Record that the candidate withdrew",
            tag="applications",
            ok=ok("Application"),
            errors=MOVE,
            body=bodies.WITHDRAW,
            parameters=[APPLICATION_ID],
            description=MOVES,
        )
    },
    "/applications/{application_id}/interviews": {
        "post": operation(
            "scheduleInterview",
            "Schedule (or reschedule) the interview of a stage",
            tag="interviews",
            ok={
                **ok("Interview", "Created", "201"),
                **ok("Interview", "Rescheduled (the stage had an interview)"),
            },
            errors=MOVE,
            body=bodies.INTERVIEW,
            parameters=[APPLICATION_ID],
            description=f"{MOVES} Each interviewer gets an e-mail with a calendar file "
            "(text/calendar, METHOD:REQUEST; UID interview-<id>@hireladder, SEQUENCE raised "
            "by every change): an invitation, or the update when the time, length or place "
            "changed; an interviewer taken off gets a METHOD:CANCEL for their copy; taking "
            "the time off (scheduled_at null) sends a METHOD:CANCEL to everyone. Scheduling "
            "a cancelled interview again puts it back on. Nothing changed: nothing is sent. "
            "A stale version answers 409 and sends nothing.",
        )
    },
    "/interviews/{interview_id}/cancel": {
        "post": operation(
            "cancelInterview",
            "Cancel an interview",
            tag="interviews",
            ok=ok("Interview"),
            errors=MOVE,
            body=bodies.INTERVIEW_CANCEL,
            parameters=[INTERVIEW_ID],
            description=f"{MOVES} The interview's interviewers may see it but not cancel "
            "it (403); anyone else 404. Refused (409) once a scorecard is submitted, when it "
            "is cancelled already, or when the version is stale. Each interviewer (and the "
            "candidate, if invited) gets a METHOD:CANCEL for their calendar; the interview "
            "no longer counts as upcoming or overdue. Audited (interview.cancel).",
        )
    },
    "/interviews": {
        "get": operation(
            "listMyInterviews",
            "The caller's own interviews, one section at a time",
            tag="interviews",
            ok=ok("MyInterviewPage"),
            errors=(*READ, "Invalid"),
            parameters=MY_INTERVIEWS,
            description="Anyone who interviews (every role): the interviews the caller sits "
            "on, as the web page My interviews shows them. to_score: the oldest interview "
            "first (unscheduled ones last); upcoming: the soonest first; submitted: the "
            "latest submission first; cancelled: the latest cancellation first. Pages by "
            "position: follow 'next'.",
        )
    },
    "/interviews/{interview_id}": {
        "get": operation(
            "getInterview",
            "An interview with the criteria its scorecards rate",
            tag="interviews",
            ok=ok("Interview"),
            errors=("Unauthorized", "NotFound"),
            parameters=[INTERVIEW_ID],
            description="Staff of the requisition and the interview's own interviewers; "
            "anyone else 404.",
        )
    },
    "/interviews/{interview_id}/scorecard": {
        "post": operation(
            "saveScorecard",
            "Submit (or save a draft of) the caller's scorecard",
            tag="interviews",
            ok={
                **ok("Scorecard", "Created", "201"),
                **ok("Scorecard", "Saved over the caller's draft"),
            },
            errors=("BadRequest", "Unauthorized", "NotFound", "Conflict", "Invalid"),
            body=bodies.SCORECARD,
            parameters=[INTERVIEW_ID],
            description="The interview's interviewers only (anyone else 404). A submitted "
            "scorecard is final (409).",
        )
    },
}
