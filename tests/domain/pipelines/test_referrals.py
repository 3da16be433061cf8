"""What a referral must carry, and the sources a recruiter may choose."""

from __future__ import annotations

import pytest

from pipelines.referrals import (
    ALREADY_CONSIDERED,
    MAX_NOTE,
    SourceNotAllowedError,
    note_problem,
    recruiter_source,
)
from pipelines.sources import ApplicationSource


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        ("Great engineer.", None),
        ("x" * MAX_NOTE, None),
        (None, "Say why you recommend this person."),
        ("   \n ", "Say why you recommend this person."),
        ("x" * (MAX_NOTE + 1), f"At most {MAX_NOTE} characters."),
    ],
)
def test_note_problem(note: str | None, problem: str | None) -> None:
    assert note_problem(note) == problem


@pytest.mark.parametrize(
    ("raw", "source"),
    [
        (None, ApplicationSource.SOURCED),
        ("", ApplicationSource.SOURCED),
        ("sourced", ApplicationSource.SOURCED),
        (" agency ", ApplicationSource.AGENCY),
        ("other", ApplicationSource.OTHER),
    ],
)
def test_recruiter_sources(raw: str | None, source: ApplicationSource) -> None:
    assert recruiter_source(raw) is source


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("referral", "set by its own path"),
        ("careers_site", "set by its own path"),
        ("job board", "Unknown source"),
        ("Agency", "Unknown source"),
    ],
)
def test_other_sources_are_refused_with_the_allowed_ones(raw: str, words: str) -> None:
    with pytest.raises(SourceNotAllowedError) as caught:
        recruiter_source(raw)
    assert words in str(caught.value)
    assert "sourced, agency, other" in str(caught.value)


def test_the_already_considered_answer_says_nothing_of_the_application() -> None:
    lowered = ALREADY_CONSIDERED.lower()
    for word in ("stage", "declined", "screen", "interview", "hired", "withdrawn"):
        assert word not in lowered
