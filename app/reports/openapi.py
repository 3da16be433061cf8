"""The hiring reports' part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from app.api.schema import DATE_TIME, ID, nullable, obj, ok, operation, ref
from app.inputs import DB_INT_MAX

TAGS: tuple[str, ...] = ("reports",)


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


FILTERS = [
    _query(
        "requisition_id",
        {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX},
        "Only this requisition (one the caller may see, else 404).",
    ),
    _query("level", {"type": "string", "maxLength": 100}, "Only requisitions at this level id."),
    _query(
        "family",
        {"type": "string", "maxLength": 100},
        "Only requisitions at levels of this family.",
    ),
    _query(
        "from",
        {"type": "string", "format": "date"},
        "The period's first day (UTC): applications opened on or after it.",
    ),
    _query(
        "to",
        {"type": "string", "format": "date"},
        "The period's last day (UTC): applications opened on or before it.",
    ),
]

NUMBER = {"type": ["number", "null"]}
COUNT = {"type": "integer", "minimum": 0}

# "Estimate" (a number with its sample size and interval) is defined once, by the
# calibration part (app.reports.calibration_openapi), and used here too.
SCHEMAS: dict[str, Any] = {
    "ReportFilters": obj(
        {
            "requisition_id": nullable("integer"),
            "level": nullable("string"),
            "family": nullable("string"),
            "from": nullable("string", format="date"),
            "to": nullable("string", format="date"),
        },
        description="The filters the numbers were computed with.",
    ),
    "Durations": obj(
        {"n": COUNT, "mean_days": NUMBER, "median_days": NUMBER, "p90_days": NUMBER},
        description="Days, over n finished spans; null without any.",
    ),
    "FunnelReport": obj(
        {
            "filters": ref("ReportFilters"),
            "grouping": {
                "type": "string",
                "enum": ["stage", "kind"],
                "description": "'stage': one family's stages in plan order; 'kind': several "
                "families, stages grouped by kind.",
            },
            "applications": COUNT,
            "offers": COUNT,
            "hires": COUNT,
            "declined": COUNT,
            "withdrawn": COUNT,
            "stages": {
                "type": "array",
                "items": obj(
                    {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "entered": COUNT,
                        "passed": COUNT,
                        "pass_rate": ref("Estimate"),
                        "declined": COUNT,
                        "withdrawn": COUNT,
                        "declines": {
                            "type": "array",
                            "items": obj({"reason": {"type": "string"}, "count": COUNT}),
                        },
                    }
                ),
            },
        }
    ),
    "TimeInStageReport": obj(
        {
            "filters": ref("ReportFilters"),
            "grouping": {"type": "string", "enum": ["stage", "kind"]},
            "stages": {
                "type": "array",
                "items": obj(
                    {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "n": COUNT,
                        "mean_days": NUMBER,
                        "median_days": NUMBER,
                        "p90_days": NUMBER,
                        "planned_days": NUMBER,
                        "over_plan": {"type": ["boolean", "null"]},
                        "ongoing": COUNT,
                    }
                ),
            },
            "time_to_hire": ref("Durations"),
        }
    ),
    "SourcesReport": obj(
        {
            "filters": ref("ReportFilters"),
            "sources": {
                "type": "array",
                "items": obj(
                    {
                        "source": {"type": "string"},
                        "label": {"type": "string"},
                        "applications": COUNT,
                        "interviewed": COUNT,
                        "offers": COUNT,
                        "hires": COUNT,
                        "hire_rate": ref("Estimate"),
                    }
                ),
            },
        }
    ),
    "OpenRequisitionsReport": obj(
        {
            "filters": ref("ReportFilters"),
            "buckets": {
                "type": "array",
                "items": obj(
                    {
                        "label": {"type": "string"},
                        "min_days": COUNT,
                        "max_days": nullable("integer"),
                        "count": COUNT,
                    }
                ),
            },
            "oldest": {
                "type": "array",
                "items": obj(
                    {
                        "id": ID,
                        "title": {"type": "string"},
                        "level_id": {"type": "string"},
                        "opened_at": DATE_TIME,
                        "days_open": {"type": "number"},
                        "active_applications": COUNT,
                    }
                ),
            },
        }
    ),
    "OverdueScorecardsReport": obj(
        {
            "filters": ref("ReportFilters"),
            "interviewers": {
                "type": "array",
                "items": obj(
                    {
                        "id": ID,
                        "name": {"type": "string"},
                        "overdue": COUNT,
                        "oldest_days_overdue": {"type": "number"},
                    }
                ),
            },
        }
    ),
}

_WHO = (
    " Admins see every requisition's numbers, recruiters and hiring managers their own "
    "requisitions'; other roles 403. A bad filter answers 422 naming it; a requisition the "
    "caller may not see 404."
)
_ERRORS = ("Unauthorized", "Forbidden", "NotFound", "Invalid")


def _get(operation_id: str, summary: str, schema: str, description: str) -> dict[str, Any]:
    return {
        "get": operation(
            operation_id,
            summary,
            tag="reports",
            ok=ok(schema),
            errors=_ERRORS,
            parameters=FILTERS,
            description=description + _WHO,
        )
    }


PATHS: dict[str, Any] = {
    "/reports/funnel": _get(
        "reportFunnel",
        "The hiring funnel",
        "FunnelReport",
        "Per stage (one family: its stages in plan order; several: by kind of stage) how "
        "many applications entered, passed (left it forward, or got an offer at the last "
        "stage), were declined (by reason) and withdrew; offers and hires. Applications "
        "opened in the period.",
    ),
    "/reports/time-in-stage": _get(
        "reportTimeInStage",
        "Time in each stage, and time to hire",
        "TimeInStageReport",
        "Days from entering a stage to the application's next move: median, mean and "
        "90th percentile (nearest rank), against the planned days; 'ongoing' counts "
        "applications in the stage now. Time to hire: application opened to hired.",
    ),
    "/reports/sources": _get(
        "reportSources",
        "Source effectiveness",
        "SourcesReport",
        "Per application source: applications, how many entered an interview stage, got "
        "an offer, were hired, and the rate to hire.",
    ),
    "/reports/open-requisitions": _get(
        "reportOpenRequisitions",
        "Open requisitions by age",
        "OpenRequisitionsReport",
        "Open requisitions (opened in the period) by days open, and the 10 oldest.",
    ),
    "/reports/overdue-scorecards": _get(
        "reportOverdueScorecards",
        "Overdue scorecards by interviewer",
        "OverdueScorecardsReport",
        "Scorecards past due (a working day after the interview ended, weekends moving it "
        "to Monday) of interviews held in the period, of applications in process, by "
        "interviewer: how many and how long the oldest has been overdue.",
    ),
}
