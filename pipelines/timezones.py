"""Time zones: every time is stored in UTC and shown in the viewer's zone (IANA names)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"
#: How times are written on pages and in messages: "Mon 7 Dec 2026, 14:30 CET".
DISPLAY_FORMAT = "%a %-d %b %Y, %H:%M %Z"
#: The ways a page may write a time (``|localtime("short")``); every one that shows the
#: hour names the zone, so a reader never has to guess which clock it is.
STYLES: dict[str, str] = {
    "full": DISPLAY_FORMAT,  # Mon 7 Dec 2026, 14:30 CET
    "short": "%-d %b %Y, %H:%M %Z",  # 7 Dec 2026, 14:30 CET
    "time": "%H:%M %Z",  # 14:30 CET
    "date": "%-d %b %Y",  # 7 Dec 2026
    "long_date": "%-d %B %Y",  # 7 December 2026
}


#: Files of the zone database that are no zone of their own: "localtime" is whatever the
#: machine is set to, the others are the database's internals.
NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted (for a select list)."""
    return tuple(sorted(available_timezones() - NOT_ZONES))


@lru_cache(maxsize=512)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def is_zone(name: str | None) -> bool:
    """Whether ``name`` is an IANA zone this machine knows ("Europe/Berlin", "UTC")."""
    if not name or name != name.strip() or len(name) > 64 or ".." in name or name in NOT_ZONES:
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


def abbreviation(local: datetime) -> str:
    """The zone's short name at that moment: "CET", "CEST", "EDT"; where the zone has
    none, its offset from UTC ("UTC+04", "UTC-03:30") rather than a bare "+04"."""
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.utcoffset()
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")


def format_local(
    moment: datetime,
    zone_name: str | None,
    default: str = DEFAULT_ZONE,
    fmt: str = DISPLAY_FORMAT,
) -> str:
    """``moment`` written in the zone called ``zone_name`` (its abbreviation included).

    ``fmt`` is a ``strftime`` format, or the name of one of :data:`STYLES`; ``%Z`` is
    written by :func:`abbreviation`.
    """
    local = to_local(moment, zone_name, default)
    pattern = STYLES.get(fmt, fmt)
    if "%Z" in pattern:
        pattern = pattern.replace("%Z", abbreviation(local).replace("%", "%%"))
    return local.strftime(pattern)


def from_local(naive: datetime, zone_name: str | None, default: str = DEFAULT_ZONE) -> datetime:
    """A wall-clock time typed in ``zone_name`` as an aware UTC datetime.

    In the hour skipped when clocks go forward the time does not exist; in the hour
    repeated when they go back it exists twice. Both take ``fold=0`` (the first reading),
    as ``zoneinfo`` does.
    """
    if naive.tzinfo is not None:
        raise ValueError("from_local takes a wall-clock (naive) time")
    return naive.replace(tzinfo=zone(zone_name, default)).astimezone(UTC)
