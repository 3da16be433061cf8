"""Two-step sign-in (TOTP): one enrolment per user and its single-use recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db import db
from app.models.columns import UTCDateTime


class MfaEnrolment(db.Model):  # type: ignore[name-defined,misc]
    """A user's authenticator secret. Two-step sign-in is on once ``confirmed_at`` is set;
    before that the secret waits for its first right code."""

    __tablename__ = "mfa_enrolments"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # The base32 secret, encrypted (Fernet) with a key derived from SECRET_KEY.
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The TOTP time step of the last code accepted: a code of that step or an earlier
    # one is refused, so a code works once.
    last_used_step: Mapped[int | None] = mapped_column(Integer)


class MfaRecoveryCode(db.Model):  # type: ignore[name-defined,misc]
    """A single-use recovery code; only its SHA-256 is stored."""

    __tablename__ = "mfa_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)
