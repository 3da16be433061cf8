"""Calibration and quality of hire's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from app.api.schema import nullable, obj, ok, operation, ref
from pipelines.calibration import SCALE
from pipelines.hire_quality import OBSERVED_MONTHS

TAGS: tuple[str, ...] = ("calibration",)

_NUMBER = {"type": ["number", "null"]}

SCHEMAS: dict[str, Any] = {
    "Estimate": obj(
        {
            "value": {
                **_NUMBER,
                "description": "null below the minimum sample ('not enough data') or when "
                "undefined (a correlation of values that do not vary).",
            },
            "low": {**_NUMBER, "description": "The 95% interval's lower end, if any."},
            "high": {**_NUMBER, "description": "The 95% interval's upper end, if any."},
            "n": {"type": "integer", "minimum": 0, "description": "The sample size."},
            "enough": {"type": "boolean", "description": "Whether value is a number."},
        },
        description="A rate, mean, difference or correlation with its sample size and 95% "
        "interval; rounded to 4 decimals.",
    ),
    "RatingDistribution": obj(
        {
            "n": {"type": "integer", "minimum": 0},
            "counts": obj({key: {"type": "integer", "minimum": 0} for key in SCALE}),
            "shares": obj({key: ref("Estimate") for key in SCALE}),
        },
        description="Shares of strong no / no / yes / strong yes (Wilson intervals).",
    ),
    "CalibrationInterviewer": obj(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "criterion_ratings": ref("RatingDistribution"),
            "not_assessed": {"type": "integer", "minimum": 0},
            "recommendations": ref("RatingDistribution"),
            "leniency": {
                **ref("Estimate"),
                "description": "Mean over (application, criterion) pairs that someone else "
                "rated too of: their points minus the others' mean points.",
            },
            "agreement": ref("Estimate"),
            "late": ref("Estimate"),
        }
    ),
    "CalibrationCriterion": obj(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "ratings": {"type": "integer", "minimum": 0},
            "not_assessed": ref("Estimate"),
            "mean_hired": ref("Estimate"),
            "mean_not_hired": ref("Estimate"),
            "difference": ref("Estimate"),
            "correlation": ref("Estimate"),
        }
    ),
    "PeriodFilters": obj(
        {
            "from": nullable("string", format="date"),
            "to": nullable("string", format="date"),
            "family": nullable("string"),
            "level": nullable("string"),
        }
    ),
    "CalibrationReport": obj(
        {
            "filters": {
                "type": "object",
                "description": "The filters applied (from, to, family, level, interviewer).",
            },
            "min_sample": {"type": "integer"},
            "note": {"type": "string"},
            "panel": obj(
                {
                    "criterion_ratings": ref("RatingDistribution"),
                    "recommendations": ref("RatingDistribution"),
                }
            ),
            "interviewers": {"type": "array", "items": ref("CalibrationInterviewer")},
            "criteria": {"type": "array", "items": ref("CalibrationCriterion")},
        }
    ),
    "HireGroup": obj(
        {
            "key": {"type": "string"},
            "label": {"type": "string"},
            "hires": {"type": "integer", "minimum": 0},
            "observed": {
                "type": "integer",
                "minimum": 0,
                "description": "Hired at least observed_months ago: the rates' sample.",
            },
            "promoted": ref("Estimate"),
            "left": ref("Estimate"),
            "months_to_promotion": ref("Estimate"),
        }
    ),
    "QualityOfHireReport": obj(
        {
            "filters": ref("PeriodFilters"),
            "min_sample": {"type": "integer"},
            "observed_months": {"type": "integer"},
            "observed_since": {"type": "string", "format": "date"},
            "caution": {"type": "string", "description": "Correlation, not cause: in words."},
            "overall": ref("HireGroup"),
            "leveling": {"type": "array", "items": ref("HireGroup")},
            "recommendations": {"type": "array", "items": ref("HireGroup")},
            "criteria": {
                "type": "array",
                "items": obj(
                    {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "promoted": ref("Estimate"),
                        "left": ref("Estimate"),
                    }
                ),
            },
        }
    ),
}

_FILTERS = [
    {
        "name": "from",
        "in": "query",
        "schema": {"type": "string", "format": "date"},
        "description": "The first day (YYYY-MM-DD, UTC) of the period.",
    },
    {
        "name": "to",
        "in": "query",
        "schema": {"type": "string", "format": "date"},
        "description": "The last day of the period (inclusive).",
    },
    {
        "name": "family",
        "in": "query",
        "schema": {"type": "string"},
        "description": "Requisitions of this ladder family only.",
    },
    {
        "name": "level",
        "in": "query",
        "schema": {"type": "string"},
        "description": "Requisitions at this ladder level only.",
    },
]

PATHS: dict[str, Any] = {
    "/reports/calibration": {
        "get": operation(
            "getCalibrationReport",
            "Interviewer calibration",
            tag="calibration",
            ok=ok("CalibrationReport"),
            errors=("Unauthorized", "NotFound", "Invalid"),
            parameters=[
                *_FILTERS,
                {
                    "name": "interviewer",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1},
                    "description": "Admins: one interviewer's row. Others may only name "
                    "themselves; anyone else's is 404.",
                },
            ],
            description="Per interviewer: rating distribution beside the panel's, "
            "leniency, agreement with the decision, scorecards late; per criterion: how "
            "often not assessed and whether it separates hires. Admins get every "
            "interviewer; anyone else only their own row (and criteria over their own "
            "ratings). The period filters interviews by start. No candidate names.",
        )
    },
    "/reports/quality-of-hire": {
        "get": operation(
            "getQualityOfHireReport",
            "Quality of hire",
            tag="calibration",
            ok=ok("QualityOfHireReport"),
            errors=("Unauthorized", "Forbidden", "Invalid"),
            parameters=_FILTERS,
            description="People hired through HireLadder: promotion and leaving rates per "
            "leveling decision and per recommendation, correlations per criterion. Only "
            f"hires at least {OBSERVED_MONTHS} months old (QUALITY_OF_HIRE_MONTHS) count "
            "in the rates. Admins see every hire; recruiters and hiring managers those of "
            "their own requisitions; others 403. The period filters the hire day. "
            "Correlation, not cause.",
        )
    },
}
