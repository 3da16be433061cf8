"""Two-step sign-in rules: pure functions over codes, times and roles (no database, no web).

Recovery codes are 125 random bits written as five groups of five characters from an
alphabet without look-alikes: with more than 112 bits a plain SHA-256 is enough to store
(ASVS 6.5.2; a stolen table cannot be brute-forced back into codes), and a person can
still type one from paper.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

RECOVERY_CODE_COUNT = 10
# Crockford's base32: no I, L, O or U; 32 symbols, so 5 bits a character.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_GROUPS = 5
RECOVERY_GROUP_LENGTH = 5
# What people type instead of the symbols that are not in the alphabet.
_LOOK_ALIKES = str.maketrans({"i": "1", "l": "1", "o": "0", "u": "v"})

TOTP_DIGITS = 6
CLOCK_SKEW = timedelta(seconds=5)


def new_recovery_code() -> str:
    """A fresh code such as ``k7mq2-xr9a0-twh3p-e4n8d-q1fz6``."""
    groups = (
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
        for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_recovery_code())
    return sorted(codes)


def normalize_recovery_code(text: str) -> str | None:
    """The canonical form of a typed recovery code, or None if it cannot be one.

    Case, spaces and dashes do not matter, and look-alike letters are read as the
    symbol they resemble (``O`` as ``0``, ``I``/``L`` as ``1``).
    """
    raw = "".join(ch for ch in text.lower() if ch not in " -\t").translate(_LOOK_ALIKES)
    if len(raw) != RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH:
        return None
    if any(ch not in RECOVERY_ALPHABET for ch in raw):
        return None
    n = RECOVERY_GROUP_LENGTH
    return "-".join(raw[i : i + n] for i in range(0, len(raw), n))


def recovery_code_hash(code: str) -> str:
    """What is stored for a (normalised) recovery code: its SHA-256, hex."""
    return hashlib.sha256(code.encode()).hexdigest()


def normalize_totp_code(text: str) -> str | None:
    """Six digits from an authenticator app (spaces allowed, as apps show ``123 456``)."""
    raw = "".join(ch for ch in text if ch not in " \t-")
    if len(raw) == TOTP_DIGITS and raw.isascii() and raw.isdigit():
        return raw
    return None


def required_for(roles: Iterable[str], required_roles: Iterable[str]) -> bool:
    """Whether a person holding ``roles`` must use two-step sign-in."""
    return not set(roles).isdisjoint(required_roles)


def parse_role_list(value: str) -> tuple[str, ...]:
    """``"admin, recruiter"`` -> ``("admin", "recruiter")``; empty text -> no role."""
    return tuple(sorted({part.strip().lower() for part in value.split(",") if part.strip()}))


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in whose password was right and which waits for the second step."""

    user_id: int
    started_at: datetime
    remember: bool = False
    next_url: str = ""

    def as_marker(self) -> dict[str, Any]:
        """What is kept in the signed session cookie: no secret, nothing to skip with."""
        return {
            "user_id": self.user_id,
            "started_at": int(self.started_at.timestamp()),
            "remember": self.remember,
            "next": self.next_url,
        }


def read_pending(marker: object, *, now: datetime, lifetime: timedelta) -> PendingSignIn | None:
    """The pending sign-in a marker describes, or None if it is missing, malformed,
    expired, or dated in the future (a clock step back does not extend it)."""
    if not isinstance(marker, Mapping):
        return None
    user_id = marker.get("user_id")
    started = marker.get("started_at")
    if type(user_id) is not int or type(started) is not int:
        return None
    started_at = datetime.fromtimestamp(started, UTC)
    age = now - started_at
    # A few seconds of difference between the clocks of two server processes are allowed.
    if age < -CLOCK_SKEW or age >= lifetime:
        return None
    next_url = marker.get("next")
    return PendingSignIn(
        user_id=user_id,
        started_at=started_at,
        remember=marker.get("remember") is True,
        next_url=next_url if isinstance(next_url, str) else "",
    )
