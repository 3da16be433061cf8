"""Interview invitations as iCalendar text, read back with a small RFC 5545 parser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.hiring.ics import (
    CONTENT_TYPE,
    LINE_LIMIT,
    PRODID,
    escape_text,
    fold_line,
    interview_invitation,
    mailto,
    param_value,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

# --- a small reader, written from RFC 5545 and independent of app.hiring.ics ------------------


@dataclass
class Property:
    name: str
    params: dict[str, str] = field(default_factory=dict)
    value: str = ""


def unfold(text: str) -> list[str]:
    """Content lines: CRLF followed by one space or tab continues the previous line."""
    assert text.endswith("\r\n")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def parse_line(line: str) -> Property:
    match = re.match(r"[A-Za-z0-9-]+", line)
    assert match, line
    prop = Property(match.group(0).upper())
    rest = line[match.end() :]
    while rest.startswith(";"):
        param = re.match(r';([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)', rest)
        assert param, rest
        value = param.group(2)
        if value.startswith('"'):
            value = value[1:-1]
        prop.params[param.group(1).upper()] = caret_decode(value)
        rest = rest[param.end() :]
    assert rest.startswith(":"), line
    prop.value = rest[1:]
    return prop


def caret_decode(value: str) -> str:
    """RFC 6868."""
    return re.sub(r"\^([n^'])", lambda m: {"n": "\n", "^": "^", "'": '"'}[m.group(1)], value)


def unescape(value: str) -> str:
    """A TEXT value back to its text."""
    out = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
    assert not re.search(r"(?<!\\)[;,]", value.replace("\\\\", "")), value
    return out


def parse(text: str) -> list[Property]:
    return [parse_line(line) for line in unfold(text)]


def event(text: str) -> dict[str, list[Property]]:
    props = parse(text)
    names = [p.name for p in props]
    start = names.index("BEGIN", 1)
    assert props[start].value == "VEVENT"
    end = names.index("END")
    assert props[end].value == "VEVENT"
    grouped: dict[str, list[Property]] = {}
    for prop in props[start + 1 : end]:
        grouped.setdefault(prop.name, []).append(prop)
    return grouped


def one(grouped: dict[str, list[Property]], name: str) -> Property:
    assert len(grouped.get(name, [])) == 1, name
    return grouped[name][0]


def invitation(**overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "uid": "interview-42@hireladder.test",
        "start": datetime(2025, 3, 14, 10, 30, tzinfo=PARIS),
        "duration_minutes": 30,
        "summary": "Peer interview: Zoë O'Brien (Customer Success Manager L3)",
        "description": "Live demonstration, then discussion.\nScorecard due the next day.",
        "organizer": ("Rita Recruiter", "rita@hireladder.test"),
        "attendees": [
            ("Ivan Interviewer", "ivan@hireladder.test"),
            ("Hana Manager", "hana@hireladder.test"),
        ],
        "location": "Room 4",
        "now": NOW,
    }
    arguments.update(overrides)
    return interview_invitation(**arguments)


# --- structure -------------------------------------------------------------------------


def test_calendar_envelope() -> None:
    text = invitation()
    lines = unfold(text)
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
    ]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    assert lines.count("BEGIN:VEVENT") == 1
    assert CONTENT_TYPE == "text/calendar; charset=utf-8; method=REQUEST"


def test_every_line_ends_with_crlf() -> None:
    text = invitation(description="one\ntwo\r\nthree\rfour")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")


def test_event_fields() -> None:
    grouped = event(invitation())
    assert one(grouped, "UID").value == "interview-42@hireladder.test"
    assert one(grouped, "SEQUENCE").value == "0"
    assert one(grouped, "DTSTAMP").value == "20250301T080000Z"
    assert unescape(one(grouped, "SUMMARY").value) == (
        "Peer interview: Zoë O'Brien (Customer Success Manager L3)"
    )
    assert unescape(one(grouped, "DESCRIPTION").value) == (
        "Live demonstration, then discussion.\nScorecard due the next day."
    )
    assert unescape(one(grouped, "LOCATION").value) == "Room 4"
    assert one(grouped, "STATUS").value == "CONFIRMED"


def test_times_are_converted_to_utc() -> None:
    grouped = event(invitation(start=datetime(2025, 3, 14, 10, 30, tzinfo=PARIS)))
    assert one(grouped, "DTSTART").value == "20250314T093000Z"
    assert one(grouped, "DTEND").value == "20250314T100000Z"
    assert not one(grouped, "DTSTART").params
    assert "TZID" not in one(grouped, "DTEND").params


@pytest.mark.parametrize(
    ("start", "minutes", "dtstart", "dtend"),
    [
        (datetime(2025, 7, 1, 9, 0, tzinfo=NEW_YORK), 60, "20250701T130000Z", "20250701T140000Z"),
        (datetime(2025, 1, 6, 9, 0, tzinfo=NEW_YORK), 30, "20250106T140000Z", "20250106T143000Z"),
        (datetime(2025, 3, 30, 1, 30, tzinfo=PARIS), 60, "20250330T003000Z", "20250330T013000Z"),
        (
            datetime(2025, 12, 31, 23, 45, tzinfo=timezone(timedelta(hours=-5))),
            30,
            "20260101T044500Z",
            "20260101T051500Z",
        ),
        (
            datetime(2025, 5, 2, 16, 0, 45, 999, tzinfo=UTC),
            1,
            "20250502T160045Z",
            "20250502T160145Z",
        ),
    ],
    ids=["new-york-summer", "new-york-winter", "paris-dst-night", "new-year", "seconds"],
)
def test_utc_conversion_and_duration(
    start: datetime, minutes: int, dtstart: str, dtend: str
) -> None:
    grouped = event(invitation(start=start, duration_minutes=minutes))
    assert one(grouped, "DTSTART").value == dtstart
    assert one(grouped, "DTEND").value == dtend


def test_dtstamp_is_now_in_utc() -> None:
    grouped = event(invitation(now=datetime(2025, 3, 1, 9, 15, 7, tzinfo=PARIS)))
    assert one(grouped, "DTSTAMP").value == "20250301T081507Z"


def test_sequence_for_updates() -> None:
    assert one(event(invitation(sequence=3)), "SEQUENCE").value == "3"


def test_location_is_optional() -> None:
    assert "LOCATION" not in event(invitation(location=None))
    assert "LOCATION" not in event(invitation(location=""))


def test_empty_description_is_left_out() -> None:
    assert "DESCRIPTION" not in event(invitation(description=""))


def test_output_is_deterministic() -> None:
    assert invitation() == invitation()


# --- people ----------------------------------------------------------------------------


def test_organizer_and_attendees() -> None:
    grouped = event(invitation())
    organizer = one(grouped, "ORGANIZER")
    assert organizer.params == {"CN": "Rita Recruiter"}
    assert organizer.value == "mailto:rita@hireladder.test"
    attendees = grouped["ATTENDEE"]
    assert [a.value for a in attendees] == [
        "mailto:ivan@hireladder.test",
        "mailto:hana@hireladder.test",
    ]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
    assert attendees[0].params["CN"] == "Ivan Interviewer"


def test_attendee_line_exactly() -> None:
    lines = unfold(invitation(attendees=[("Ivan Interviewer", "ivan@hireladder.test")]))
    assert (
        "ATTENDEE;CN=Ivan Interviewer;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
        "mailto:ivan@hireladder.test"
    ) in lines


@pytest.mark.parametrize(
    ("name", "written", "read"),
    [
        ("Ivan Interviewer", "CN=Ivan Interviewer;", "Ivan Interviewer"),
        ("Picard, Jean-Luc", 'CN="Picard, Jean-Luc";', "Picard, Jean-Luc"),
        ("Dr; Who", 'CN="Dr; Who";', "Dr; Who"),
        ("Team: Panel", 'CN="Team: Panel";', "Team: Panel"),
        ('Robert "Bob" Smith', "CN=Robert ^'Bob^' Smith;", 'Robert "Bob" Smith'),
        ("a^b", "CN=a^^b;", "a^b"),
        ("Zoë 佐藤", "CN=Zoë 佐藤;", "Zoë 佐藤"),
        (
            "Evil\r\nATTENDEE:mailto:x@y",
            'CN="Evil ATTENDEE:mailto:x@y";',
            "Evil ATTENDEE:mailto:x@y",
        ),
    ],
)
def test_common_name_is_quoted_when_needed(name: str, written: str, read: str) -> None:
    text = invitation(attendees=[(name, "ivan@hireladder.test")])
    line = next(line for line in unfold(text) if line.startswith("ATTENDEE"))
    assert line.startswith(f"ATTENDEE;{written}")
    assert one(event(text), "ATTENDEE").params["CN"] == read


def test_attendee_without_a_name_has_no_cn() -> None:
    attendee = one(event(invitation(attendees=[("", "ivan@hireladder.test")])), "ATTENDEE")
    assert "CN" not in attendee.params


def test_duplicate_attendees_appear_once() -> None:
    text = invitation(
        attendees=[
            ("Ivan", "ivan@hireladder.test"),
            ("Ivan again", "IVAN@hireladder.test"),
            ("Hana", "hana@hireladder.test"),
        ]
    )
    assert [a.params["CN"] for a in event(text)["ATTENDEE"]] == ["Ivan", "Hana"]


@pytest.mark.parametrize(
    ("email", "uri"),
    [
        ("ivan@hireladder.test", "mailto:ivan@hireladder.test"),
        ("  ivan@hireladder.test ", "mailto:ivan@hireladder.test"),
        ("first.last+tag@example.com", "mailto:first.last+tag@example.com"),
        ("what?#%@example.com", "mailto:what%3F%23%25@example.com"),
    ],
)
def test_mailto(email: str, uri: str) -> None:
    assert mailto(email) == uri


@pytest.mark.parametrize(
    "email",
    [
        "",
        "no-at-sign",
        "two@@example.com",
        "a@b@c",
        "ivan@hireladder.test\r\nATTENDEE:mailto:evil@example.com",
        "ivan@hireladder.test;RSVP=FALSE",
        "ivan@hireladder.test:x",
        "Ivan <ivan@hireladder.test>",
        "ivan @hireladder.test",
        "ivan@hireladder.test\x00",
    ],
)
def test_unusable_addresses_are_refused(email: str) -> None:
    with pytest.raises(ValueError, match="e-mail"):
        invitation(attendees=[("Ivan", email)])
    with pytest.raises(ValueError, match="e-mail"):
        invitation(organizer=("Rita", email))


# --- escaping and folding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain", "plain"),
        ("a;b", "a\\;b"),
        ("a,b", "a\\,b"),
        ("back\\slash", "back\\\\slash"),
        ("line\nbreak", "line\\nbreak"),
        ("windows\r\nbreak", "windows\\nbreak"),
        ("old mac\rbreak", "old mac\\nbreak"),
        ("\\n is not a newline", "\\\\n is not a newline"),
        ('colon: and "quotes"', 'colon: and "quotes"'),
        ("tab\tkept", "tab\tkept"),
        ("bell\x07 and esc\x1b dropped", "bell and esc dropped"),
        ("\\;,\n", "\\\\\\;\\,\\n"),
    ],
)
def test_escape_text(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


def test_escaped_values_read_back() -> None:
    summary = 'Screen; "CSM", L3 \\ remote\nsecond line'
    location = "Lyon, 4th floor; room \\7"
    grouped = event(invitation(summary=summary, location=location))
    assert unescape(one(grouped, "SUMMARY").value) == summary
    assert unescape(one(grouped, "LOCATION").value) == location
    assert one(grouped, "LOCATION").value == "Lyon\\, 4th floor\\; room \\\\7"


def test_newlines_cannot_inject_properties() -> None:
    text = invitation(
        summary="Interview\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged",
        description="x\nATTENDEE:mailto:evil@example.com",
        location="Room\rORGANIZER:mailto:evil@example.com",
    )
    lines = unfold(text)
    assert lines.count("BEGIN:VEVENT") == 1
    assert lines.count("END:VEVENT") == 1
    assert not any("evil@example.com" in line for line in lines if line.startswith("ATTENDEE"))
    assert len(event(text)["ATTENDEE"]) == 2
    assert len(event(text)["ORGANIZER"]) == 1


LONG_DESCRIPTION = (
    "Entretien avec l'équipe — démonstration en direct, puis discussion; "
    "面接の流れ\uff1a自己紹介、デモ、質疑応答。 "
    "Bring your laptop, a charger, and 🚀 energy; we'll cover onboarding, QBRs, renewals. "
) * 4


def test_long_lines_fold_at_75_octets() -> None:
    text = invitation(description=LONG_DESCRIPTION)
    physical = text.split("\r\n")[:-1]
    assert any(line.startswith(" ") for line in physical), "expected folding"
    for line in physical:
        assert len(line.encode("utf-8")) <= LINE_LIMIT == 75


def test_folded_lines_are_valid_utf8_each() -> None:
    raw = invitation(description=LONG_DESCRIPTION).encode("utf-8")
    for line in raw.split(b"\r\n"):
        line.decode("utf-8")


def test_folding_unfolds_to_the_same_text() -> None:
    grouped = event(invitation(description=LONG_DESCRIPTION, summary=LONG_DESCRIPTION))
    assert unescape(one(grouped, "DESCRIPTION").value) == LONG_DESCRIPTION
    assert unescape(one(grouped, "SUMMARY").value) == LONG_DESCRIPTION


def test_folding_keeps_escape_sequences_whole() -> None:
    value = "DESCRIPTION:" + "\\n" * 100
    for line in fold_line(value).split("\r\n"):
        body = line.removeprefix(" ")
        assert not re.search(r"(?<!\\)(\\\\)*\\$", body), line


def test_fold_line_boundaries() -> None:
    assert fold_line("X" * 75) == "X" * 75
    assert fold_line("X" * 76) == "X" * 75 + "\r\n X"
    assert fold_line("é" * 40) == "é" * 37 + "\r\n " + "é" * 3
    four_byte = "🚀" * 19
    folded = fold_line(four_byte)
    assert folded == "🚀" * 18 + "\r\n " + "🚀"


def test_long_attendee_lines_fold_too() -> None:
    name = "Maximiliana Alexandra Konstantinopoulou-Vandenberghe, Principal Engineer"
    text = invitation(attendees=[(name, "maximiliana@hireladder.test")])
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    assert one(event(text), "ATTENDEE").params["CN"] == name


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.text(max_size=200))
def test_any_text_survives_the_round_trip(summary: str, description: str) -> None:
    text = invitation(summary=summary, description=description)
    for line in text.encode("utf-8").split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    grouped = event(text)

    def expected(value: str) -> str:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return "".join(ch for ch in value if ch in "\n\t" or not _is_cc(ch))

    assert unescape(one(grouped, "SUMMARY").value) == expected(summary)
    if description:
        assert unescape(one(grouped, "DESCRIPTION").value) == expected(description)


def _is_cc(ch: str) -> bool:
    return ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F


@given(st.text(max_size=120))
def test_any_name_survives_as_a_parameter(name: str) -> None:
    written = param_value(name)
    assert "\r" not in written and "\n" not in written
    inner = written[1:-1] if written.startswith('"') else written
    assert '"' not in inner
    if not written.startswith('"'):
        assert not set(written) & set(";:,")


# --- refusals --------------------------------------------------------------------------


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        invitation(start=datetime(2025, 3, 14, 10, 30))


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        invitation(now=datetime(2025, 3, 1, 8, 0))


@pytest.mark.parametrize("minutes", [0, -30])
def test_non_positive_duration_is_refused(minutes: int) -> None:
    with pytest.raises(ValueError, match="at least one minute"):
        invitation(duration_minutes=minutes)


def test_absurd_duration_is_refused() -> None:
    invitation(duration_minutes=24 * 60)
    with pytest.raises(ValueError, match="more than 1440 minutes"):
        invitation(duration_minutes=24 * 60 + 1)


@pytest.mark.parametrize("minutes", [30.0, "30", True])
def test_duration_must_be_an_int(minutes: object) -> None:
    with pytest.raises(TypeError):
        invitation(duration_minutes=minutes)


@pytest.mark.parametrize("sequence", [-1, 1.5, True])
def test_sequence_must_be_a_natural_number(sequence: object) -> None:
    with pytest.raises(ValueError, match="sequence"):
        invitation(sequence=sequence)


@pytest.mark.parametrize("uid", ["", "   ", "a\r\nb", "a\x00b"])
def test_bad_uid_is_refused(uid: str) -> None:
    with pytest.raises(ValueError, match="uid"):
        invitation(uid=uid)


def test_an_invitation_needs_attendees() -> None:
    with pytest.raises(ValueError, match="attendee"):
        invitation(attendees=[])
