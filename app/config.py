"""Settings from the environment.

Tests pass a mapping to ``create_app`` instead; production refuses to start without the
values it cannot safely invent.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from pipelines.privacy import DEFAULT_RETENTION_MONTHS

ENVIRONMENTS = ("development", "production", "testing")
FALSE = ("0", "false", "no", "off")


class ConfigError(RuntimeError):
    """A required setting is missing or invalid."""


def _positive_int(raw: str | None, default: int, name: str) -> int:
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of months, not {raw!r}.") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, not {value}.")
    return value


def _development_secret_key(instance_path: Path) -> str:
    """Generate the development secret key once and keep it in ``instance/``."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    """A positive whole number from the environment, or a clear error naming it."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than 0, not {value}")
    return value


MFA_DEFAULT_REQUIRED_ROLES = "admin,recruiter"


def _mfa_required_roles(env: Mapping[str, str], mode: str) -> tuple[str, ...]:
    from app.models.user import Role
    from app.services.mfa_rules import parse_role_list

    default = MFA_DEFAULT_REQUIRED_ROLES if mode == "production" else ""
    roles = parse_role_list(env.get("HIRELADDER_MFA_REQUIRED_ROLES", default))
    known = {r.value for r in Role}
    unknown = [r for r in roles if r not in known]
    if unknown:
        raise ConfigError(
            f"HIRELADDER_MFA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}; "
            f"the roles are {', '.join(sorted(known))}."
        )
    return roles


def _proxy_hops(env: Mapping[str, str]) -> int:
    raw = env.get("HIRELADDER_PROXY_HOPS", "").strip()
    if not raw:
        return 0
    if not raw.isdigit():
        raise ConfigError(f"HIRELADDER_PROXY_HOPS must be a whole number (0 or more), not {raw!r}")
    return int(raw)


def _random_page_cost(env: Mapping[str, str]) -> float | None:
    raw = env.get("HIRELADDER_PG_RANDOM_PAGE_COST", "1.1").strip()
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 100:
        raise ConfigError(
            "HIRELADDER_PG_RANDOM_PAGE_COST must be a number above 0 (e.g. 1.1 on SSD "
            f"storage) or empty to leave the server's own, not {raw!r}"
        )
    return value


def _smtp_url(env: Mapping[str, str], mode: str) -> str | None:
    from app.notifications.smtp import SmtpSettingsError, parse_smtp_url

    raw = env.get("HIRELADDER_SMTP_URL", "").strip()
    if not raw:
        return None
    try:
        parse_smtp_url(raw)
    except SmtpSettingsError as error:
        raise ConfigError(f"HIRELADDER_SMTP_URL: {error}") from None
    return raw


def _base_url(env: Mapping[str, str], mode: str) -> str | None:
    raw = env.get("HIRELADDER_BASE_URL", "").strip().rstrip("/")
    if not raw:
        return {"development": "http://127.0.0.1:5000", "testing": "http://localhost"}.get(mode)
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(
            f"HIRELADDER_BASE_URL must start with http:// or https://, not {raw!r}"
        )
    return raw


def _zone_setting(env: Mapping[str, str]) -> str:
    from pipelines.timezones import DEFAULT_ZONE, is_zone

    raw = env.get("HIRELADDER_DEFAULT_TIMEZONE", "").strip() or DEFAULT_ZONE
    if not is_zone(raw):
        raise ConfigError(
            f"HIRELADDER_DEFAULT_TIMEZONE must be an IANA time zone such as Europe/Berlin, "
            f"not {raw!r}"
        )
    return raw


def _offer_approval(env: Mapping[str, str]) -> str:
    from pipelines.offers import ApprovalPolicy

    raw = env.get("HIRELADDER_OFFER_APPROVAL", "").strip().lower() or ApprovalPolicy.OPTIONAL
    if raw not in {policy.value for policy in ApprovalPolicy}:
        raise ConfigError(f"HIRELADDER_OFFER_APPROVAL must be 'always' or 'optional', not {raw!r}")
    return str(raw)


def _planned_days(env: Mapping[str, str]) -> dict[str, float]:
    """``HIRELADDER_REPORT_PLANNED_DAYS="recruiter_screen=3,references=14"``: the planned
    days per kind of stage that the time-in-stage report measures against."""
    from pipelines.plan import StageKind

    out: dict[str, float] = {}
    raw = env.get("HIRELADDER_REPORT_PLANNED_DAYS", "").strip()
    kinds = {kind.value for kind in StageKind}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        kind, _, days = part.partition("=")
        kind = kind.strip()
        try:
            value = float(days)
        except ValueError:
            value = -1.0
        if kind not in kinds or not 0 < value <= 365:
            raise ConfigError(
                "HIRELADDER_REPORT_PLANNED_DAYS takes kind=days pairs separated by commas "
                f"(kinds: {', '.join(sorted(kinds))}; 0 < days <= 365), not {part!r}"
            )
        out[kind] = value
    return out


