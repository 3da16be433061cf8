"""Each hiring report computed once, then shown four ways from the same numbers: the
page's table, its chart, its CSV file and the API's JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.ladder_access import get_ladder
from app.reports import charts, queries
from app.reports.queries import ReportContext
from pipelines import reports as shape
from pipelines.applications import DeclineReason
from pipelines.insight import Estimate


def days(value: float | None) -> str:
    """Days as a page shows them: one decimal, or a dash."""
    return "-" if value is None else f"{value:.1f}"


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def estimate_json(estimate: Estimate) -> dict[str, Any]:
    return {
        "value": rounded(estimate.value, 4),
        "low": rounded(estimate.low, 4),
        "high": rounded(estimate.high, 4),
        "n": estimate.n,
        "enough": estimate.enough,
    }


def durations_json(d: shape.Durations) -> dict[str, Any]:
    return {
        "n": d.n,
        "mean_days": rounded(d.mean),
        "median_days": rounded(d.median),
        "p90_days": rounded(d.p90),
    }


def level_title(level_id: str) -> str:
    level = get_ladder().levels_by_id.get(level_id)
    return level.title if level is not None else level_id


@dataclass(frozen=True)
class Table:
    """A report's main table: what the page shows, the CSV holds and the chart draws."""

    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


# --- funnel --------------------------------------------------------------------------


def funnel_table(f: shape.Funnel) -> Table:
    reasons = [r.value for r in DeclineReason]
    header = (
        "Stage",
        "Entered",
        "Passed",
        "Pass-through rate",
        "Pass-through low",
        "Pass-through high",
        "Declined",
        "Withdrew",
        *(f"Declined: {shape.reason_label(r)}" for r in reasons),
    )
    rows = []
    for s in f.stages:
        by_reason = dict(s.declines)
        rate = s.pass_rate
        rows.append(
            (
                s.column.label,
                s.entered,
                s.passed,
                rounded(rate.value, 4),
                rounded(rate.low, 4),
                rounded(rate.high, 4),
                s.declined,
                s.withdrawn,
                *(by_reason.get(r, 0) for r in reasons),
            )
        )
    return Table(header, rows)


def funnel_chart(f: shape.Funnel) -> bytes:
    return charts.bar_chart(
        "Applications entering and passing each stage",
        [s.column.label for s in f.stages],
        [("Entered", [s.entered for s in f.stages]), ("Passed", [s.passed for s in f.stages])],
        value_label="applications",
    )


def funnel_json(context: ReportContext, f: shape.Funnel) -> dict[str, Any]:
    return {
        "filters": context.filters.as_json(),
        "grouping": "kind" if context.by_kind else "stage",
        "applications": f.applications,
        "offers": f.offers,
        "hires": f.hires,
        "declined": f.declined,
        "withdrawn": f.withdrawn,
        "stages": [
            {
                "key": s.column.key,
                "label": s.column.label,
                "entered": s.entered,
                "passed": s.passed,
                "pass_rate": estimate_json(s.pass_rate),
                "declined": s.declined,
                "withdrawn": s.withdrawn,
                "declines": [{"reason": r, "count": n} for r, n in s.declines],
            }
            for s in f.stages
        ],
    }


# --- time in stage -------------------------------------------------------------------


def time_table(stages: Sequence[shape.StageTime]) -> Table:
    header = (
        "Stage",
        "Finished",
        "Median days",
        "Mean days",
        "90th percentile days",
        "Planned days",
        "Median over plan",
        "Still in stage",
    )
    rows = [
        (
            s.column.label,
            s.durations.n,
            rounded(s.durations.median),
            rounded(s.durations.mean),
            rounded(s.durations.p90),
            s.column.planned_days,
            {True: "yes", False: "no", None: ""}[s.over_plan],
            s.ongoing,
        )
        for s in stages
    ]
    return Table(header, rows)


