"""Interview invitations as iCalendar text, read back with the icalendar parser: the tests
check what a calendar understands (fields, people, times), not how lines are written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from app.hiring.ics import (
    CONTENT_TYPE,
    PRODID,
    clean_name,
    content_type,
    interview_invitation,
    mailto,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


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


def parsed(text: str) -> Calendar:
    return Calendar.from_ical(text)


def event(text: str) -> Event:
    [only] = parsed(text).events
    return only


def attendees(ev: Event) -> list[Any]:
    value = ev.get("attendee", [])
    return value if isinstance(value, list) else [value]


def text_of(ev: Event, name: str) -> str | None:
    value = ev.get(name)
    return None if value is None else str(value)


# --- structure -------------------------------------------------------------------------


def test_calendar_envelope() -> None:
    calendar = parsed(invitation())
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == PRODID
    assert str(calendar["calscale"]) == "GREGORIAN"
    assert str(calendar["method"]) == "REQUEST"
    assert len(calendar.events) == 1
    assert CONTENT_TYPE == "text/calendar; method=REQUEST; charset=utf-8"
    assert content_type("CANCEL") == "text/calendar; method=CANCEL; charset=utf-8"


def test_every_line_ends_with_crlf() -> None:
    text = invitation(description="one\ntwo\r\nthree\rfour")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")


def test_event_fields() -> None:
    ev = event(invitation())
    assert str(ev["uid"]) == "interview-42@hireladder.test"
    assert ev.decoded("sequence") == 0
    assert ev.decoded("dtstamp") == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert text_of(ev, "summary") == "Peer interview: Zoë O'Brien (Customer Success Manager L3)"
    assert text_of(ev, "description") == (
        "Live demonstration, then discussion.\nScorecard due the next day."
    )
    assert text_of(ev, "location") == "Room 4"
    assert str(ev["status"]) == "CONFIRMED"


def test_a_cancellation_keeps_the_event_and_says_cancelled() -> None:
    text = invitation(method="CANCEL", sequence=4)
    calendar = parsed(text)
    assert str(calendar["method"]) == "CANCEL"
    ev = event(text)
    assert str(ev["uid"]) == "interview-42@hireladder.test"
    assert ev.decoded("sequence") == 4
    assert str(ev["status"]) == "CANCELLED"


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="method"):
        invitation(method="PUBLISH")


def test_times_are_converted_to_utc() -> None:
    text = invitation(start=datetime(2025, 3, 14, 10, 30, tzinfo=PARIS))
    ev = event(text)
    assert ev.decoded("dtstart") == datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    assert ev.decoded("dtend") == datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
    assert ev.decoded("dtstart").utcoffset() == timedelta(0)
    assert "TZID" not in ev["dtstart"].params and "TZID" not in ev["dtend"].params
    assert "VTIMEZONE" not in text


@pytest.mark.parametrize(
    ("start", "minutes", "dtstart", "dtend"),
    [
        (
            datetime(2025, 7, 1, 9, 0, tzinfo=NEW_YORK),
            60,
            datetime(2025, 7, 1, 13, 0, tzinfo=UTC),
            datetime(2025, 7, 1, 14, 0, tzinfo=UTC),
        ),
        (
            datetime(2025, 1, 6, 9, 0, tzinfo=NEW_YORK),
            30,
            datetime(2025, 1, 6, 14, 0, tzinfo=UTC),
            datetime(2025, 1, 6, 14, 30, tzinfo=UTC),
        ),
        (
            datetime(2025, 3, 30, 1, 30, tzinfo=PARIS),
            60,
            datetime(2025, 3, 30, 0, 30, tzinfo=UTC),
            datetime(2025, 3, 30, 1, 30, tzinfo=UTC),
        ),
        (
            datetime(2025, 12, 31, 23, 45, tzinfo=timezone(timedelta(hours=-5))),
            30,
            datetime(2026, 1, 1, 4, 45, tzinfo=UTC),
            datetime(2026, 1, 1, 5, 15, tzinfo=UTC),
        ),
        (
            datetime(2025, 5, 2, 16, 0, 45, 999, tzinfo=UTC),
            1,
            datetime(2025, 5, 2, 16, 0, 45, tzinfo=UTC),
            datetime(2025, 5, 2, 16, 1, 45, tzinfo=UTC),
        ),
    ],
    ids=["new-york-summer", "new-york-winter", "paris-dst-night", "new-year", "seconds"],
)
def test_utc_conversion_and_duration(
    start: datetime, minutes: int, dtstart: datetime, dtend: datetime
) -> None:
    ev = event(invitation(start=start, duration_minutes=minutes))
    assert ev.decoded("dtstart") == dtstart
    assert ev.decoded("dtend") == dtend


def test_dtstamp_is_now_in_utc() -> None:
    ev = event(invitation(now=datetime(2025, 3, 1, 9, 15, 7, tzinfo=PARIS)))
    assert ev.decoded("dtstamp") == datetime(2025, 3, 1, 8, 15, 7, tzinfo=UTC)


def test_sequence_for_updates() -> None:
    assert event(invitation(sequence=3)).decoded("sequence") == 3


def test_location_is_optional() -> None:
    assert "LOCATION" not in event(invitation(location=None))
    assert "LOCATION" not in event(invitation(location=""))


def test_empty_description_is_left_out() -> None:
    assert "DESCRIPTION" not in event(invitation(description=""))


def test_output_is_deterministic() -> None:
    assert invitation() == invitation()


# --- people ----------------------------------------------------------------------------


def test_organizer_and_attendees() -> None:
    ev = event(invitation())
    organizer = ev["organizer"]
    assert dict(organizer.params) == {"CN": "Rita Recruiter"}
    assert str(organizer) == "mailto:rita@hireladder.test"
    people = attendees(ev)
    assert [str(a) for a in people] == [
        "mailto:ivan@hireladder.test",
        "mailto:hana@hireladder.test",
    ]
    for attendee in people:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
    assert [a.params["CN"] for a in people] == ["Ivan Interviewer", "Hana Manager"]


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("Ivan Interviewer", "Ivan Interviewer"),
        ("Picard, Jean-Luc", "Picard, Jean-Luc"),
        ("Dr; Who", "Dr; Who"),
        ("Team: Panel", "Team: Panel"),
        ('Robert "Bob" Smith', 'Robert "Bob" Smith'),
        ("a^b", "a^b"),
        ("Zoë 佐藤", "Zoë 佐藤"),
        ("Evil\r\nATTENDEE:mailto:x@y", "Evil ATTENDEE:mailto:x@y"),
    ],
)
def test_common_names_read_back(name: str, read: str) -> None:
    text = invitation(attendees=[(name, "ivan@hireladder.test")])
    [attendee] = attendees(event(text))
    assert attendee.params["CN"] == read
    assert str(attendee) == "mailto:ivan@hireladder.test"


def test_attendee_without_a_name_has_no_cn() -> None:
    [attendee] = attendees(event(invitation(attendees=[("", "ivan@hireladder.test")])))
    assert "CN" not in attendee.params


def test_duplicate_attendees_appear_once() -> None:
    text = invitation(
        attendees=[
            ("Ivan", "ivan@hireladder.test"),
            ("Ivan again", "IVAN@hireladder.test"),
            ("Hana", "hana@hireladder.test"),
        ]
    )
    assert [a.params["CN"] for a in attendees(event(text))] == ["Ivan", "Hana"]


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


# --- text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("plain", "plain"),
        ("a;b", "a;b"),
        ("a,b", "a,b"),
        ("back\\slash", "back\\slash"),
        ("line\nbreak", "line\nbreak"),
        ("windows\r\nbreak", "windows\nbreak"),
        ("old mac\rbreak", "old mac\nbreak"),
        ("\\n is not a newline", "\\n is not a newline"),
        ('colon: and "quotes"', 'colon: and "quotes"'),
        ("tab\tkept", "tab\tkept"),
        ("bell\x07 and esc\x1b dropped", "bell and esc dropped"),
        ("\\;,\n", "\\;,\n"),
    ],
)
def test_text_reads_back(text: str, read: str) -> None:
    ev = event(invitation(summary=text, location=text))
    assert text_of(ev, "summary") == read
    assert text_of(ev, "location") == read


def test_newlines_cannot_inject_properties() -> None:
    text = invitation(
        summary="Interview\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged",
        description="x\nATTENDEE:mailto:evil@example.com",
        location="Room\rORGANIZER:mailto:evil@example.com",
    )
    calendar = parsed(text)
    assert len(calendar.events) == 1
    ev = calendar.events[0]
    assert [str(a) for a in attendees(ev)] == [
        "mailto:ivan@hireladder.test",
        "mailto:hana@hireladder.test",
    ]
    assert str(ev["organizer"]) == "mailto:rita@hireladder.test"
    assert text_of(ev, "summary") == "Interview\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:forged"


LONG_DESCRIPTION = (
    "Entretien avec l'équipe — démonstration en direct, puis discussion; "
    "面接の流れ\uff1a自己紹介、デモ、質疑応答。 "
    "Bring your laptop, a charger, and 🚀 energy; we'll cover onboarding, QBRs, renewals. "
) * 4


def test_long_lines_are_folded_to_75_octets() -> None:
    text = invitation(description=LONG_DESCRIPTION)
    physical = text.split("\r\n")[:-1]
    assert any(line.startswith(" ") for line in physical), "expected folding"
    for line in physical:
        assert len(line.encode("utf-8")) <= 75


def test_folded_lines_are_valid_utf8_each() -> None:
    raw = invitation(description=LONG_DESCRIPTION).encode("utf-8")
    for line in raw.split(b"\r\n"):
        line.decode("utf-8")


def test_long_text_reads_back_whole() -> None:
    ev = event(invitation(description=LONG_DESCRIPTION, summary=LONG_DESCRIPTION))
    assert text_of(ev, "description") == LONG_DESCRIPTION
    assert text_of(ev, "summary") == LONG_DESCRIPTION


def test_long_attendee_names_read_back() -> None:
    name = "Maximiliana Alexandra Konstantinopoulou-Vandenberghe, Principal Engineer"
    text = invitation(attendees=[(name, "maximiliana@hireladder.test")])
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    [attendee] = attendees(event(text))
    assert attendee.params["CN"] == name


def _is_cc(ch: str) -> bool:
    return ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.text(max_size=200))
def test_any_text_survives_the_round_trip(summary: str, description: str) -> None:
    text = invitation(summary=summary, description=description)
    for line in text.encode("utf-8").split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    ev = event(text)

    def expected(value: str) -> str:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return "".join(ch for ch in value if ch in "\n\t" or not _is_cc(ch)).replace("\\N", "\\n")

    assert text_of(ev, "summary") == expected(summary)
    if expected(description):
        assert text_of(ev, "description") == expected(description)
    assert len(attendees(ev)) == 2


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_name_survives_as_a_parameter(name: str) -> None:
    ev = event(invitation(attendees=[(name, "ivan@hireladder.test")]))
    [attendee] = attendees(ev)
    assert str(attendee) == "mailto:ivan@hireladder.test"
    assert attendee.params.get("CN", "") == clean_name(name)


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


@pytest.mark.parametrize("name", ["\\", "Ivan\\", "CORP\\ivan", "x\\;y"])
def test_a_backslash_in_a_name_cannot_swallow_the_next_parameter(name: str) -> None:
    [attendee] = attendees(event(invitation(attendees=[(name, "ivan@hireladder.test")])))
    assert attendee.params["CN"] == name.replace("\\", "/")
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["RSVP"] == "TRUE"
