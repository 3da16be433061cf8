"""Interview invitations as iCalendar (RFC 5545, RFC 5546) messages, written with the
``icalendar`` library (which folds lines, escapes text and quotes parameters).

One ``VEVENT`` per interview, times in UTC, the interviewers (or whoever else the caller
names) as attendees asked to reply. An update is the same ``uid`` with a higher
``sequence``; ``METHOD:CANCEL`` takes the event off the attendees' calendars. What the
library leaves to its caller is checked here: times are aware, addresses are plain
e-mail addresses, and text carries no control characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//HireLadder//Interview invitations//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
METHODS = (REQUEST, CANCEL)
#: An interview is at most a day long; a larger number is a unit mistake.
MAX_DURATION_MINUTES = 24 * 60

_EMAIL_RE = re.compile(r"[^\s@\"<>()\[\]\\,;:]+@[^\s@\"<>()\[\]\\,;:]+")

Person = tuple[str, str]


def content_type(method: str = REQUEST) -> str:
    """The MIME type of a calendar file carrying ``method``."""
    return f"text/calendar; method={method}; charset=utf-8"


CONTENT_TYPE = content_type(REQUEST)


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
    method: str = REQUEST,
) -> str:
    """The ``.ics`` text of one interview: a ``METHOD:REQUEST`` (an invitation or an
    update), or with ``method="CANCEL"`` its cancellation (``STATUS:CANCELLED``).

    ``start`` and ``now`` must be timezone-aware; both are written in UTC. ``organizer``
    and each attendee are ``(name, email)``; an attendee listed twice (same e-mail, any
    case) appears once. Raises ``ValueError`` for anything the calendar could not carry.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}.")
    start_utc = _utc(start, "start").replace(microsecond=0)
    stamp = _utc(now, "now").replace(microsecond=0)
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

    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", start_utc)
    event.add("dtend", start_utc + timedelta(minutes=duration_minutes))
    event.add("summary", clean_text(summary))
    if clean_text(description):
        event.add("description", clean_text(description))
    if location and clean_text(location):
        event.add("location", clean_text(location))
    event.add("organizer", address(organizer))
    seen: set[str] = set()
    for attendee in attendees:
        key = attendee[1].strip().casefold()
        if key in seen:
            continue
        seen.add(key)
        event.add(
            "attendee",
            address(attendee, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True),
        )
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")

    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not a naive one.")
    return value.astimezone(UTC)


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def clean_text(value: str) -> str:
    """Text a TEXT value (RFC 5545 §3.3.11) can carry: any newline convention becomes
    ``\\n``; other control characters except tab are dropped (the library would write
    them as they are); a literal ``\\N`` becomes ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or not _is_control(ch))
    # The library writes a backslash before "N" unescaped, so "\N" would be read back as a
    # line break: it is written as "\n" (which survives) instead.
    return value.replace("\\N", "\\n")


def clean_name(value: str) -> str:
    """A name for a ``CN`` parameter: line breaks and other control characters become
    spaces, runs of spaces one (the library quotes and escapes what remains).

    A backslash becomes ``/``: RFC 5545 makes it an ordinary character in a parameter,
    but readers, the icalendar library's own among them (icalendar/icalendar#1497), take
    it for an escape, and ``CN=a\\;ROLE=…`` would swallow the next parameter.
    """
    value = value.replace("\\", "/")
    return " ".join("".join(" " if _is_control(ch) else ch for ch in value).split())


def mailto(email: str) -> str:
    """A ``mailto:`` URI for a plain address; anything unusual is refused."""
    plain = email.strip()
    if not _EMAIL_RE.fullmatch(plain) or any(_is_control(ch) for ch in plain):
        raise ValueError(f"Not an e-mail address a calendar can use: {email!r}.")
    return "mailto:" + quote(plain, safe="!$'*+@")


def address(
    person: Person,
    *,
    role: str | None = None,
    partstat: str | None = None,
    rsvp: bool | None = None,
) -> vCalAddress:
    """An ORGANIZER or ATTENDEE value with its parameters."""
    display, email = person
    value = vCalAddress(mailto(email))
    name = clean_name(display)
    if name:
        value.params["CN"] = name
    if role:
        value.params["ROLE"] = role
    if partstat:
        value.params["PARTSTAT"] = partstat
    if rsvp is not None:
        value.params["RSVP"] = "TRUE" if rsvp else "FALSE"
    return value