def time_chart(stages: Sequence[shape.StageTime]) -> bytes:
    return charts.bar_chart(
        "Days in each stage: median and 90th percentile, against the plan",
        [s.column.label for s in stages],
        [
            ("Median", [s.durations.median for s in stages]),
            ("90th percentile", [s.durations.p90 for s in stages]),
        ],
        value_label="days",
        reference=[s.column.planned_days for s in stages],
        reference_label="planned",
    )


def time_json(
    context: ReportContext, stages: Sequence[shape.StageTime], to_hire: shape.Durations
) -> dict[str, Any]:
    return {
        "filters": context.filters.as_json(),
        "grouping": "kind" if context.by_kind else "stage",
        "stages": [
            {
                "key": s.column.key,
                "label": s.column.label,
                **durations_json(s.durations),
                "planned_days": s.column.planned_days,
                "over_plan": s.over_plan,
                "ongoing": s.ongoing,
            }
            for s in stages
        ],
        "time_to_hire": durations_json(to_hire),
    }


# --- sources -------------------------------------------------------------------------


def sources_table(rows: Sequence[shape.SourceCounts]) -> Table:
    header = (
        "Source",
        "Applications",
        "Reached interviews",
        "Offers",
        "Hires",
        "Rate to hire",
        "Rate to hire low",
        "Rate to hire high",
    )
    return Table(
        header,
        [
            (
                r.label,
                r.applications,
                r.interviewed,
                r.offers,
                r.hires,
                rounded(r.hire_rate.value, 4),
                rounded(r.hire_rate.low, 4),
                rounded(r.hire_rate.high, 4),
            )
            for r in rows
        ],
    )


def sources_chart(rows: Sequence[shape.SourceCounts]) -> bytes:
    return charts.bar_chart(
        "From source to hire",
        [r.label for r in rows],
        [
            ("Applications", [r.applications for r in rows]),
            ("Reached interviews", [r.interviewed for r in rows]),
            ("Offers", [r.offers for r in rows]),
            ("Hires", [r.hires for r in rows]),
        ],
        value_label="applications",
    )


def sources_json(context: ReportContext, rows: Sequence[shape.SourceCounts]) -> dict[str, Any]:
    return {
        "filters": context.filters.as_json(),
        "sources": [
            {
                "source": r.source,
                "label": r.label,
                "applications": r.applications,
                "interviewed": r.interviewed,
                "offers": r.offers,
                "hires": r.hires,
                "hire_rate": estimate_json(r.hire_rate),
            }
            for r in rows
        ],
    }


# --- open requisitions ---------------------------------------------------------------


def ages_table(buckets: Sequence[shape.AgeBucket]) -> Table:
    return Table(("Days open", "Open requisitions"), [(b.label, b.count) for b in buckets])


def ages_chart(buckets: Sequence[shape.AgeBucket]) -> bytes:
    return charts.bar_chart(
        "Open requisitions by days open",
        [b.label for b in buckets],
        [("Open requisitions", [b.count for b in buckets])],
        value_label="requisitions",
    )


def ages_json(
    context: ReportContext,
    buckets: Sequence[shape.AgeBucket],
    oldest: Sequence[queries.OpenRequisition],
) -> dict[str, Any]:
    return {
        "filters": context.filters.as_json(),
        "buckets": [
            {"label": b.label, "min_days": b.low, "max_days": b.high, "count": b.count}
            for b in buckets
        ],
        "oldest": [
            {
                "id": r.id,
                "title": r.title,
                "level_id": r.level_id,
                "opened_at": r.opened_at.isoformat(),
                "days_open": rounded(r.days_open),
                "active_applications": r.active_applications,
            }
            for r in oldest
        ],
    }


# --- overdue scorecards --------------------------------------------------------------


def overdue_table(rows: Sequence[queries.OverdueByInterviewer]) -> Table:
    return Table(
        ("Interviewer", "Overdue scorecards", "Oldest overdue (days)"),
        [(r.name, r.overdue, rounded(r.oldest_days)) for r in rows],
    )


