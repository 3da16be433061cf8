"""Interviewer calibration and quality of hire pages: each a table, a chart served as its
own SVG image, and a CSV download, all under the same filters (a GET form; no JavaScript).

Who sees what is decided in :mod:`app.reports.calibration_reports`: calibration for every
signed-in person (their own row; admins everyone's), quality of hire for admins and, for
their own requisitions' hires, recruiters and hiring managers.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.accounts.permissions import roles_required
from app.models import Role
from app.reports import calibration_reports as reports
from app.reports.charts import bar_chart, svg_response
from app.reports.csv_files import csv_response
from app.reports.scope import REPORT_ROLES
from app.routing import Routes
from pipelines import calibration as rules
from pipelines import hire_quality
from pipelines.calibration import SCALE_LABELS, CalibrationReport, Filters
from pipelines.hire_quality import QualityReport

routes = Routes()


def _filters_or_400(*, with_interviewer: bool) -> Filters:
    filters, problems = reports.parse(request.args, with_interviewer=with_interviewer)
    if problems:
        field, messages = sorted(problems.items())[0]
        abort(400, description=f"The filter '{field}' is not valid: {messages[0]}")
    return filters


def _calibration_or_404(filters: Filters) -> CalibrationReport:
    try:
        return reports.calibration_for(current_user, filters)
    except reports.NotVisible:
        abort(404)


def _form_context() -> dict[str, object]:
    return {
        "families": reports.family_choices(),
        "levels": reports.level_choices(),
        "args": request.args,
    }


# --- interviewer calibration ---------------------------------------------------------------


@routes.get("/calibration")
@login_required
def calibration() -> ResponseReturnValue:
    filters, problems = reports.parse(request.args, with_interviewer=True)
    report = None
    if not problems:
        report = _calibration_or_404(filters)
    html = render_template(
        "reports/calibration.html",
        report=report,
        filters=filters,
        problems=problems,
        query=filters.query(),
        overview_query={k: v for k, v in filters.query().items() if k != "interviewer"},
        scale=SCALE_LABELS,
        admin=current_user.has_role(Role.ADMIN),
        **_form_context(),
    )
    return html, 400 if problems else 200


def _calibration_chart(report: CalibrationReport) -> bytes:
    """One interviewer: their rating distribution beside the panel's; several: each
    one's leniency."""
    title = calibration_chart_title(report)
    if len(report.interviewers) == 1:
        row = report.interviewers[0]
        series = [
            (row.name, [s.value for s in row.ratings.shares]),
            ("All interviewers", [s.value for s in report.panel_ratings.shares]),
        ]
        return bar_chart(title, SCALE_LABELS, series, value_label="share of ratings", percent=True)
    rows = report.interviewers
    return bar_chart(
        title,
        [row.name for row in rows],
        [("leniency", [row.leniency.value for row in rows])],
        value_label="points above (+) or below (-) the others",
    )


@routes.get("/calibration/chart.svg")
@login_required
def calibration_chart() -> ResponseReturnValue:
    report = _calibration_or_404(_filters_or_400(with_interviewer=True))
    return svg_response(_calibration_chart(report))


@routes.get("/calibration.csv")
@login_required
def calibration_csv() -> ResponseReturnValue:
    report = _calibration_or_404(_filters_or_400(with_interviewer=True))
    header, rows = rules.csv_rows(report)
    return csv_response("calibration.csv", header, rows)


# --- quality of hire -------------------------------------------------------------------------


@routes.get("/quality-of-hire")
@roles_required(*REPORT_ROLES)
def quality_of_hire() -> ResponseReturnValue:
    filters, problems = reports.parse(request.args, with_interviewer=False)
    report = None if problems else reports.quality_for(current_user, filters)
    html = render_template(
        "reports/quality_of_hire.html",
        report=report,
        filters=filters,
        problems=problems,
        query=filters.query(),
        months=reports.observed_months(),
        **_form_context(),
    )
    return html, 400 if problems else 200


def _quality_chart(report: QualityReport) -> bytes:
    rows = [report.overall, *report.steps, *report.recommendations]
    return bar_chart(
        f"Promoted since hiring (hires of {report.months}+ months ago)",
        [row.label for row in rows],
        [("promoted", [row.promoted.value for row in rows])],
        value_label="share promoted",
        percent=True,
    )


@routes.get("/quality-of-hire/chart.svg")
@roles_required(*REPORT_ROLES)
def quality_of_hire_chart() -> ResponseReturnValue:
    report = reports.quality_for(current_user, _filters_or_400(with_interviewer=False))
    return svg_response(_quality_chart(report))


@routes.get("/quality-of-hire.csv")
@roles_required(*REPORT_ROLES)
def quality_of_hire_csv() -> ResponseReturnValue:
    report = reports.quality_for(current_user, _filters_or_400(with_interviewer=False))
    header, rows = hire_quality.csv_rows(report)
    return csv_response("quality-of-hire.csv", header, rows)


@routes.template_global
def calibration_chart_title(report: CalibrationReport) -> str:
    """The chart's accessible name (its <img alt>)."""
    if len(report.interviewers) == 1:
        return f"Criterion ratings: {report.interviewers[0].name} and the panel"
    return "Leniency of each interviewer, in points against the others"
