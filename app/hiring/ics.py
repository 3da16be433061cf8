"""Interview invitations as iCalendar (RFC 5545) requests.

One ``VEVENT`` per interview, times in UTC, interviewers (and whoever else the caller
names) as attendees who are asked to reply. Sending an update means the same ``uid`` with
a higher ``sequence``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

PRODID = "-//HireLadder//Interview invitations//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8; method=REQUEST"
#: Octets per line before folding, not counting the CRLF (RFC 5545 §3.1).
LINE_LIMIT = 75
#: An interview is at most a day long; a larger number is a unit mistake.
MAX_DURATION_MINUTES = 24 * 60

CRLF = "\r\n"

_EMAIL_RE = re.compile(r"[^\s@\"<>()\[\]\\,;:]+@[^\s@\"<>()\[\]\\,;:]+")
_PARAM_NEEDS_QUOTES = frozenset(";:,")

Person = tuple[str, str]


def interview_invitation(
    *,
    uid: str,
    start: datetime,
    duration_minutes: int,
    summary: str,
    description: str,
    organizer: Person,
    attendees: Sequence[Person],
    location: str | None = None,
    sequence: int = 0,
    now: datetime,
) -> str:
    """The ``.ics`` text of a ``METHOD:REQUEST`` for one interview.

    ``start`` and ``now`` must be timezone-aware; both are written in UTC. ``organizer``
    and each attendee are ``(name, email)``; an attendee listed twice (same e-mail, any
    case) appears once. Raises ``ValueError`` for anything the calendar could not carry.
    """
    start_utc = _utc(start, "start")
    stamp = _utc(now, "now")
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        raise TypeError("duration_minutes must be a whole number of minutes.")
    if duration_minutes <= 0:
        raise ValueError("An interview must last at least one minute.")
    if duration_minutes > MAX_DURATION_MINUTES:
        raise ValueError(f"An interview cannot last more than {MAX_DURATION_MINUTES} minutes.")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise ValueError("sequence must be a whole number, zero or more.")
    if not uid or not uid.strip() or any(_is_control(ch) for ch in uid):
        raise ValueError("uid must be non-empty text without control characters.")
    if not attendees:
        raise ValueError("An invitation needs at least one attendee.")
    end_utc = start_utc + timedelta(minutes=duration_minutes)

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid)}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(start_utc)}",
        f"DTEND:{format_utc(end_utc)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(_address_line("ORGANIZER", organizer, ()))
    seen: set[str] = set()
    for attendee in attendees:
        key = attendee[1].strip().casefold()
        if key in seen:
            continue
        seen.add(key)
        lines.append(
            _address_line(
                "ATTENDEE",
                attendee,
                ("ROLE=REQ-PARTICIPANT", "PARTSTAT=NEEDS-ACTION", "RSVP=TRUE"),
            )
        )
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold_line(line) + CRLF for line in lines)


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not a naive one.")
    return value.astimezone(UTC)


def format_utc(value: datetime) -> str:
    """``20250314T093000Z``; ``value`` must already be in UTC."""
    return (
        f"{value.year:04d}{value.month:02d}{value.day:02d}"
        f"T{value.hour:02d}{value.minute:02d}{value.second:02d}Z"
    )


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped.

    Any newline convention becomes ``\\n``; other control characters except tab are
    dropped, since TEXT cannot carry them.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or not _is_control(ch))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value such as ``CN``, quoted when it holds ``;``, ``:`` or ``,``.

    Double quotes and carets are written with RFC 6868 caret escapes; line breaks and
    other control characters become spaces.
    """
    value = "".join(" " if _is_control(ch) else ch for ch in value)
    value = " ".join(value.split())
    value = value.replace("^", "^^").replace('"', "^'")
    if any(ch in _PARAM_NEEDS_QUOTES for ch in value):
        return f'"{value}"'
    return value


def mailto(email: str) -> str:
    """A ``mailto:`` URI for a plain address; anything unusual is refused."""
    address = email.strip()
    if not _EMAIL_RE.fullmatch(address) or any(_is_control(ch) for ch in address):
        raise ValueError(f"Not an e-mail address a calendar can use: {email!r}.")
    return "mailto:" + quote(address, safe="!$'*+@")


def _address_line(name: str, person: Person, params: Sequence[str]) -> str:
    display, email = person
    parts = [name]
    cn = param_value(display)
    if cn:
        parts.append(f"CN={cn}")
    parts.extend(params)
    return ";".join(parts) + ":" + mailto(email)


def _units(line: str) -> Iterator[str]:
    """Characters, with an escape sequence kept whole so no fold splits ``\\n``."""
    index = 0
    while index < len(line):
        if line[index] == "\\" and index + 1 < len(line):
            yield line[index : index + 2]
            index += 2
        else:
            yield line[index]
            index += 1


def fold_line(line: str) -> str:
    """Fold one content line at 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for unit in _units(line):
        width = len(unit.encode("utf-8"))
        if size + width > LINE_LIMIT:
            pieces.append("".join(current))
            current = [" "]
            size = 1
        current.append(unit)
        size += width
    pieces.append("".join(current))
    return CRLF.join(pieces)
