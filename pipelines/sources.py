"""Where an application came from, and what a referrer may know of it.

Every application records its source. A referral also records who referred the
candidate; the referrer follows the referral through a three-way status only (in
process, not moving forward, hired), never the stage, the scorecards or the notes.
"""

from __future__ import annotations

from enum import StrEnum

from pipelines.applications import ApplicationStatus


class ApplicationSource(StrEnum):
    CAREERS_SITE = "careers_site"
    REFERRAL = "referral"
    SOURCED = "sourced"
    AGENCY = "agency"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    ApplicationSource.CAREERS_SITE: "Careers site",
    ApplicationSource.REFERRAL: "Referral",
    ApplicationSource.SOURCED: "Sourced by a recruiter",
    ApplicationSource.AGENCY: "Agency",
    ApplicationSource.OTHER: "Other",
}

#: The sources a recruiter chooses when adding a candidate by hand; the careers site and
#: referrals set theirs themselves.
RECRUITER_SOURCES = (ApplicationSource.SOURCED, ApplicationSource.AGENCY, ApplicationSource.OTHER)


class ReferralStatus(StrEnum):
    IN_PROCESS = "in_process"
    NOT_MOVING_FORWARD = "not_moving_forward"
    HIRED = "hired"

    @property
    def label(self) -> str:
        return _REFERRAL_LABELS[self]


_REFERRAL_LABELS = {
    ReferralStatus.IN_PROCESS: "In process",
    ReferralStatus.NOT_MOVING_FORWARD: "Not moving forward",
    ReferralStatus.HIRED: "Hired",
}


def referral_status(status: ApplicationStatus) -> ReferralStatus:
    """What the referrer sees of an application's status."""
    if status is ApplicationStatus.HIRED:
        return ReferralStatus.HIRED
    if status in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
        return ReferralStatus.NOT_MOVING_FORWARD
    return ReferralStatus.IN_PROCESS


__all__ = [
    "RECRUITER_SOURCES",
    "ApplicationSource",
    "ReferralStatus",
    "referral_status",
]
