"""Retention and consent rules for candidate data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pipelines.applications import ApplicationStatus
from pipelines.privacy import (
    CONSENT_TEXTS,
    CURRENT_CONSENT_VERSION,
    ApplicationFacts,
    RetentionFacts,
    UnknownConsentVersionError,
    consent_text,
    due_for_erasure,
    erased_label,
    kept_since,
    months_before,
)

NOW = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)
LONG_AGO = datetime(2027, 1, 10, tzinfo=UTC)
CREATED = datetime(2026, 12, 1, tzinfo=UTC)


def facts(*applications: tuple[ApplicationStatus, datetime], consent_on: date | None = None):
    return RetentionFacts(
        created_at=CREATED,
        consent_on=consent_on,
        applications=tuple(ApplicationFacts(status, since) for status, since in applications),
    )


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2030, 6, 15, tzinfo=UTC), 24, datetime(2028, 6, 15, tzinfo=UTC)),
        (datetime(2030, 3, 31, tzinfo=UTC), 1, datetime(2030, 2, 28, tzinfo=UTC)),
        (datetime(2028, 3, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2030, 1, 15, tzinfo=UTC), 13, datetime(2028, 12, 15, tzinfo=UTC)),
        (datetime(2030, 1, 15, tzinfo=UTC), 0, datetime(2030, 1, 15, tzinfo=UTC)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


@pytest.mark.parametrize(
    "status", [ApplicationStatus.HIRED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN]
)
def test_closed_long_ago_is_due(status):
    assert due_for_erasure(facts((status, LONG_AGO)), now=NOW, months=24)


@pytest.mark.parametrize("status", [ApplicationStatus.ACTIVE, ApplicationStatus.OFFER])
def test_an_open_application_keeps_the_data(status):
    both = facts((ApplicationStatus.DECLINED, LONG_AGO), (status, LONG_AGO))
    assert kept_since(both) is None
    assert not due_for_erasure(both, now=NOW, months=24)


def test_the_last_close_counts_not_the_first():
    recent = datetime(2029, 1, 1, tzinfo=UTC)
    both = facts((ApplicationStatus.DECLINED, LONG_AGO), (ApplicationStatus.WITHDRAWN, recent))
    assert kept_since(both) == recent
    assert not due_for_erasure(both, now=NOW, months=24)
    assert due_for_erasure(both, now=NOW, months=12)


def test_renewed_consent_starts_the_period_again():
    renewed = facts((ApplicationStatus.DECLINED, LONG_AGO), consent_on=date(2029, 5, 1))
    assert not due_for_erasure(renewed, now=NOW, months=24)
    stale = facts((ApplicationStatus.DECLINED, LONG_AGO), consent_on=date(2026, 12, 1))
    assert due_for_erasure(stale, now=NOW, months=24)


def test_just_inside_the_period_is_kept():
    edge = datetime(2028, 6, 15, 12, 0, tzinfo=UTC)
    assert not due_for_erasure(facts((ApplicationStatus.HIRED, edge)), now=NOW, months=24)
    before = datetime(2028, 6, 15, 11, 59, tzinfo=UTC)
    assert due_for_erasure(facts((ApplicationStatus.HIRED, before)), now=NOW, months=24)


def test_a_candidate_never_in_a_pipeline_counts_from_creation():
    assert due_for_erasure(facts(), now=NOW, months=24)
    assert not due_for_erasure(facts(), now=datetime(2027, 1, 1, tzinfo=UTC), months=24)


def test_erased_candidates_and_zero_months_are_never_due():
    erased = RetentionFacts(created_at=CREATED, consent_on=None, applications=(), erased=True)
    assert not due_for_erasure(erased, now=NOW, months=24)
    assert not due_for_erasure(facts(), now=NOW, months=0)


def test_consent_texts_and_labels():
    assert consent_text(CURRENT_CONSENT_VERSION) == CONSENT_TEXTS[CURRENT_CONSENT_VERSION]
    with pytest.raises(UnknownConsentVersionError, match="known: 2026-01"):
        consent_text("1999-01")
    assert erased_label(42) == "Erased candidate #42"
