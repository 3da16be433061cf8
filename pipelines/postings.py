"""Job postings' own fields: employment types and where the work is done.

The rest of a posting (title, responsibilities, requirements, the hiring process) is derived
from the ladder by the careers site; these are the few things a recruiter writes.
"""

from __future__ import annotations

from enum import StrEnum


class EmploymentType(StrEnum):
    """schema.org ``employmentType`` values."""

    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"
    CONTRACTOR = "CONTRACTOR"
    TEMPORARY = "TEMPORARY"
    INTERN = "INTERN"

    @property
    def label(self) -> str:
        return _EMPLOYMENT_LABELS[self]


_EMPLOYMENT_LABELS = {
    EmploymentType.FULL_TIME: "Full time",
    EmploymentType.PART_TIME: "Part time",
    EmploymentType.CONTRACTOR: "Contractor",
    EmploymentType.TEMPORARY: "Temporary",
    EmploymentType.INTERN: "Internship",
}


__all__ = ["EmploymentType"]
