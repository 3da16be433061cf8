"""Interviewer calibration and quality of hire in the API: the same reports as the pages,
with the same permissions (see :mod:`app.reports.calibration_reports`)."""

from __future__ import annotations

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, api_roles, caller
from app.api.errors import ApiError
from app.reports import calibration_reports as reports
from app.reports.scope import REPORT_ROLES
from app.routing import Routes

routes = Routes()


def _filters(*, with_interviewer: bool) -> reports.Filters:
    filters, problems = reports.parse(request.args, with_interviewer=with_interviewer)
    if problems:
        raise ApiError(
            422, "Some filters are not valid; see 'fields'.", fields=dict(sorted(problems.items()))
        )
    return filters


@routes.get("/reports/calibration")
@api_login_required
def calibration_report() -> ResponseReturnValue:
    """Admins: every interviewer (or ?interviewer=); others: their own row only."""
    viewer = caller()
    filters = _filters(with_interviewer=True)
    try:
        report = reports.calibration_for(viewer, filters)
    except reports.NotVisible:
        abort(404)
    return jsonify(reports.calibration_json(report, filters))


@routes.get("/reports/quality-of-hire")
@api_roles(*REPORT_ROLES)
def quality_of_hire_report() -> ResponseReturnValue:
    viewer = caller()
    filters = _filters(with_interviewer=False)
    return jsonify(reports.quality_json(reports.quality_for(viewer, filters), filters))
