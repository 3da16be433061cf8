"""The hiring reports' pages: funnel, time in stage, sources, open requisitions, overdue
scorecards.

Admins see every requisition's numbers, recruiters and hiring managers those of their own
requisitions (app.reports.scope); anyone else gets 403. Each report is a page (its table,
its chart as an image, a CSV link), a chart route (image/svg+xml) and a CSV route, all with
the same filters; a bad filter is a 400 naming it, a requisition the viewer may not see a
404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.accounts.permissions import roles_required
from app.clock import utcnow
from app.ladder_access import get_ladder
from app.reports import charts, csv_files, queries
from app.reports.filters import ReportFilters, parse_filters
from app.reports.present import REPORTS, Report, days, level_title
from app.reports.scope import REPORT_ROLES
from app.routing import Routes
from pipelines.insight import MIN_SAMPLE, NOT_ENOUGH
from pipelines.reports import reason_label

routes = Routes()


def _form_context(filters: ReportFilters, problems: dict[str, list[str]]) -> dict[str, Any]:
    ladder = get_ladder()
    choices = queries.requisition_choices(current_user)
    return {
        "filters": filters,
        "problems": problems,
        "requisitions": choices,
        "families": ladder.families,
        "raw": {
            k: (request.args.get(k) or "")[:100]
            for k in ("requisition_id", "level", "family", "from", "to")
        },
    }


@routes.get("/")
@roles_required(*REPORT_ROLES)
def index() -> ResponseReturnValue:
    filters, problems = parse_filters(request.args, get_ladder())
    return (
        render_template(
            "reports/index.html",
            reports=list(REPORTS.values()),
            **_form_context(filters, problems),
        ),
        400 if problems else 200,
    )


def _problem_words(problems: dict[str, list[str]]) -> str:
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in problems.items())


def _page(report: Report) -> ResponseReturnValue:
    filters, problems = parse_filters(request.args, get_ladder())
    values: dict[str, Any] = {}
    status = 200
    if problems:
        status = 400
    else:
        context = queries.report_context(current_user, filters)
        if context is None:
            abort(404)
        result = report.compute(context, utcnow())
        values = {
            "context": context,
            "result": result,
            "table": report.table(result),
            "empty": report.empty(result),
        }
    return (
        render_template(
            f"reports/{report.slug}.html",
            report=report,
            days=days,
            level_title=level_title,
            not_enough=NOT_ENOUGH,
            min_sample=MIN_SAMPLE,
            reason_label=reason_label,
            chart_url=url_for(f"reports.{_endpoint(report)}_chart", **filters.args()),
            csv_url=url_for(f"reports.{_endpoint(report)}_csv", **filters.args()),
            **values,
            **_form_context(filters, problems),
        ),
        status,
    )


def _computed(report: Report) -> Any:
    filters, problems = parse_filters(request.args, get_ladder())
    if problems:
        abort(400, description=_problem_words(problems))
    context = queries.report_context(current_user, filters)
    if context is None:
        abort(404)
    return report.compute(context, utcnow())


def _chart(report: Report) -> ResponseReturnValue:
    return charts.svg_response(report.chart(_computed(report)))


def _csv(report: Report) -> ResponseReturnValue:
    table = report.table(_computed(report))
    return csv_files.csv_response(f"{report.slug}.csv", table.header, table.rows)


def _endpoint(report: Report) -> str:
    return report.slug.replace("-", "_")


def _register(report: Report) -> None:
    name = _endpoint(report)

    def bind(make: Callable[[Report], ResponseReturnValue], suffix: str) -> Callable[[], Any]:
        def view() -> ResponseReturnValue:
            return make(report)

        view.__name__ = name + suffix
        return roles_required(*REPORT_ROLES)(view)

    routes.get(f"/{report.slug}", endpoint=name)(bind(_page, ""))
    routes.get(f"/{report.slug}.svg", endpoint=f"{name}_chart")(bind(_chart, "_chart"))
    routes.get(f"/{report.slug}.csv", endpoint=f"{name}_csv")(bind(_csv, "_csv"))


for _report in REPORTS.values():
    _register(_report)
