"""Rate limits (Flask-Limiter), counted per caller in memory or in a shared Redis.

Five named limits, each set in ``RATE_LIMITS`` (see app/config.py) and each counted
across every route it applies to:

* ``default``: every request but static files, per caller;
* ``write``: every POST, PUT, PATCH and DELETE, per caller;
* ``expensive``: views marked ``@rate_limit("expensive")`` (PDF renders, exports), per caller;
* ``sign_in``: views marked ``@rate_limit("sign_in", methods=("POST",))``, per address;
* ``apply``: the careers site's application form (``@rate_limit("apply", methods=("POST",))``),
  per address.

The caller is the API token (for bearer calls), else the signed-in user, else the source
address. With ``RATELIMIT_STORAGE_URI = "redis://…"`` every process of an installation
shares the counts; the default ``memory://`` counts per process.

Each app gets a Limiter of its own (``app.extensions["rate_limiter"]``): Flask-Limiter keeps
its storage and its on/off switch on the Limiter object, so one shared by several apps (as
tests make them) would mix their counts and settings.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from flask import Flask, current_app, request
from flask_limiter import Limit, Limiter, RateLimitExceeded
from flask_login import current_user
from limits import parse_many
from limits.storage import MemoryStorage

from app.config import ConfigError
from app.security import UNSAFE_METHODS, bearer_token, client_address

F = TypeVar("F", bound=Callable[..., Any])

#: Every named limit, and what it counts, in words for the 429's message.
LIMITS = {
    "default": "requests",
    "write": "changes",
    "expensive": "PDF renders and exports",
    "sign_in": "sign-in attempts from this address",
    "apply": "applications from this address",
}
#: The limits a view opts into with :func:`rate_limit`; the others apply everywhere.
MARKABLE = ("expensive", "sign_in", "apply")
#: The limits counted per source address whoever is signed in.
PER_ADDRESS = frozenset({"sign_in", "apply"})
STORAGE_SCHEMES = ("memory://", "redis://", "rediss://", "redis+unix://")
_MARKS = "_hireladder_rate_limits"
#: The health check's endpoint (app/main/pages.py), never counted.
HEALTH = "main.health"


def rate_limit(name: str, *, methods: Iterable[str] | None = None) -> Callable[[F], F]:
    """Apply the named limit (``"expensive"``, ``"sign_in"`` or ``"apply"``) to a view, on
    top of the limits every request has; ``methods`` restricts it to those HTTP methods.

    Put it below the route decorator: ``@routes.get(...)`` then ``@rate_limit("expensive")``.
    """
    if name not in MARKABLE:
        raise ValueError(f"No rate limit named {name!r}; one of: {', '.join(MARKABLE)}.")
    only = frozenset(m.upper() for m in methods) if methods is not None else None

    def decorator(view: F) -> F:
        marks = dict(getattr(view, _MARKS, {}))
        marks[name] = only
        setattr(view, _MARKS, marks)  # functools.wraps carries it to outer decorators
        return view

    return decorator


#: The limit for PDF renders and exports (e.g. a candidate export endpoint).
expensive = rate_limit("expensive")
#: The limit for sign-in forms: POSTs only, per source address.
sign_in = rate_limit("sign_in", methods=("POST",))
#: The limit for the careers site's application form: POSTs only, per source address.
apply = rate_limit("apply", methods=("POST",))


def caller_key() -> str:
    """Who is counted: the API token, else the signed-in user, else the source address."""
    token = bearer_token(request)
    if token is not None and request.blueprint == "api":
        # The hash names the token without keeping its value in the storage.
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return address_key()


def address_key() -> str:
    return "address:" + client_address()


def _marked(name: str) -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    marks: dict[str, frozenset[str] | None] = getattr(view, _MARKS, {})
    if name not in marks:
        return False
    only = marks[name]
    return only is None or request.method in only


def _provider(name: str) -> Callable[[], str]:
    def limit() -> str:
        if name in MARKABLE and not _marked(name):
            return ""  # no limit of this name on this view
        value: str = current_app.config["RATE_LIMITS"][name]
        return value

    return limit


def _limits() -> list[Limit]:
    return [
        Limit(
            _provider(name),
            key_function=address_key if name in PER_ADDRESS else caller_key,
            scope=name,
            shared=True,
            methods=sorted(UNSAFE_METHODS) if name == "write" else None,
        )
        for name in LIMITS
    ]


def check_settings(config: dict[str, Any]) -> None:
    """Refuse to start with a limit or a storage that cannot work, naming the setting."""
    limits = config["RATE_LIMITS"]
    missing = sorted(set(LIMITS) - set(limits))
    if missing:
        raise ConfigError(f"RATE_LIMITS has no value for {', '.join(missing)}.")
    for name in LIMITS:
        try:
            parse_many(limits[name])
        except ValueError:
            raise ConfigError(
                f"RATE_LIMITS[{name!r}] (HIRELADDER_RATELIMIT_{name.upper()}) is "
                f"{limits[name]!r}; write it like '10 per minute' or '100/hour'."
            ) from None
    uri = config["RATELIMIT_STORAGE_URI"]
    if not uri.startswith(STORAGE_SCHEMES):
        raise ConfigError(
            f"HIRELADDER_RATELIMIT_STORAGE_URL is {uri!r}; use memory:// or redis://host:6379/N."
        )


class SweptMemoryStorage(MemoryStorage):
    """limits' counts in this process's memory, whose expired entries the next hit after
    a second sweeps away, rather than a thread: limits' own storage starts a timer thread
    on a hit whenever its last one has run (every 10 ms), that is on every other request
    or so of a busy process. A count is refused or let through as before (a window's
    count is checked against its expiry when read); only the memory of expired ones is
    given back later."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["hireladder+memory"]
    #: Seconds between two sweeps.
    SWEEP_EVERY = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = 0.0
        self._sweeping = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:  # limits' own method, by its name
        now = time.monotonic()
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + self.SWEEP_EVERY
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
        finally:
            self._sweeping.release()