#: The chart draws at most this many interviewers (the table lists them all).
CHART_PEOPLE = 20


def overdue_chart(rows: Sequence[queries.OverdueByInterviewer]) -> bytes:
    shown = rows[:CHART_PEOPLE]
    return charts.bar_chart(
        "Overdue scorecards by interviewer",
        [r.name for r in shown],
        [("Overdue scorecards", [r.overdue for r in shown])],
        value_label="scorecards",
    )


def overdue_json(
    context: ReportContext, rows: Sequence[queries.OverdueByInterviewer]
) -> dict[str, Any]:
    return {
        "filters": context.filters.as_json(),
        "interviewers": [
            {
                "id": r.user_id,
                "name": r.name,
                "overdue": r.overdue,
                "oldest_days_overdue": rounded(r.oldest_days),
            }
            for r in rows
        ],
    }


# --- the reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One report: how it is computed, and how each form of it is made from the result."""

    slug: str
    title: str
    description: str
    compute: Callable[[ReportContext, datetime], Any]
    table: Callable[[Any], Table]
    chart: Callable[[Any], bytes]
    as_json: Callable[[ReportContext, Any], dict[str, Any]]
    empty: Callable[[Any], bool]
    empty_text: str
    chart_alt: str


def _time(context: ReportContext, now: datetime) -> Any:
    return queries.time_in_stage(context)


REPORTS: dict[str, Report] = {
    "funnel": Report(
        "funnel",
        "Funnel",
        "How many applications entered each stage, how many passed it, declines by reason "
        "and withdrawals; offers and hires.",
        lambda c, now: queries.funnel(c),
        funnel_table,
        funnel_chart,
        funnel_json,
        lambda f: f.empty,
        "No applications in this period.",
        "Bar chart: applications entering and passing each stage (the table below has the "
        "numbers).",
    ),
    "time-in-stage": Report(
        "time-in-stage",
        "Time in stage",
        "Days from entering each stage to leaving it (median, mean and 90th percentile) "
        "against the stage's planned days, and time to hire.",
        _time,
        lambda r: time_table(r[0]),
        lambda r: time_chart(r[0]),
        lambda c, r: time_json(c, r[0], r[1]),
        lambda r: all(s.durations.n == 0 and s.ongoing == 0 for s in r[0]),
        "No applications in this period.",
        "Bar chart: median and 90th percentile days in each stage, with the planned days "
        "marked (the table below has the numbers).",
    ),
    "sources": Report(
        "sources",
        "Source effectiveness",
        "Per source of applications: how many reached interviews, got offers and were "
        "hired, and the rate to hire.",
        lambda c, now: queries.sources(c),
        sources_table,
        sources_chart,
        sources_json,
        lambda rows: all(r.applications == 0 for r in rows),
        "No applications in this period.",
        "Bar chart: applications, interviews, offers and hires per source (the table below "
        "has the numbers).",
    ),
    "open-requisitions": Report(
        "open-requisitions",
        "Open requisitions by age",
        "Open requisitions by days open, and the oldest of them.",
        queries.open_requisitions,
        lambda r: ages_table(r[0]),
        lambda r: ages_chart(r[0]),
        lambda c, r: ages_json(c, r[0], r[1]),
        lambda r: all(b.count == 0 for b in r[0]),
        "No open requisitions opened in this period.",
        "Bar chart: open requisitions by days open (the table below has the numbers).",
    ),
    "overdue-scorecards": Report(
        "overdue-scorecards",
        "Overdue scorecards",
        "Scorecards past their due time (a working day after the interview), by interviewer.",
        queries.overdue_scorecards,
        overdue_table,
        overdue_chart,
        overdue_json,
        lambda rows: not rows,
        "No overdue scorecards.",
        "Bar chart: overdue scorecards per interviewer (the table below has the numbers).",
    ),
}


__all__ = ["REPORTS", "Report", "Table", "days", "level_title"]
