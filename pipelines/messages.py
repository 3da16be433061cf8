"""Rules for the messages people write or receive: a recruiter's text to a candidate, and
when a sign-in counts as one from a new device.

A text a person typed is kept as plain text; its HTML version is built from
:func:`paragraphs` by a template that escapes every line.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

#: The longest text a recruiter may write to a candidate (a decline message).
MAX_MESSAGE_LENGTH = 5000
#: A sign-in is from a new device when its browser (user agent) was not seen in the
#: account's sessions used within this time.
DEVICE_MEMORY = timedelta(days=90)


class MessageTextError(ValueError):
    """A text that cannot be sent; ``str(error)`` says why, for the person who wrote it."""


def clean_text(text: str | None) -> str:
    """``text`` with line endings made ``\\n``, trailing spaces and surrounding blank lines
    removed."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def check_message_text(text: str | None, what: str = "The message") -> str:
    """The cleaned text, or MessageTextError when it is empty or too long."""
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise MessageTextError(f"{what} is empty: write the text the candidate will read.")
    if len(cleaned) > MAX_MESSAGE_LENGTH:
        raise MessageTextError(
            f"{what} is too long: at most {MAX_MESSAGE_LENGTH:,} characters "
            f"(it has {len(cleaned):,})."
        )
    return cleaned


def paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs (split at blank lines), each a list of its lines."""
    result: list[list[str]] = []
    current: list[str] = []
    for line in clean_text(text).split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def is_new_device(
    user_agent: str | None, *, signed_in_before: bool, recent_agents: Iterable[str | None]
) -> bool:
    """Whether a sign-in from ``user_agent`` deserves a "new device" message.

    Never for an account's very first sign-in (there is nothing to compare with); else
    when no session used within :data:`DEVICE_MEMORY` had the same user agent.
    """
    if not signed_in_before:
        return False
    mine = (user_agent or "").strip()
    return all((agent or "").strip() != mine for agent in recent_agents)
