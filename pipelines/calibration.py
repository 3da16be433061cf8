"""Interviewer calibration: how each interviewer rates next to the panel, and whether the
criteria tell hires from the others.

The database counts (GROUP BY, window functions, in ``app.reports.calibration_queries``);
this module turns the counts into the report: shares, means and rates with their sample
size and interval, or "not enough data" below :data:`pipelines.insight.MIN_SAMPLE`.

Definitions (the report says them in words too):

* **Rating distribution**: the share of strong no / no / yes / strong yes among an
  interviewer's assessed criterion ratings (not assessed left out), and among their
  overall recommendations; the panel's is the same over every interviewer in the report.
* **Leniency**: for each (application, criterion) that the interviewer rated and at least
  one other interviewer rated too, the interviewer's points (their mean, if they rated it
  twice) minus the mean of the others' points on the same application and criterion. The
  leniency is the mean of these differences, ``n`` the number of such pairs: +0.5 means
  half a point above the colleagues who saw the same candidate. Criteria nobody else rated
  on that application do not count.
* **Agreement**: the share of the interviewer's recommendations on decided applications
  whose direction (yes / strong yes = hire) matches the outcome. The outcome is the
  debrief's decision (hire / no hire); without a recorded decision, a hired application is
  a hire and one declined for its interview feedback a no hire; others are undecided.
* **Late**: the share of the interviewer's scorecards (interviews not cancelled) submitted
  after they were due (:func:`pipelines.reminders.scorecard_due`: one working day after the
  interview ends), or still missing past it; ``n`` counts the scorecards due by now or
  submitted.
* **Per criterion**: how often it is marked not assessed (over every rating of it), and the
  mean points of hires and of no-hires, one value per application (the mean of its ratings
  of that criterion), their difference with its interval, and the point-biserial
  correlation of the points with the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ladder.model import Ladder
from pipelines.errors import ScorecardError
from pipelines.insight import MIN_SAMPLE, Estimate, correlation, difference, mean, rate
from pipelines.scorecards import level_criteria

#: The 4-point scale, worst first (the values of pipelines.scorecards.Rating).
SCALE: tuple[str, ...] = ("strong_no", "no", "yes", "strong_yes")
SCALE_LABELS: tuple[str, ...] = ("strong no", "no", "yes", "strong yes")

#: Dates outside these years are refused (they say nothing, and overflow date arithmetic).
FIRST_YEAR, LAST_YEAR = 1970, 2999

NOTE = (
    "Numbers below {minimum} observations say 'not enough data'. Intervals are 95%. "
    "Ratings are compared only between interviewers who saw the same candidate, and "
    "agreement with the outcome does not make an interviewer right: the decision was "
    "taken on their ratings."
)

# ---------------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True, slots=True)
class Filters:
    """What a report is limited to: interviews (or hires) from ``start`` to ``end``
    (inclusive), requisitions of a family or at a level, one interviewer."""

    start: date | None = None
    end: date | None = None
    family: str | None = None
    level: str | None = None
    interviewer: int | None = None

    def query(self) -> dict[str, str]:
        """The filters as query-string arguments (for links to the chart and CSV)."""
        out = {
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "family": self.family or "",
            "level": self.level or "",
            "interviewer": str(self.interviewer) if self.interviewer is not None else "",
        }
        return {key: value for key, value in out.items() if value}


#: The largest id a filter takes (the databases' 32-bit integer columns).
MAX_ID = 2_147_483_647


def _date(raw: str, name: str, problems: dict[str, list[str]]) -> date | None:
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        problems.setdefault(name, []).append("Expected a date as YYYY-MM-DD.")
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        problems.setdefault(name, []).append(f"Expected a year from {FIRST_YEAR} to {LAST_YEAR}.")
        return None
    return value


def parse_filters(
    args: Mapping[str, str],
    *,
    level_families: Mapping[str, str],
    with_interviewer: bool = False,
) -> tuple[Filters, dict[str, list[str]]]:
    """The filters from query arguments (``from``, ``to``, ``family``, ``level`` and, with
    ``with_interviewer``, ``interviewer``), and the problems per argument.
    ``level_families`` maps each level id of the ladder to its family id."""
    problems: dict[str, list[str]] = {}
    start = _date(args.get("from", "").strip(), "from", problems)
    end = _date(args.get("to", "").strip(), "to", problems)
    if start and end and start > end:
        problems.setdefault("to", []).append("The end of the period is before its start.")
    family = args.get("family", "").strip() or None
    if family is not None and family not in set(level_families.values()):
        problems.setdefault("family", []).append("No such family on the ladder.")
        family = None
    level = args.get("level", "").strip() or None
    if level is not None and level not in level_families:
        problems.setdefault("level", []).append("No such level on the ladder.")
        level = None
    interviewer = None
    raw = args.get("interviewer", "").strip()
    if with_interviewer and raw:
        if raw.isdigit() and 1 <= int(raw) <= MAX_ID:
            interviewer = int(raw)
        else:
            problems.setdefault("interviewer", []).append("Expected a person's id.")
    return Filters(start, end, family, level, interviewer), problems


def levels_of(filters: Filters, level_families: Mapping[str, str]) -> tuple[str, ...] | None:
    """The requisition levels the family and level filters keep (None: every level)."""
    if filters.family is None and filters.level is None:
        return None
    return tuple(
        sorted(
            level
            for level, family in level_families.items()
            if (filters.family is None or family == filters.family)
            and (filters.level is None or level == filters.level)
        )
    )


def level_families(ladder: Ladder) -> dict[str, str]:
    """Each level id of the ladder and its family id."""
    return {level.id: family.id for family in ladder.families for level in family.levels}


def criterion_names(ladder: Ladder) -> dict[str, str]:
    """Every criterion id a scorecard of this ladder can carry, and its text (a
    requirement's words, a competency's name)."""
    names: dict[str, str] = {}
    for family in ladder.families:
        for level in family.levels:
            for specialty in (None, *(s.id for s in family.specialties_for(level.id))):
                try:
                    criteria = level_criteria(ladder, level.id, specialty)
                except ScorecardError:
                    continue
                for criterion in criteria:
                    names.setdefault(criterion.id, criterion.text)
    return names


# ---------------------------------------------------------------------------------------------
# What the database counts


@dataclass(frozen=True, slots=True)
class Sums:
    """Count, sum and sum of squares of some values (what SQL aggregates give)."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def __add__(self, other: Sums) -> Sums:
        return Sums(self.n + other.n, self.total + other.total, self.squares + other.squares)

    def mean(self, *, minimum: int = MIN_SAMPLE) -> Estimate:
        return mean(self.n, self.total, self.squares, minimum=minimum)

    @property
    def triple(self) -> tuple[int, float, float]:
        return (self.n, self.total, self.squares)


