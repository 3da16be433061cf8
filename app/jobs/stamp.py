"""The application form's time stamp: signed with the app's secret, it tells when the form
was shown, so a form sent back faster than a person can fill it in (or with no stamp, or a
forged one) is refused as a bot's."""

from __future__ import annotations

import time
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "hireladder.jobs.apply-stamp"
#: A form older than this is stale (a new stamp is given; the applicant sends it again).
MAX_AGE_SECONDS = 2 * 24 * 3600


class StampCheck(StrEnum):
    OK = "ok"
    MISSING = "missing"
    FORGED = "forged"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def make_stamp(requisition_id: int, *, issued: float | None = None) -> str:
    """A stamp for the form of this posting, issued now (or at ``issued``, for tests)."""
    moment = time.time() if issued is None else issued
    return str(_serializer().dumps({"r": requisition_id, "t": round(moment, 3)}))


def check_stamp(raw: str | None, requisition_id: int, *, now: float | None = None) -> StampCheck:
    if not raw:
        return StampCheck.MISSING
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return StampCheck.FORGED
    if not isinstance(data, dict) or data.get("r") != requisition_id:
        return StampCheck.FORGED
    issued = data.get("t")
    if not isinstance(issued, (int, float)):
        return StampCheck.FORGED
    age = (time.time() if now is None else now) - issued
    if age < float(current_app.config["APPLY_MIN_SECONDS"]):
        return StampCheck.TOO_FAST
    if age > MAX_AGE_SECONDS:
        return StampCheck.EXPIRED
    return StampCheck.OK
