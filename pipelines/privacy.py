"""Candidate data lifecycle rules: consent versions, when data is due for erasure, and
how an erased candidate reads.

A candidate's personal data is kept while they are in a pipeline, and for a retention
period after their last application closed (hired, declined or withdrawn). Consent given
or renewed after that close starts the period again. The app finds the facts; this module
decides.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pipelines.applications import TERMINAL_STATUSES, ApplicationStatus

#: The consent texts a candidate may have agreed to, by version. A new text gets a new
#: version; old ones stay so that what each candidate agreed to can still be read.
CONSENT_TEXTS: dict[str, str] = {
    "2026-01": (
        "I agree that HireLadder's operator keeps my application, CV, contact details and the "
        "notes of my interviews to assess me for this and similar roles, for up to 24 months "
        "after my last application closes, unless I renew this consent. I may ask for a copy "
        "of my data or for its erasure at any time."
    ),
}
CURRENT_CONSENT_VERSION = "2026-01"

#: Months data is kept after the last application closed, unless configured otherwise.
DEFAULT_RETENTION_MONTHS = 24

ERASED_LABEL = "Erased candidate #{id}"


def erased_label(candidate_id: int) -> str:
    """How an erased candidate reads everywhere: pages, API, calendar files, PDFs."""
    return ERASED_LABEL.format(id=candidate_id)


class UnknownConsentVersionError(ValueError):
    """A consent version that is not one of :data:`CONSENT_TEXTS`."""

    def __init__(self, version: str) -> None:
        known = ", ".join(sorted(CONSENT_TEXTS))
        super().__init__(f"Unknown consent text version {version!r} (known: {known}).")
        self.version = version


def consent_text(version: str) -> str:
    try:
        return CONSENT_TEXTS[version]
    except KeyError:
        raise UnknownConsentVersionError(version) from None


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when
    that day does not exist: 31 March minus one month is 28 or 29 February)."""
    if months < 0:
        raise ValueError("months must not be negative")
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class ApplicationFacts:
    """One application as retention sees it: its status and when it entered it."""

    status: ApplicationStatus
    since: datetime


@dataclass(frozen=True)
class RetentionFacts:
    """What decides whether a candidate's personal data is still kept."""

    created_at: datetime
    consent_on: date | None
    applications: tuple[ApplicationFacts, ...]
    erased: bool = False


def last_closed(applications: Iterable[ApplicationFacts]) -> datetime | None:
    """When the last application closed; None while one is open (or there are none)."""
    closed: list[datetime] = []
    for application in applications:
        if application.status not in TERMINAL_STATUSES:
            return None
        closed.append(application.since)
    return max(closed) if closed else None


def kept_since(facts: RetentionFacts) -> datetime | None:
    """The moment the retention period runs from; None while an application is open.

    The latest of: the last application's close, the last consent (given or renewed), and
    the candidate's creation (for a candidate who was never put into a pipeline).
    """
    if any(a.status not in TERMINAL_STATUSES for a in facts.applications):
        return None
    moments = [facts.created_at]
    closed = last_closed(facts.applications)
    if closed is not None:
        moments.append(closed)
    if facts.consent_on is not None:
        moments.append(datetime.combine(facts.consent_on, datetime.min.time(), tzinfo=UTC))
    return max(moments)


def due_for_erasure(facts: RetentionFacts, *, now: datetime, months: int) -> bool:
    """Whether the candidate's personal data has outlived the retention period.

    Never for a candidate with an open (active or offer) application, nor for one already
    erased. Otherwise when :func:`kept_since` is more than ``months`` months before ``now``.
    """
    if facts.erased or months < 1:
        return False
    since = kept_since(facts)
    return since is not None and since < months_before(now, months)


__all__ = [
    "CONSENT_TEXTS",
    "CURRENT_CONSENT_VERSION",
    "DEFAULT_RETENTION_MONTHS",
    "ApplicationFacts",
    "RetentionFacts",
    "UnknownConsentVersionError",
    "consent_text",
    "due_for_erasure",
    "erased_label",
    "kept_since",
    "last_closed",
    "months_before",
]
