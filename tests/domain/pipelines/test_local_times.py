"""Times stored in UTC, written in the reader's zone: abbreviations, styles, DST edges."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.timezones import (
    STYLES,
    abbreviation,
    format_local,
    from_local,
    is_zone,
    to_local,
    zone_names,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "zone", "written"),
    [
        # Berlin goes to summer time at 01:00 UTC on 29 March 2026 (02:00 CET -> 03:00 CEST).
        (utc(2026, 3, 29, 0, 59), "Europe/Berlin", "Sun 29 Mar 2026, 01:59 CET"),
        (utc(2026, 3, 29, 1, 0), "Europe/Berlin", "Sun 29 Mar 2026, 03:00 CEST"),
        # ... and back at 01:00 UTC on 25 October 2026 (03:00 CEST -> 02:00 CET): 02:30
        # happens twice, told apart by the abbreviation.
        (utc(2026, 10, 25, 0, 30), "Europe/Berlin", "Sun 25 Oct 2026, 02:30 CEST"),
        (utc(2026, 10, 25, 1, 30), "Europe/Berlin", "Sun 25 Oct 2026, 02:30 CET"),
        # New York: 8 March 2026 at 07:00 UTC (02:00 EST -> 03:00 EDT), 1 November at 06:00 UTC.
        (utc(2026, 3, 8, 6, 59), "America/New_York", "Sun 8 Mar 2026, 01:59 EST"),
        (utc(2026, 3, 8, 7, 0), "America/New_York", "Sun 8 Mar 2026, 03:00 EDT"),
        (utc(2026, 11, 1, 5, 30), "America/New_York", "Sun 1 Nov 2026, 01:30 EDT"),
        (utc(2026, 11, 1, 6, 30), "America/New_York", "Sun 1 Nov 2026, 01:30 EST"),
        (utc(2026, 12, 7, 13, 30), "UTC", "Mon 7 Dec 2026, 13:30 UTC"),
    ],
)
def test_times_are_written_in_the_zone_with_its_abbreviation(moment, zone, written):
    assert format_local(moment, zone) == written


def test_the_same_instant_reads_differently_in_each_zone():
    moment = utc(2026, 12, 31, 23, 30)
    assert format_local(moment, "Europe/Berlin") == "Fri 1 Jan 2027, 00:30 CET"
    assert format_local(moment, "America/New_York") == "Thu 31 Dec 2026, 18:30 EST"


@pytest.mark.parametrize(
    ("style", "written"),
    [
        ("full", "Tue 1 Dec 2026, 16:00 CET"),
        ("short", "1 Dec 2026, 16:00 CET"),
        ("time", "16:00 CET"),
        ("date", "1 Dec 2026"),
        ("long_date", "1 December 2026"),
    ],
)
def test_styles(style, written):
    assert style in STYLES
    assert format_local(utc(2026, 12, 1, 15, 0), "Europe/Berlin", fmt=style) == written


def test_a_zone_without_a_name_is_written_as_its_offset():
    moment = utc(2026, 7, 1, 12, 0)
    assert format_local(moment, "America/Sao_Paulo", fmt="time") == "09:00 UTC-03"
    assert format_local(moment, "Asia/Kolkata", fmt="time") == "17:30 IST"
    assert abbreviation(to_local(moment, "Asia/Kathmandu")) == "UTC+05:45"
    assert abbreviation(to_local(moment, "Etc/GMT")) == "GMT"


def test_unknown_or_empty_zones_fall_back_to_the_default():
    moment = utc(2026, 1, 15, 9, 0)
    assert format_local(moment, None) == "Thu 15 Jan 2026, 09:00 UTC"
    assert format_local(moment, "") == "Thu 15 Jan 2026, 09:00 UTC"
    assert format_local(moment, "Mars/Olympus_Mons", "Europe/Berlin") == (
        "Thu 15 Jan 2026, 10:00 CET"
    )
    assert format_local(moment, None, "America/New_York", fmt="time") == "04:00 EST"


@pytest.mark.parametrize(
    "name",
    [
        "",
        " Europe/Berlin",
        "Europe/Berlin ",
        "../etc/passwd",
        "Mars/Olympus",
        "x" * 65,
        "localtime",
        "posixrules",
    ],
)
def test_is_zone_refuses_what_is_not_a_zone(name):
    assert not is_zone(name)


def test_zone_names_are_sorted_known_zones():
    names = zone_names()
    assert list(names) == sorted(names)
    assert {"Europe/Berlin", "America/New_York", "UTC"} <= set(names)
    assert "localtime" not in names
    assert all(is_zone(name) for name in names[:50])


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="naive"):
        format_local(datetime(2026, 1, 1, 12, 0), "UTC")


def test_from_local_and_back_round_trip_around_dst():
    for wall in (datetime(2026, 3, 28, 9, 0), datetime(2026, 3, 30, 9, 0)):
        moment = from_local(wall, "Europe/Berlin")
        assert to_local(moment, "Europe/Berlin").replace(tzinfo=None) == wall
    assert from_local(datetime(2026, 3, 28, 9, 0), "Europe/Berlin") == utc(2026, 3, 28, 8, 0)
    assert from_local(datetime(2026, 3, 30, 9, 0), "Europe/Berlin") == utc(2026, 3, 30, 7, 0)
