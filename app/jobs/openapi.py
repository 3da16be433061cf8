"""The public jobs API's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from app.api.schema import ID, nullable, obj, ok, operation, path_id, ref
from pipelines.postings import EmploymentType

TAGS = ("jobs",)

_EMPLOYMENT = {"type": "string", "enum": [t.value for t in EmploymentType]}
_ITEM = obj({"text": {"type": "string"}, "items": {"type": "array", "items": {"type": "string"}}})

SCHEMAS: dict[str, Any] = {
    "JobListing": obj(
        {
            "id": ID,
            "title": {"type": "string"},
            "level_title": {"type": "string"},
            "family_id": nullable("string"),
            "family_title": nullable("string"),
            "specialty_id": nullable("string"),
            "specialty_title": nullable("string"),
            "location": nullable("string"),
            "remote": {"type": "boolean"},
            "employment_type": _EMPLOYMENT,
            "employment_type_label": {"type": "string"},
            "published_at": {"type": "string", "format": "date-time"},
            "valid_through": nullable("string", format="date"),
        }
    ),
    "JobListingPage": obj(
        {
            "items": {"type": "array", "items": ref("JobListing")},
            "next": nullable("string", description="The next (older) page's address."),
            "previous": nullable("string", description="The previous (newer) page's address."),
        }
    ),
    "JobPosting": obj(
        {
            "id": ID,
            "title": {"type": "string"},
            "url": {"type": "string", "description": "The posting on the careers site."},
            "level_id": {"type": "string"},
            "level_title": {"type": "string"},
            "specialty_id": nullable("string"),
            "specialty_title": nullable("string"),
            "family_id": {"type": "string"},
            "family_title": {"type": "string"},
            "grade": nullable("integer"),
            "intro": nullable("string"),
            "location": nullable("string"),
            "remote": {"type": "boolean"},
            "employment_type": _EMPLOYMENT,
            "valid_through": nullable("string", format="date"),
            "published_at": {"type": "string", "format": "date-time"},
            "summary": {"type": "array", "items": {"type": "string"}},
            "responsibilities": {"type": "array", "items": _ITEM},
            "requirements": {"type": "array", "items": _ITEM},
            "process_intro": {"type": "array", "items": {"type": "string"}},
            "process": {
                "type": "array",
                "items": obj(
                    {
                        "number": {"type": "integer"},
                        "name": {"type": "string"},
                        "duration_minutes": nullable("integer"),
                        "who": nullable("string"),
                        "format": {"type": "array", "items": {"type": "string"}},
                        "text": {"type": "array", "items": {"type": "string"}},
                    }
                ),
            },
            "ladder_version": {"type": "string"},
            "json_ld": {
                "type": "object",
                "description": "The schema.org JobPosting the posting's page carries.",
            },
        },
        description="A posting: the recruiter's fields and what the ladder derives (title, "
        "summary, responsibilities and requirements of the level and specialty, the hiring "
        "process of the family).",
    ),
}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "schema": schema or {"type": "string"},
        "description": description,
    }


FILTERS = [
    _query("family", "A family id of the ladder."),
    _query("specialty", "A specialty id."),
    _query("location", "A posting location, exactly as listed."),
    _query("remote", "1: remote roles only.", {"type": "string", "enum": ["1"]}),
    _query("after", "The cursor of the 'next' link."),
    _query("before", "The cursor of the 'previous' link."),
]

PATHS: dict[str, Any] = {
    "/jobs": {
        "get": operation(
            "listJobs",
            "Published job postings, newest first",
            tag="jobs",
            ok=ok("JobListingPage"),
            errors=("BadRequest",),
            parameters=FILTERS,
            public=True,
            description="Public: no token needed. The postings on the careers site "
            "(published, the requisition open, not past their last day), in pages of 20 "
            "followed with 'next'.",
        )
    },
    "/jobs/{requisition_id}": {
        "get": operation(
            "getJob",
            "A published job posting",
            tag="jobs",
            ok=ok("JobPosting"),
            errors=("NotFound",),
            parameters=[path_id("requisition_id", "A published posting.")],
            public=True,
            description="Public: no token needed. 404 for a posting not on the careers site.",
        )
    },
}
