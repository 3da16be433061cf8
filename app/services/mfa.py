"""Two-step sign-in with TOTP (RFC 6238) and single-use recovery codes.

The authenticator secret is stored encrypted (Fernet, AES-128-CBC + HMAC-SHA256) with a
key derived from SECRET_KEY by HKDF: a copy of the database or of a backup alone then
does not let anyone produce codes. The price is that changing SECRET_KEY makes stored
secrets unreadable; those users sign in with a recovery code or are reset by an admin
(``flask users mfa-reset EMAIL``). Recovery codes are stored as SHA-256 hashes only.

Codes are single-use: accepting a TOTP code records its time step with one conditional
UPDATE, and a recovery code is spent with another, so two requests racing with the same
code cannot both succeed.
"""

from __future__ import annotations

import base64
import enum
import hmac
from datetime import datetime
from typing import Any

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from app import clock
from app.db import db
from app.models import MfaEnrolment, MfaRecoveryCode, User
from app.services import audit, sessions
from app.services.errors import ServiceError
from app.services.mfa_rules import (
    new_recovery_codes,
    normalize_recovery_code,
    normalize_totp_code,
    recovery_code_hash,
    required_for,
)
from app.services.passwords import verify_password

# Codes from the step before and after the current one are accepted too (clock drift
# between the phone and the server, and the time it takes to type).
VALID_WINDOW = 1


class WrongProofError(ServiceError):
    """Neither the password nor a current code was given to confirm a change."""


class CodeKind(enum.StrEnum):
    TOTP = "totp"
    RECOVERY_CODE = "recovery_code"


def _fernet() -> Fernet:
    secret_key = str(current_app.config["SECRET_KEY"]).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"hireladder mfa secret"
    ).derive(secret_key)
    return Fernet(base64.urlsafe_b64encode(key))


def _encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def _rows_changed(statement: Any) -> int:
    """Run a conditional UPDATE; how many rows it changed (0 when the condition lost)."""
    return int(db.session.execute(statement).rowcount)  # type: ignore[attr-defined]


def enrolment(user: User) -> MfaEnrolment | None:
    return db.session.get(MfaEnrolment, user.id)


def is_enabled(user: User) -> bool:
    """Whether ``user`` signs in with a second step."""
    return (
        db.session.scalar(
            select(MfaEnrolment.user_id).where(
                MfaEnrolment.user_id == user.id, MfaEnrolment.confirmed_at.is_not(None)
            )
        )
        is not None
    )


def required_roles() -> tuple[str, ...]:
    return tuple(current_app.config.get("MFA_REQUIRED_ROLES", ()))


def is_required(user: User) -> bool:
    """Whether ``user``'s roles oblige them to use two-step sign-in."""
    return required_for((r.role for r in user.roles), required_roles())


def recovery_codes_left(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(MfaRecoveryCode)
            .where(MfaRecoveryCode.user_id == user.id, MfaRecoveryCode.used_at.is_(None))
        )
        or 0
    )


# --- enrolment ----------------------------------------------------------------------


def start_enrolment(user: User) -> str:
    """Create (or replace) a secret that waits for its first right code; return it."""
    row = enrolment(user)
    if row is not None and row.confirmed_at is not None:
        raise ServiceError("Two-step sign-in is already on for this account.")
    secret = pyotp.random_base32()
    if row is None:
        db.session.add(MfaEnrolment(user_id=user.id, secret_encrypted=_encrypt(secret)))
    else:
        row.secret_encrypted = _encrypt(secret)
        row.created_at = clock.utcnow()
        row.last_used_step = None
    audit.record("mfa.setup_started", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return secret


def pending_secret(user: User) -> str | None:
    """The secret of an enrolment not confirmed yet (to show it again), or None."""
    row = enrolment(user)
    if row is None or row.confirmed_at is not None:
        return None
    return _decrypt(row.secret_encrypted)


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=str(current_app.config.get("MFA_ISSUER", "HireLadder"))
    )


def qr_code_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI (the CSP allows data: images)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#111"))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_enrolment(user: User, code: str, *, now: datetime | None = None) -> list[str]:
    """Switch two-step sign-in on once a code from the new secret is right; return the
    recovery codes, shown to the person once."""
    now = now or clock.utcnow()
    row = enrolment(user)
    if row is None or row.confirmed_at is not None:
        raise ServiceError("There is no two-step set-up waiting: start it again.")
    secret = _decrypt(row.secret_encrypted)
    digits = normalize_totp_code(code)
    step = _matching_step(secret, digits, now) if secret and digits else None
    if step is None:
        raise ServiceError(
            "That code is not right. Enter the 6-digit code your authenticator app shows "
            "now for HireLadder."
        )
    changed = _rows_changed(
        update(MfaEnrolment)
        .where(MfaEnrolment.user_id == user.id, MfaEnrolment.confirmed_at.is_(None))
        .values(confirmed_at=now, last_used_step=step)
    )
    if changed != 1:
        db.session.rollback()
        raise ServiceError("Two-step sign-in was changed at the same time; reload the page.")
    codes = _replace_recovery_codes(user, now)
    # A factor changed: every other session of the account ends (ASVS 7.4.3).
    ended = sessions.end_all(user, reason="mfa", keep_token=user.current_session_token)
    audit.record(
        "mfa.enable",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary={"sessions_ended": ended},
    )
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User, now: datetime) -> list[str]:
    db.session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    codes = new_recovery_codes()
    db.session.add_all(
        MfaRecoveryCode(user_id=user.id, code_hash=recovery_code_hash(c), created_at=now)
        for c in codes
    )
    return codes


