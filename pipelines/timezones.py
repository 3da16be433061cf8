"""Time zones: every time is stored in UTC and shown in the viewer's zone (IANA names)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"
#: How times are written on pages and in messages: "Mon 7 Dec 2026, 14:30 CET".
DISPLAY_FORMAT = "%a %-d %b %Y, %H:%M %Z"


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted (for a select list)."""
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=512)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def is_zone(name: str | None) -> bool:
    """Whether ``name`` is an IANA zone this machine knows ("Europe/Berlin", "UTC")."""
    if not name or name != name.strip() or len(name) > 64 or ".." in name:
        return False
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_problem(name: str | None) -> str | None:
    """What is wrong with a time zone someone typed, or None (empty is fine: the default)."""
    if not name or not name.strip() or is_zone(name.strip()):
        return None
    return (
        f"Unknown time zone {name.strip()[:64]!r}: give an IANA name such as Europe/Berlin, "
        "America/New_York or UTC."
    )


def zone(name: str | None, default: str = DEFAULT_ZONE) -> tzinfo:
    """The zone called ``name``; ``default`` when it is empty or unknown."""
    if name and is_zone(name):
        return _zone(name)
    return _zone(default) if is_zone(default) else UTC


def to_local(moment: datetime, zone_name: str | None, default: str = DEFAULT_ZONE) -> datetime:
    """``moment`` (aware) in the zone called ``zone_name``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; times are stored in UTC")
    return moment.astimezone(zone(zone_name, default))


def format_local(
    moment: datetime,
    zone_name: str | None,
    default: str = DEFAULT_ZONE,
    fmt: str = DISPLAY_FORMAT,
) -> str:
    """``moment`` written in the zone called ``zone_name`` (its abbreviation included)."""
    return to_local(moment, zone_name, default).strftime(fmt)


def from_local(naive: datetime, zone_name: str | None, default: str = DEFAULT_ZONE) -> datetime:
    """A wall-clock time typed in ``zone_name`` as an aware UTC datetime.

    In the hour skipped when clocks go forward the time does not exist; in the hour
    repeated when they go back it exists twice. Both take ``fold=0`` (the first reading),
    as ``zoneinfo`` does.
    """
    if naive.tzinfo is not None:
        raise ValueError("from_local takes a wall-clock (naive) time")
    return naive.replace(tzinfo=zone(zone_name, default)).astimezone(UTC)
