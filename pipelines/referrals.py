"""Referrals: what a team member may send, and what they are told back.

A referral names the person, their e-mail address and why; the referrer follows it only
through :func:`pipelines.sources.referral_status`. Someone already in the requisition's
pipeline is answered with :data:`ALREADY_CONSIDERED`, which says nothing more about them.
"""

from __future__ import annotations

from pipelines.sources import RECRUITER_SOURCES, ApplicationSource

#: Why the referrer recommends the person (``Application.referral_note``).
MAX_NOTE = 5000
#: The answer to a referral of someone already in that requisition's pipeline: it must not
#: tell the referrer the stage or the status of an application they did not make.
ALREADY_CONSIDERED = "This person is already being considered for this role; thank you."
#: What the referrer confirms (the candidate's own consent to the privacy notice is asked
#: by the recruiter at the screen: a referrer cannot give it for them).
AGREEMENT = (
    "The person agreed to be referred, and to a recruiter contacting them about this role "
    "with the details I give here."
)


class SourceNotAllowedError(ValueError):
    """A source a recruiter may not choose (the careers site and referrals set theirs)."""


def note_problem(note: str | None) -> str | None:
    """Why the referral's note cannot be kept, or None."""
    text = (note or "").strip()
    if not text:
        return "Say why you recommend this person."
    if len(text) > MAX_NOTE:
        return f"At most {MAX_NOTE} characters."
    return None


def recruiter_source(raw: str | None) -> ApplicationSource:
    """The source a recruiter chose (empty: sourced by a recruiter); SourceNotAllowedError
    for an unknown value or one that another path sets."""
    value = (raw or "").strip()
    if not value:
        return ApplicationSource.SOURCED
    allowed = ", ".join(s.value for s in RECRUITER_SOURCES)
    try:
        source = ApplicationSource(value)
    except ValueError:
        raise SourceNotAllowedError(f"Unknown source {value!r} (one of: {allowed}).") from None
    if source not in RECRUITER_SOURCES:
        raise SourceNotAllowedError(
            f"{source.label!r} is set by its own path (the careers site or a referral); "
            f"choose one of: {allowed}."
        )
    return source


__all__ = [
    "AGREEMENT",
    "ALREADY_CONSIDERED",
    "MAX_NOTE",
    "SourceNotAllowedError",
    "note_problem",
    "recruiter_source",
]
