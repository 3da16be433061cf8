"""argon2id password hashing; parameters come from the app config."""

from __future__ import annotations

import contextlib
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# Verified against when the account does not exist, so that a sign-in does the same
# work (one argon2 verification) for an unknown e-mail as for a known one.
_DUMMY_PASSWORD = "not-a-real-password-7c1e"  # noqa: S105


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return _hasher_for(
        cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"]
    )


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
    )


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Made once per process and parameter set, not per attempt."""
    return hasher.hash(_DUMMY_PASSWORD)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    if password_hash is None:
        # Spend the same work as a real check, then fail.
        with contextlib.suppress(VerificationError):
            hasher.verify(_dummy_hash(hasher), password + "\0")
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def warm_up() -> None:
    """Make the unknown-account hash now, so that even the first sign-in of a process
    takes as long for an unknown e-mail as for a known one."""
    _dummy_hash(_hasher())
