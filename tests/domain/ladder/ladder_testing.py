"""Helpers shared by the ladder tests."""

from __future__ import annotations

from typing import Any


def base_family(family_id: str = "alpha") -> dict[str, Any]:
    """A small valid family: three IC levels and one manager, a specialty and a process."""
    return {
        "id": family_id,
        "title": "Alpha",
        "responsibilities": ["Family duty"],
        "performance_indicators": ["Family KPI"],
        "levels": [
            {
                "id": f"{family_id}-junior",
                "title": "Junior",
                "grade": 5,
                "track": "individual_contributor",
                "reports_to": {"levels": [f"{family_id}-manager"], "text": "Manager"},
                "responsibilities": ["Do junior work", "Learn"],
                "requirements": ["Curiosity"],
            },
            {
                "id": f"{family_id}-mid",
                "title": "Intermediate",
                "grade": 6,
                "track": "individual_contributor",
                "reports_to": {"levels": [f"{family_id}-manager"]},
                "extends": {
                    "responsibilities": [f"{family_id}-junior"],
                    "requirements": [f"{family_id}-junior"],
                },
                "responsibilities": ["Do intermediate work"],
                "requirements": ["Curiosity.", "Experience"],
            },
            {
                "id": f"{family_id}-senior",
                "title": "Senior",
                "grade": 7,
                "track": "individual_contributor",
                "extends": {
                    "responsibilities": [f"{family_id}-mid"],
                    "requirements": [f"{family_id}-mid"],
                    "performance_indicators": [family_id],
                },
                "responsibilities": ["Mentor"],
                "performance_indicators": ["Senior KPI"],
            },
            {
                "id": f"{family_id}-manager",
                "title": "Manager",
                "grade": 8,
                "track": "manager",
                "responsibilities": ["Manage"],
            },
        ],
        "specialties": [
            {"id": "public", "title": "Public", "requirements": ["Clearance"]},
        ],
        "career_ladder": {"text": ["Move on."], "moves": [{"text": "Elsewhere"}]},
        "hiring_process": {
            "stages": [
                {
                    "id": "screen",
                    "name": "Screen",
                    "duration_minutes": 30,
                    "conducted_by": {"text": "a recruiter", "roles": ["recruiter"]},
                    "text": ["A call."],
                }
            ]
        },
    }


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line at or after ``start`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")
