"""Accounts: users, their roles, sign-in sessions, API tokens, sign-in counters and
password resets."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.db import db
from app.models.columns import EnumText, UTCDateTime, one_of


class Role(enum.StrEnum):
    ADMIN = "admin"
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    INTERVIEWER = "interviewer"
    TEAM_MEMBER = "team_member"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class TokenScope(enum.StrEnum):
    """What an API token may do: read (GET, HEAD, OPTIONS) or read and write."""

    READ = "read"
    WRITE = "write"


class User(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-cased: the unique constraint is then case-insensitive everywhere.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the person stands on the career ladder (a ladder level id) and who manages them.
    level_id: Mapped[str | None] = mapped_column(String(100), index=True)
    specialty_id: Mapped[str | None] = mapped_column(String(100))
    level_since: Mapped[date | None] = mapped_column(Date)
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The last day at the company, when recorded (quality of hire reads it).
    left_on: Mapped[date | None] = mapped_column(Date)
    # Set when someone else chose the password (an admin, the CLI): the user must pick
    # their own at the next sign-in before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # An IANA zone ("Europe/Berlin"); None: the installation's default zone. Times are
    # stored in UTC and shown in this zone on pages, PDFs and messages.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # {message kind: "immediate" | "digest" | "off"} for the kinds a person may choose
    # (pipelines.outbox.KINDS); a kind not named here comes right away.
    notification_preferences: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="UserRole.role",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        # The admin's users list, by e-mail address, of the active or the deactivated
        # (the unique constraint on the address serves it unfiltered).
        Index("ix_users_active_email", "active", "email"),
        # Whether any demo account exists (the banner) is one probe, however many users.
        Index(
            "ix_users_demo",
            "id",
            sqlite_where=text("is_demo = 1"),
            postgresql_where=text("is_demo = true"),
        ),
    )

    # Set by the session loader: the sign-in session this request runs under.
    current_session_token = None  # str | None; not a column
    current_session_id = None  # int | None; not a column

    # What Flask-Login asks of a signed-in user (is_active, is_authenticated, is_anonymous,
    # get_id), answered here so that the model needs nothing of the web.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        # Flask-Login stores this in the cookie: it names the sign-in session, not the
        # user, so that signing out revokes exactly that session.
        return self.current_session_token

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.roles)

    def has_role(self, *roles: Role | str) -> bool:
        have = {r.role for r in self.roles}
        return any(str(role) in have for role in roles)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(EnumText(Role, 32), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (
        one_of("role", Role, name="role_valid"),
        # Who holds a role (the users list filtered by role), without reading every user.
        Index("ix_user_roles_role", "role", "user_id"),
    )


class UserSession(db.Model):  # type: ignore[name-defined,misc]
    """One sign-in. The cookie carries a random token; only its hash is stored.

    Whether it is still alive is decided from these columns on every request
    (app/services/session_policy.py): idle time since ``last_seen_at``, age since
    ``created_at``, longer for a remembered sign-in.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    # Shown to the user in their list of sessions, so they can tell their devices apart.
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(256))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it ended: "sign_out", "idle", "expired", "ended" (by the user from another
    # session), "password", "mfa" (two-step sign-in turned on, off or reset), "admin",
    # "deactivated".
    end_reason: Mapped[str | None] = mapped_column(String(16))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, shown so a person can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The source address of that use (IPv6 at most 45 characters).
    last_used_address: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scope: Mapped[TokenScope] = mapped_column(EnumText(TokenScope, 8))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (one_of("scope", TokenScope, name="scope_valid"),)


class SignInCounter(db.Model):  # type: ignore[name-defined,misc]
    """Sign-in attempts in the current window, per account-and-address or per address.

    Counted with one atomic upsert before the password is checked, so parallel attempts
    cannot slip past the limit. ``key`` is a hash: no e-mail address or IP is kept here.
    """

    __tablename__ = "sign_in_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PasswordReset(db.Model):  # type: ignore[name-defined,misc]
    """A single-use link to choose a new password; only the token's hash is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