# --- codes --------------------------------------------------------------------------


def _spend_totp(user: User, row: MfaEnrolment, code: str, now: datetime) -> bool:
    secret = _decrypt(row.secret_encrypted)
    step = _matching_step(secret, code, now) if secret else None
    if step is None:
        return False
    # Accepted only if no code of this step or a later one was used before.
    changed = _rows_changed(
        update(MfaEnrolment)
        .where(
            MfaEnrolment.user_id == user.id,
            MfaEnrolment.confirmed_at.is_not(None),
            or_(MfaEnrolment.last_used_step.is_(None), MfaEnrolment.last_used_step < step),
        )
        .values(last_used_step=step)
    )
    return changed == 1


def _spend_recovery_code(user: User, code: str, now: datetime) -> bool:
    changed = _rows_changed(
        update(MfaRecoveryCode)
        .where(
            MfaRecoveryCode.user_id == user.id,
            MfaRecoveryCode.code_hash == recovery_code_hash(code),
            MfaRecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return changed == 1


def use_code(user: User, text: str, *, now: datetime | None = None) -> CodeKind | None:
    """Spend a code typed by ``user``: a TOTP code or a recovery code. Which kind was
    right, or None. Commits, so a spent code stays spent."""
    now = now or clock.utcnow()
    row = enrolment(user)
    if row is None or row.confirmed_at is None:
        return None
    kind: CodeKind | None = None
    digits = normalize_totp_code(text)
    if digits is not None:
        if _spend_totp(user, row, digits, now):
            kind = CodeKind.TOTP
    else:
        recovery = normalize_recovery_code(text)
        if recovery is not None and _spend_recovery_code(user, recovery, now):
            kind = CodeKind.RECOVERY_CODE
            audit.record(
                "mfa.recovery_code_used",
                actor=user,
                object_type="user",
                object_id=user.id,
                summary={"left": recovery_codes_left(user)},
            )
    db.session.commit()
    return kind


def _check_proof(user: User, proof: str, now: datetime) -> str:
    """``password`` or the kind of code ``proof`` was; ServiceError if neither."""
    if normalize_totp_code(proof) or normalize_recovery_code(proof):
        kind = use_code(user, proof, now=now)
        if kind is not None:
            return str(kind)
    if verify_password(user.password_hash, proof):
        return "password"
    raise WrongProofError(
        "That is neither your password nor a current code: enter your password, a code "
        "from your authenticator app, or a recovery code."
    )


def disable(user: User, proof: str, *, now: datetime | None = None) -> None:
    """Switch two-step sign-in off; ``proof`` is the password or a current code."""
    now = now or clock.utcnow()
    if not is_enabled(user):
        raise ServiceError("Two-step sign-in is not on for this account.")
    how = _check_proof(user, proof, now)
    _remove(user)
    ended = sessions.end_all(user, reason="mfa", keep_token=user.current_session_token)
    audit.record(
        "mfa.disable",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary={"proof": how, "sessions_ended": ended},
    )
    db.session.commit()


def regenerate_recovery_codes(user: User, proof: str, *, now: datetime | None = None) -> list[str]:
    """New recovery codes (the old ones stop working); ``proof`` as for :func:`disable`."""
    now = now or clock.utcnow()
    if not is_enabled(user):
        raise ServiceError("Two-step sign-in is not on for this account.")
    how = _check_proof(user, proof, now)
    codes = _replace_recovery_codes(user, now)
    audit.record(
        "mfa.recovery_codes",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary={"proof": how, "count": len(codes)},
    )
    db.session.commit()
    return codes


def _remove(user: User) -> None:
    db.session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    db.session.execute(delete(MfaEnrolment).where(MfaEnrolment.user_id == user.id))


def reset(user: User, *, actor: User | None, channel: str = "web") -> bool:
    """Remove ``user``'s two-step sign-in (a lost phone); an admin's or the CLI's act.
    Whether there was anything to remove."""
    had = enrolment(user) is not None
    _remove(user)
    # Whoever holds the lost phone may hold a signed-in browser too.
    ended = sessions.end_all(user, reason="mfa")
    audit.record(
        "mfa.reset",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={"had_mfa": had, "sessions_ended": ended},
    )
    db.session.commit()
    return had