def init_rate_limits(app: Flask) -> Limiter:
    check_settings(app.config)
    uri = app.config["RATELIMIT_STORAGE_URI"]
    # memory:// is counted by SweptMemoryStorage (the setting keeps its documented name).
    in_memory = uri.startswith("memory://")
    if not in_memory:
        # Redis keys start with the installation's prefix, so that clearing the counts
        # (Limiter.reset) clears only this installation's.
        options = app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {})
        options.setdefault("key_prefix", app.config["RATELIMIT_KEY_PREFIX"])
    limiter = Limiter(
        caller_key,
        storage_uri=uri.replace("memory://", "hireladder+memory://", 1) if in_memory else None,
        default_limits=_limits(),
        # A storage that fails (Redis down) falls back to counting in this process rather
        # than answering 500 or letting everything through unlimited.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        # Retry-After is set on the 429 only (app/errors.py), not on every answer.
        headers_enabled=False,
    )

    @limiter.request_filter
    def _switched_off() -> bool:
        # A load balancer polls the health check as often as it likes.
        return not current_app.config["RATE_LIMITS_ENABLED"] or request.endpoint == HEALTH

    limiter.init_app(app)
    app.extensions["rate_limiter"] = limiter
    return limiter


def retry_after(error: RateLimitExceeded) -> int:
    """Seconds until the breached limit lets the caller in again (at least 1)."""
    window = int(error.limit.limit.get_expiry())
    limiter: Limiter | None = current_app.extensions.get("rate_limiter")
    current = limiter.current_limit if limiter is not None else None
    if current is None:
        return max(1, window)
    # Flask-Limiter rounds the reset time up by a second; never say more than a window.
    return max(1, min(window, math.ceil(current.reset_at - time.time())))


def describe(error: RateLimitExceeded, seconds: int) -> str:
    """'At most 10 PDF renders and exports per 1 minute; try again in 42 seconds.'"""
    scope = error.limit.scope if isinstance(error.limit.scope, str) else ""
    what = LIMITS.get(scope, "requests")
    _amount, _, window = str(error.limit.limit).partition(" per ")
    return f"At most {error.limit.limit.amount} {what} per {window}; try again in {_wait(seconds)}."


def _wait(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"