@dataclass(frozen=True, slots=True)
class InterviewerCounts:
    """One interviewer's counts. ``ratings`` and ``recommendations`` count each point of
    the scale (strong no first)."""

    interviewer_id: int
    ratings: tuple[int, int, int, int] = (0, 0, 0, 0)
    not_assessed: int = 0
    recommendations: tuple[int, int, int, int] = (0, 0, 0, 0)
    decided: int = 0
    agreed: int = 0
    leniency: Sums = field(default_factory=Sums)
    due: int = 0
    late: int = 0


@dataclass(frozen=True, slots=True)
class CriterionCounts:
    """One criterion's counts: every rating row of it, those marked not assessed, and per
    application (the mean of its points) the sums for hires and for no-hires."""

    criterion_id: str
    ratings: int
    not_assessed: int
    hired: Sums
    not_hired: Sums


# ---------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True, slots=True)
class Distribution:
    """Shares of the four points of the scale among ``n`` marks."""

    counts: tuple[int, int, int, int]
    shares: tuple[Estimate, ...]

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def enough(self) -> bool:
        return self.n >= MIN_SAMPLE


def distribution(counts: Sequence[int], *, minimum: int = MIN_SAMPLE) -> Distribution:
    if len(counts) != len(SCALE):
        raise ValueError(f"{len(counts)} counts for a scale of {len(SCALE)}")
    c = (int(counts[0]), int(counts[1]), int(counts[2]), int(counts[3]))
    n = sum(c)
    return Distribution(c, tuple(rate(k, n, minimum=minimum) for k in c))


