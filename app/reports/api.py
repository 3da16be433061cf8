"""The hiring reports in the API: the same numbers as the pages, with the same filters
(``requisition_id``, ``level``, ``family``, ``from``, ``to``).

Admins, recruiters and hiring managers (others 403); recruiters and hiring managers get the
numbers of their own requisitions only. A bad filter is a 422 naming it; a requisition the
caller may not see a 404.
"""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from app.api.auth import api_roles, caller
from app.api.errors import ApiError, Problems
from app.clock import utcnow
from app.ladder_access import get_ladder
from app.reports import queries
from app.reports.filters import parse_filters
from app.reports.present import REPORTS
from app.reports.scope import REPORT_ROLES
from app.routing import Routes

routes = Routes()


def _report(slug: str) -> ResponseReturnValue:
    report = REPORTS[slug]
    filters, found = parse_filters(request.args, get_ladder())
    problems = Problems()
    for name, messages in found.items():
        for message in messages:
            problems.add(name, message)
    problems.check()
    context = queries.report_context(caller(), filters)
    if context is None:
        raise ApiError(404, "No such requisition, or you may not see its numbers.")
    return jsonify(report.as_json(context, report.compute(context, utcnow())))


@routes.get("/reports/funnel")
@api_roles(*REPORT_ROLES)
def report_funnel() -> ResponseReturnValue:
    return _report("funnel")


@routes.get("/reports/time-in-stage")
@api_roles(*REPORT_ROLES)
def report_time_in_stage() -> ResponseReturnValue:
    return _report("time-in-stage")


@routes.get("/reports/sources")
@api_roles(*REPORT_ROLES)
def report_sources() -> ResponseReturnValue:
    return _report("sources")


@routes.get("/reports/open-requisitions")
@api_roles(*REPORT_ROLES)
def report_open_requisitions() -> ResponseReturnValue:
    return _report("open-requisitions")


@routes.get("/reports/overdue-scorecards")
@api_roles(*REPORT_ROLES)
def report_overdue_scorecards() -> ResponseReturnValue:
    return _report("overdue-scorecards")
