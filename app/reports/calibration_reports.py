"""Calibration and quality of hire for one viewer: who may see what, the filters from the
query string, the counts from the database, the report from the pure shaping, and its
JSON. Shared by the pages and the API.

Calibration: every signed-in person sees their own row (the panel beside it is everyone's,
in aggregate); admins see everyone's, or one interviewer's with ``?interviewer=<id>``. A
non-admin asking for someone else's, or anyone for a person who does not exist, gets 404.
Quality of hire: admins every hire; recruiters and hiring managers the hires of their own
requisitions (``app.reports.scope.requisition_scope``); others 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from app.clock import utcnow
from app.ladder_access import get_ladder
from app.models import Role, User
from app.reports import calibration_queries as queries
from app.reports.scope import requisition_scope
from pipelines import calibration as rules
from pipelines import hire_quality
from pipelines.calibration import CalibrationReport, Filters, estimate_value
from pipelines.hire_quality import QualityReport


class NotVisible(Exception):
    """The viewer may not see what they asked for (answered 404)."""


@dataclass(frozen=True)
class LadderFacts:
    level_families: dict[str, str]
    criterion_names: dict[str, str]


def _ladder_facts() -> LadderFacts:
    ladder = get_ladder()
    cache: dict[str, LadderFacts] = current_app.extensions.setdefault("hireladder.calibration", {})
    facts = cache.get(ladder.version)
    if facts is None:
        facts = LadderFacts(rules.level_families(ladder), rules.criterion_names(ladder))
        cache.clear()
        cache[ladder.version] = facts
    return facts


def family_choices() -> list[tuple[str, str]]:
    ladder = get_ladder()
    return [(family.id, family.title) for family in ladder.families]


def level_choices() -> list[tuple[str, str]]:
    ladder = get_ladder()
    return [
        (level.id, f"{family.title}: {level.title}")
        for family in ladder.families
        for level in family.levels
    ]


def parse(
    args: Mapping[str, str], *, with_interviewer: bool
) -> tuple[Filters, dict[str, list[str]]]:
    return rules.parse_filters(
        args, level_families=_ladder_facts().level_families, with_interviewer=with_interviewer
    )


def _levels(filters: Filters) -> tuple[str, ...] | None:
    return rules.levels_of(filters, _ladder_facts().level_families)


def calibration_for(viewer: User, filters: Filters) -> CalibrationReport:
    """The calibration report ``viewer`` may see under ``filters``."""
    admin = viewer.has_role(Role.ADMIN)
    if not admin and filters.interviewer not in (None, viewer.id):
        raise NotVisible
    only = filters.interviewer if admin else viewer.id
    interviewers, criteria, names = queries.calibration_counts(
        filters, _levels(filters), now=utcnow(), criteria_of=only
    )
    if only is not None and only not in names:
        raise NotVisible
    return rules.calibration_report(
        interviewers,
        criteria,
        names=names,
        criterion_names=_ladder_facts().criterion_names,
        only=only,
    )


def observed_months() -> int:
    return int(current_app.config.get("QUALITY_OF_HIRE_MONTHS", hire_quality.OBSERVED_MONTHS))


def quality_for(viewer: User, filters: Filters) -> QualityReport:
    today = utcnow().date()
    months = observed_months()
    since = hire_quality.months_before(today, months)
    steps, recommendations, criteria = queries.quality_counts(
        requisition_scope(viewer),
        filters,
        _levels(filters),
        today=today,
        observed_since=since,
    )
    return hire_quality.quality_report(
        steps,
        recommendations,
        criteria,
        criterion_names=_ladder_facts().criterion_names,
        observed_since=since,
        months=months,
    )


# --- JSON ----------------------------------------------------------------------------------


def _filters_value(filters: Filters) -> dict[str, Any]:
    return {
        "from": filters.start.isoformat() if filters.start else None,
        "to": filters.end.isoformat() if filters.end else None,
        "family": filters.family,
        "level": filters.level,
    }


def calibration_json(report: CalibrationReport, filters: Filters) -> dict[str, Any]:
    return {
        "filters": {
            **_filters_value(filters),
            "interviewer": filters.interviewer,
        },
        "min_sample": report.minimum,
        "note": report.note,
        "panel": {
            "criterion_ratings": rules.distribution_value(report.panel_ratings),
            "recommendations": rules.distribution_value(report.panel_recommendations),
        },
        "interviewers": [
            {
                "id": row.interviewer_id,
                "name": row.name,
                "criterion_ratings": rules.distribution_value(row.ratings),
                "not_assessed": row.not_assessed,
                "recommendations": rules.distribution_value(row.recommendations),
                "leniency": estimate_value(row.leniency),
                "agreement": estimate_value(row.agreement),
                "late": estimate_value(row.late),
            }
            for row in report.interviewers
        ],
        "criteria": [
            {
                "id": c.criterion_id,
                "name": c.name,
                "ratings": c.ratings,
                "not_assessed": estimate_value(c.not_assessed),
                "mean_hired": estimate_value(c.mean_hired),
                "mean_not_hired": estimate_value(c.mean_not_hired),
                "difference": estimate_value(c.difference),
                "correlation": estimate_value(c.correlation),
            }
            for c in report.criteria
        ],
    }


def _group_json(row: hire_quality.GroupRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "hires": row.hires,
        "observed": row.observed,
        "promoted": estimate_value(row.promoted),
        "left": estimate_value(row.left),
        "months_to_promotion": estimate_value(row.months_to_promotion),
    }


def quality_json(report: QualityReport, filters: Filters) -> dict[str, Any]:
    return {
        "filters": _filters_value(filters),
        "min_sample": report.minimum,
        "observed_months": report.months,
        "observed_since": report.observed_since.isoformat(),
        "caution": report.caution,
        "overall": _group_json(report.overall),
        "leveling": [_group_json(row) for row in report.steps],
        "recommendations": [_group_json(row) for row in report.recommendations],
        "criteria": [
            {
                "id": c.criterion_id,
                "name": c.name,
                "promoted": estimate_value(c.promoted),
                "left": estimate_value(c.left),
            }
            for c in report.criteria
        ],
    }


__all__ = [
    "Filters",
    "NotVisible",
    "calibration_for",
    "calibration_json",
    "family_choices",
    "level_choices",
    "parse",
    "quality_for",
    "quality_json",
]
