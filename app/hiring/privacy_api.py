"""JSON API for a candidate's data: export (a zip), erasure, consent.

Recruiters and admins only; anyone else signed in gets 404, like an id that names nothing.
"""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, caller
from app.api.errors import ApiError, refused, stale_version
from app.hiring import bodies, represent
from app.hiring.access import candidate_for_privacy_or_404
from app.hiring.cv_storage import configured_store
from app.hiring.export import candidate_zip, export_filename, zip_download
from app.rate_limits import expensive
from app.routing import Routes
from app.services import privacy
from app.services.errors import ConflictError, ServiceError

routes = Routes()


def _conflict(exc: ServiceError, current_version: int) -> ApiError:
    if isinstance(exc, ConflictError):
        return stale_version(str(exc), current_version=current_version)
    return refused(str(exc))


@routes.get("/candidates/<int:candidate_id>/export")
@expensive
@api_login_required
def candidate_export(candidate_id: int) -> ResponseReturnValue:
    user = caller()
    candidate = candidate_for_privacy_or_404(candidate_id, user)
    data = candidate_zip(candidate)
    filename = export_filename(candidate)
    privacy.record_export(candidate, actor=user, channel="api")
    return zip_download(data, filename)


@routes.post("/candidates/<int:candidate_id>/erase")
@api_login_required
def candidate_erase(candidate_id: int) -> ResponseReturnValue:
    user = caller()
    candidate = candidate_for_privacy_or_404(candidate_id, user)
    values, problems = bodies.ERASE.parse()
    problems.check()
    try:
        privacy.erase_candidate(
            candidate,
            actor=user,
            expected_version=values["version"],
            remove_cv=configured_store().delete_if_present,
            channel="api",
        )
    except (ConflictError, privacy.AlreadyErasedError) as exc:
        raise _conflict(exc, candidate.version) from None
    return jsonify(represent.candidate(candidate))


@routes.post("/candidates/<int:candidate_id>/consent")
@api_login_required
def candidate_consent(candidate_id: int) -> ResponseReturnValue:
    user = caller()
    candidate = candidate_for_privacy_or_404(candidate_id, user)
    values, problems = bodies.CONSENT.parse()
    bodies.check_consent_version(values, problems)
    problems.check()
    try:
        privacy.renew_consent(
            candidate,
            consent_on=values["consent_on"],
            version=values["consent_version"],
            expected_version=values["version"],
            actor=user,
            channel="api",
        )
    except (ConflictError, privacy.AlreadyErasedError) as exc:
        raise _conflict(exc, candidate.version) from None
    except ServiceError as exc:
        raise ApiError(422, str(exc), fields={"consent_on": [str(exc)]}) from None
    return jsonify(represent.candidate(candidate))