def load_config(
    instance_path: Path,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the Flask config for one process.

    ``environ`` defaults to ``os.environ``; ``overrides`` (tests) win over everything.
    """
    env = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    mode = overrides.get("HIRELADDER_ENV") or env.get("HIRELADDER_ENV", "development")
    if mode not in ENVIRONMENTS:
        raise ConfigError(f"HIRELADDER_ENV must be one of {', '.join(ENVIRONMENTS)}, not {mode!r}")
    production = mode == "production"

    secret_key = overrides.get("SECRET_KEY") or env.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. In production HireLadder refuses to start without "
                "one: set SECRET_KEY to a long random value, e.g. "
                '`python -c "import secrets; print(secrets.token_hex(32))"`.'
            )
        secret_key = _development_secret_key(instance_path)

    default_db = f"sqlite:///{instance_path / 'hireladder.db'}"
    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or env.get("DATABASE_URL", default_db)
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url.removeprefix("postgres://")
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    config: dict[str, Any] = {
        "HIRELADDER_ENV": mode,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # PostgreSQL: the planner's price of a random read, set on each new connection
        # (app/postgres.py); empty leaves the server's own.
        "PG_RANDOM_PAGE_COST": _random_page_cost(env),
        # Sessions are signed cookies: web processes stay stateless.
        "SESSION_COOKIE_NAME": "hireladder_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_NAME": "hireladder_remember",
        "REMEMBER_COOKIE_DURATION": timedelta(
            days=min(14, _int(env, "HIRELADDER_REMEMBER_DAYS", 14))
        ),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        # CSRF is checked in a before_request hook so that bearer-token API calls
        # (and only those) can be exempt.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "MAX_CONTENT_LENGTH": int(env.get("HIRELADDER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)),
        # argon2id parameters (argon2-cffi's RFC 9106 low-memory profile by default).
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 64 * 1024,
        "ARGON2_PARALLELISM": 4,
        # Sign-in throttling: attempts checked per window, per account-and-address (so
        # nobody elsewhere can lock the owner out) and per address (one address trying
        # many accounts). Successes give their attempt back.
        "LOGIN_THROTTLE_WINDOW": timedelta(minutes=15),
        "LOGIN_THROTTLE_ACCOUNT_LIMIT": _int(env, "HIRELADDER_SIGN_IN_ACCOUNT_LIMIT", 5),
        "LOGIN_THROTTLE_ADDRESS_LIMIT": _int(env, "HIRELADDER_SIGN_IN_ADDRESS_LIMIT", 20),
        # How long a sign-in lasts, checked on the server on every request: it ends after
        # this long without a request, and this long after sign-in at the latest; a
        # remembered sign-in ("keep me signed in") ignores idle time but ends this long
        # after sign-in (at most 14 days, whatever is set).
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=_int(env, "HIRELADDER_SESSION_IDLE_MINUTES", 30)),
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=_int(env, "HIRELADDER_SESSION_MAX_HOURS", 12)),
        "SESSION_REMEMBER_LIFETIME": timedelta(
            days=min(14, _int(env, "HIRELADDER_REMEMBER_DAYS", 14))
        ),
        # How many reverse proxies in front add X-Forwarded-For/-Proto (0: none, trust no
        # such header). Sign-in throttling, rate limits and the audit log use the address.
        "PROXY_HOPS": _proxy_hops(env),
        # A session's last use is written at most this often.
        "SESSION_TOUCH_INTERVAL": timedelta(minutes=1),
        # Cards per column of a pipeline board; a column shows more on request.
        "BOARD_CARDS_PER_COLUMN": _int(env, "HIRELADDER_BOARD_CARDS_PER_COLUMN", 10),
        # Rows per section of "My interviews"; a section shows more on request.
        "MY_INTERVIEWS_PER_SECTION": _int(env, "HIRELADDER_MY_INTERVIEWS_PER_SECTION", 20),
        # Each process re-reads whether demo accounts exist (the banner) this often.
        "DEMO_BANNER_RECHECK": timedelta(seconds=30),
        # A password reset link works once, for this long.
        "PASSWORD_RESET_LIFETIME": timedelta(minutes=30),
        # Rate limits (app/rate_limits.py), counted per API token, else per signed-in user,
        # else per source address; "N per second|minute|hour|day". In memory per process
        # by default; name a Redis (redis://127.0.0.1:6379/0) so every process shares them.
        "RATE_LIMITS_ENABLED": env.get("HIRELADDER_RATELIMIT_ENABLED", "1").strip().lower()
        not in FALSE,
        "RATE_LIMITS": {
            # Every request (static files aside), all routes together.
            "default": env.get("HIRELADDER_RATELIMIT_DEFAULT", "300 per minute"),
            # Every POST, PUT, PATCH and DELETE.
            "write": env.get("HIRELADDER_RATELIMIT_WRITE", "60 per minute"),
            # PDF renders and exports.
            "expensive": env.get("HIRELADDER_RATELIMIT_EXPENSIVE", "10 per minute"),
            # Sign-in form posts, per source address (on top of the per-account throttle).
            "sign_in": env.get("HIRELADDER_RATELIMIT_SIGN_IN", "10 per minute"),
            # Applications on the careers site, per source address.
            "apply": env.get("HIRELADDER_RATELIMIT_APPLY", "5 per hour"),
        },
        "RATELIMIT_STORAGE_URI": env.get("HIRELADDER_RATELIMIT_STORAGE_URL", "memory://"),
        # Keys in a shared Redis start with this: two installations can share one server.
        "RATELIMIT_KEY_PREFIX": env.get("HIRELADDER_RATELIMIT_KEY_PREFIX", "hireladder"),
        # Two-step sign-in (TOTP). Holders of these roles must enrol before they can use
        # anything else; HIRELADDER_MFA_REQUIRED_ROLES (comma-separated, may be empty)
        # overrides the default: admin and recruiter, except in development, where the
        # demo accounts of `make run` sign in with a password alone.
        "MFA_REQUIRED_ROLES": _mfa_required_roles(env, mode),
        # How long a sign-in whose password was right waits for its code.
        "MFA_PENDING_LIFETIME": timedelta(minutes=5),
        "MFA_ISSUER": env.get("HIRELADDER_MFA_ISSUER", "HireLadder"),
        # Outgoing mail (app/notifications/): messages are queued with the change that
        # causes them and delivered by `flask worker`. With no SMTP server named, messages
        # are kept and shown on the admin Mail page instead of being sent (development).
        "SMTP_URL": _smtp_url(env, mode),
        "MAIL_FROM": env.get("HIRELADDER_MAIL_FROM", "HireLadder <hireladder@localhost>"),
        # Links in messages start with this (messages are written outside any request).
        "BASE_URL": _base_url(env, mode),
        # Times are shown in each person's own zone; this one for those who chose none.
        "DEFAULT_TIMEZONE": _zone_setting(env),
        # Seconds a worker waits between looks at the outbox when it found nothing to do.
        "WORKER_POLL_SECONDS": _int(env, "HIRELADDER_WORKER_POLL_SECONDS", 5),
        # The careers site (app/jobs/): the employer's name in job postings' JSON-LD, and
        # the fewest seconds between showing the application form and its submission
        # (faster is a bot). HIRELADDER_COMPANY_NAME, HIRELADDER_APPLY_MIN_SECONDS.
        "COMPANY_NAME": env.get("HIRELADDER_COMPANY_NAME", "").strip() or "HireLadder",
        "APPLY_MIN_SECONDS": _int(env, "HIRELADDER_APPLY_MIN_SECONDS", 4),
        "JOBS_PAGE_SIZE": 20,
        "ADMIN_PAGE_SIZE": 25,
        "HIRING_PAGE_SIZE": 20,
        # Offers: "always" an admin's approval before one is extended, or "optional" (the
        # one who drafts it ticks "needs approval"). HIRELADDER_OFFER_APPROVAL.
        "OFFER_APPROVAL": _offer_approval(env),
        # Reports: planned days per kind of stage (time in stage), and how long ago a hire
        # must be to count in quality of hire's rates. HIRELADDER_REPORT_PLANNED_DAYS,
        # HIRELADDER_QUALITY_OF_HIRE_MONTHS.
        "REPORT_PLANNED_DAYS": _planned_days(env),
        "QUALITY_OF_HIRE_MONTHS": _positive_int(
            env.get("HIRELADDER_QUALITY_OF_HIRE_MONTHS"), 12, "HIRELADDER_QUALITY_OF_HIRE_MONTHS"
        ),
        # Candidates' personal data is erased by `flask privacy retention` this many months
        # after their last application closed (hired, declined or withdrawn), unless they
        # renewed consent since. HIRELADDER_RETENTION_MONTHS; at least 1.
        "CANDIDATE_RETENTION_MONTHS": _positive_int(
            env.get("HIRELADDER_RETENTION_MONTHS"),
            DEFAULT_RETENTION_MONTHS,
            "HIRELADDER_RETENTION_MONTHS",
        ),
        # CVs live outside the web root; only the hiring views serve them.
        "CV_STORAGE_DIR": Path(env.get("HIRELADDER_CV_DIR", instance_path / "uploads" / "cv")),
        # Rendered role descriptions, shared by every process of one installation.
        "PDF_CACHE_DIR": Path(env.get("HIRELADDER_PDF_CACHE_DIR", instance_path / "pdf-cache")),
        "LADDER_DATA_DIR": Path(env["HIRELADDER_LADDER_DIR"])
        if env.get("HIRELADDER_LADDER_DIR")
        else None,
    }
    if mode == "testing":
        config.update(
            TESTING=True,
            # Fast hashing in tests only; production keeps the strong default.
            ARGON2_TIME_COST=1,
            ARGON2_MEMORY_COST=8,
            ARGON2_PARALLELISM=1,
            # Tests that are about rate limits switch them on (tests/web/test_rate_limits.py).
            RATE_LIMITS_ENABLED=False,
        )
    config.update(overrides)
    config["HIRELADDER_ENV"] = mode
    return config