@dataclass(frozen=True, slots=True)
class InterviewerRow:
    interviewer_id: int
    name: str
    ratings: Distribution
    not_assessed: int
    recommendations: Distribution
    leniency: Estimate
    agreement: Estimate
    late: Estimate


@dataclass(frozen=True, slots=True)
class CriterionRow:
    criterion_id: str
    name: str
    ratings: int
    not_assessed: Estimate
    mean_hired: Estimate
    mean_not_hired: Estimate
    difference: Estimate
    correlation: Estimate


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    panel_ratings: Distribution
    panel_recommendations: Distribution
    interviewers: tuple[InterviewerRow, ...]
    criteria: tuple[CriterionRow, ...]
    minimum: int = MIN_SAMPLE

    @property
    def empty(self) -> bool:
        return (
            self.panel_ratings.n == 0
            and self.panel_recommendations.n == 0
            and not any(row.late.n for row in self.interviewers)
        )

    @property
    def note(self) -> str:
        return NOTE.format(minimum=self.minimum)


def _sum4(rows: Sequence[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    return (
        sum(r[0] for r in rows),
        sum(r[1] for r in rows),
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
    )


def criterion_row(counts: CriterionCounts, name: str, *, minimum: int = MIN_SAMPLE) -> CriterionRow:
    hired, other = counts.hired, counts.not_hired
    both = hired + other
    return CriterionRow(
        criterion_id=counts.criterion_id,
        name=name,
        ratings=counts.ratings,
        not_assessed=rate(counts.not_assessed, counts.ratings, minimum=minimum),
        mean_hired=hired.mean(minimum=minimum),
        mean_not_hired=other.mean(minimum=minimum),
        difference=difference(hired.triple, other.triple, minimum=minimum),
        # Point-biserial: y is 1 for a hire, so sum(y) = sum(y^2) = hires, sum(xy) = their sum.
        correlation=correlation(
            both.n, both.total, hired.n, both.squares, hired.n, hired.total, minimum=minimum
        ),
    )


def calibration_report(
    interviewers: Sequence[InterviewerCounts],
    criteria: Sequence[CriterionCounts],
    *,
    names: Mapping[int, str],
    criterion_names: Mapping[str, str],
    only: int | None = None,
    minimum: int = MIN_SAMPLE,
) -> CalibrationReport:
    """The report from the counts of every interviewer (the panel is all of them); with
    ``only``, the rows are that interviewer's alone (they get a row even with no data).
    Rows are ordered by name, criteria by name."""
    panel_ratings = distribution(_sum4([i.ratings for i in interviewers]), minimum=minimum)
    panel_recommendations = distribution(
        _sum4([i.recommendations for i in interviewers]), minimum=minimum
    )
    by_id = {i.interviewer_id: i for i in interviewers}
    wanted = [only] if only is not None else sorted(by_id)
    rows = []
    for interviewer_id in wanted:
        counts = by_id.get(interviewer_id, InterviewerCounts(interviewer_id))
        rows.append(
            InterviewerRow(
                interviewer_id=interviewer_id,
                name=names.get(interviewer_id, "an interviewer"),
                ratings=distribution(counts.ratings, minimum=minimum),
                not_assessed=counts.not_assessed,
                recommendations=distribution(counts.recommendations, minimum=minimum),
                leniency=counts.leniency.mean(minimum=minimum),
                agreement=rate(counts.agreed, counts.decided, minimum=minimum),
                late=rate(counts.late, counts.due, minimum=minimum),
            )
        )
    rows.sort(key=lambda row: (row.name.casefold(), row.interviewer_id))
    criterion_rows = sorted(
        (
            criterion_row(c, criterion_names.get(c.criterion_id, c.criterion_id), minimum=minimum)
            for c in criteria
        ),
        key=lambda row: (row.name.casefold(), row.criterion_id),
    )
    return CalibrationReport(
        panel_ratings, panel_recommendations, tuple(rows), tuple(criterion_rows), minimum
    )


# ---------------------------------------------------------------------------------------------
# Plain values (the API body and the CSV)


def estimate_value(estimate: Estimate, digits: int = 4) -> dict[str, object]:
    """An estimate for JSON: value and interval rounded (the same figures on every
    database), its sample size, and whether there was enough data."""

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, digits)

    return {
        "value": r(estimate.value),
        "low": r(estimate.low),
        "high": r(estimate.high),
        "n": estimate.n,
        "enough": estimate.enough,
    }


def distribution_value(dist: Distribution) -> dict[str, object]:
    return {
        "n": dist.n,
        "counts": dict(zip(SCALE, dist.counts, strict=True)),
        "shares": {
            key: estimate_value(share) for key, share in zip(SCALE, dist.shares, strict=True)
        },
    }


def csv_rows(report: CalibrationReport) -> tuple[list[str], list[list[object]]]:
    """One table for the CSV: a row per interviewer (the panel first), then per criterion."""

    def cell(estimate: Estimate, digits: int = 4) -> object:
        return "" if estimate.value is None else round(estimate.value, digits)

    header = [
        "section",
        "name",
        "criterion_ratings",
        *(f"share_{key}" for key in SCALE),
        "recommendations",
        *(f"recommended_{key}" for key in SCALE),
        "leniency",
        "leniency_n",
        "agreement",
        "agreement_n",
        "late",
        "late_n",
        "not_assessed",
        "mean_hired",
        "mean_not_hired",
        "difference",
        "correlation",
        "correlation_n",
    ]
    blank = [""] * 6
    rows: list[list[object]] = [
        [
            "panel",
            "All interviewers",
            report.panel_ratings.n,
            *(cell(s) for s in report.panel_ratings.shares),
            report.panel_recommendations.n,
            *(cell(s) for s in report.panel_recommendations.shares),
            *blank,
            *[""] * 6,
        ]
    ]
    for row in report.interviewers:
        rows.append(
            [
                "interviewer",
                row.name,
                row.ratings.n,
                *(cell(s) for s in row.ratings.shares),
                row.recommendations.n,
                *(cell(s) for s in row.recommendations.shares),
                cell(row.leniency),
                row.leniency.n,
                cell(row.agreement),
                row.agreement.n,
                cell(row.late),
                row.late.n,
                *[""] * 6,
            ]
        )
    for c in report.criteria:
        rows.append(
            [
                "criterion",
                c.name,
                c.ratings,
                *[""] * 4,
                "",
                *[""] * 4,
                *blank,
                cell(c.not_assessed),
                cell(c.mean_hired),
                cell(c.mean_not_hired),
                cell(c.difference),
                cell(c.correlation),
                c.correlation.n,
            ]
        )
    return header, rows


__all__ = [
    "SCALE",
    "SCALE_LABELS",
    "CalibrationReport",
    "CriterionCounts",
    "CriterionRow",
    "Distribution",
    "Filters",
    "InterviewerCounts",
    "InterviewerRow",
    "Sums",
    "calibration_report",
    "criterion_names",
    "criterion_row",
    "csv_rows",
    "distribution",
    "distribution_value",
    "estimate_value",
    "level_families",
    "levels_of",
    "parse_filters",
]
