"""Quality of hire: what was said when people were hired, next to what happened after.

For each person hired through HireLadder (an application with a hired account) the
database gives (``app.reports.calibration_queries``): the day they were hired (the start
of their level-history span with reason "hired"), their first promotion after it (a later
span with reason "promoted"), whether they left (``users.left_on``), the debrief's leveling
step (one level below, the requisition's level, one above), each interviewer's
recommendation and each criterion's points. This module turns the counts into rates with
Wilson intervals, means and correlations with their intervals, and "not enough data" below
the minimum sample.

Only people hired at least :data:`OBSERVED_MONTHS` months ago count in the rates: someone
hired last month has had no time to be promoted, and would pull every rate down. All of it
is correlation, not cause: the people rated higher were also levelled, managed and
promoted by people who had read those ratings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from pipelines.calibration import Sums
from pipelines.insight import MIN_SAMPLE, Estimate, correlation, rate

#: Hires count in the rates once they are at least this many months old.
OBSERVED_MONTHS = 12
#: Days per month for showing time to promotion in months.
DAYS_PER_MONTH = 365.25 / 12

#: The leveling steps in their order (the values of pipelines.leveling.Step), and the
#: group of hires without a recorded step.
STEPS: tuple[str, ...] = ("below", "same", "above")
STEP_LABELS: Mapping[str | None, str] = {
    "below": "Levelled one below the requisition",
    "same": "Levelled at the requisition's level",
    "above": "Levelled one above the requisition",
    None: "No leveling decision recorded",
}

CAUTION = (
    "This is correlation, not cause: the people rated higher were also levelled, managed "
    "and put forward for promotion by people who had read those ratings, and a small "
    "group can differ by chance. Rates count only people hired at least {months} months "
    "before today ({recent} more recent hires are left out: they have had less time to be "
    "promoted or to leave). Intervals are 95%; below {minimum} people a rate says 'not "
    "enough data'."
)


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (the month's last day when it is
    shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no day {months} months before {day}")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class OutcomeCounts:
    """Of a group: everyone (``hires``), those observed long enough (``observed``), and of
    those how many were promoted, how many left, and the days to each first promotion."""

    hires: int = 0
    observed: int = 0
    promoted: int = 0
    left: int = 0
    days_to_promotion: Sums = field(default_factory=Sums)

    def __add__(self, other: OutcomeCounts) -> OutcomeCounts:
        return OutcomeCounts(
            self.hires + other.hires,
            self.observed + other.observed,
            self.promoted + other.promoted,
            self.left + other.left,
            self.days_to_promotion + other.days_to_promotion,
        )


@dataclass(frozen=True, slots=True)
class CriterionSums:
    """Per criterion, over observed hires (x: the mean points the hire got on it; y: 1 if
    promoted, resp. left): the sums a correlation needs."""

    criterion_id: str
    n: int
    sum_x: float
    sum_xx: float
    promoted: int
    sum_x_promoted: float
    left: int
    sum_x_left: float


@dataclass(frozen=True, slots=True)
class GroupRow:
    key: str
    label: str
    hires: int
    observed: int
    promoted: Estimate
    left: Estimate
    months_to_promotion: Estimate


@dataclass(frozen=True, slots=True)
class CriterionRow:
    criterion_id: str
    name: str
    promoted: Estimate
    left: Estimate


@dataclass(frozen=True, slots=True)
class QualityReport:
    overall: GroupRow
    steps: tuple[GroupRow, ...]
    recommendations: tuple[GroupRow, ...]
    criteria: tuple[CriterionRow, ...]
    observed_since: date
    months: int
    minimum: int = MIN_SAMPLE

    @property
    def empty(self) -> bool:
        return self.overall.hires == 0

    @property
    def recent(self) -> int:
        return self.overall.hires - self.overall.observed

    @property
    def caution(self) -> str:
        return CAUTION.format(months=self.months, recent=self.recent, minimum=self.minimum)


def group_row(
    key: str, label: str, counts: OutcomeCounts, *, minimum: int = MIN_SAMPLE
) -> GroupRow:
    days = counts.days_to_promotion
    months = Sums(days.n, days.total / DAYS_PER_MONTH, days.squares / DAYS_PER_MONTH**2)
    return GroupRow(
        key=key,
        label=label,
        hires=counts.hires,
        observed=counts.observed,
        promoted=rate(counts.promoted, counts.observed, minimum=minimum),
        left=rate(counts.left, counts.observed, minimum=minimum),
        months_to_promotion=months.mean(minimum=minimum),
    )


def quality_report(
    steps: Mapping[str | None, OutcomeCounts],
    recommendations: Mapping[bool, OutcomeCounts],
    criteria: Sequence[CriterionSums],
    *,
    criterion_names: Mapping[str, str],
    observed_since: date,
    months: int = OBSERVED_MONTHS,
    minimum: int = MIN_SAMPLE,
) -> QualityReport:
    """``steps``: counts per leveling step (None: none recorded); ``recommendations``:
    counts per recommendation, True for strong yes (a hire counts once per interviewer
    who recommended them)."""
    total = OutcomeCounts()
    for counts in steps.values():
        total = total + counts
    step_rows = tuple(
        group_row(key or "none", STEP_LABELS[key], steps[key], minimum=minimum)
        for key in (*STEPS, None)
        if key in steps
    )
    recommendation_rows = tuple(
        group_row(key, label, recommendations[flag], minimum=minimum)
        for flag, key, label in (
            (True, "strong_yes", "Recommended strong yes"),
            (False, "other", "Recommended yes or lower"),
        )
        if flag in recommendations
    )
    criterion_rows = sorted(
        (
            CriterionRow(
                criterion_id=c.criterion_id,
                name=criterion_names.get(c.criterion_id, c.criterion_id),
                promoted=correlation(
                    c.n,
                    c.sum_x,
                    c.promoted,
                    c.sum_xx,
                    c.promoted,
                    c.sum_x_promoted,
                    minimum=minimum,
                ),
                left=correlation(
                    c.n, c.sum_x, c.left, c.sum_xx, c.left, c.sum_x_left, minimum=minimum
                ),
            )
            for c in criteria
        ),
        key=lambda row: (row.name.casefold(), row.criterion_id),
    )
    return QualityReport(
        overall=group_row("all", "Everyone hired", total, minimum=minimum),
        steps=step_rows,
        recommendations=recommendation_rows,
        criteria=tuple(criterion_rows),
        observed_since=observed_since,
        months=months,
        minimum=minimum,
    )


def csv_rows(report: QualityReport) -> tuple[list[str], list[list[object]]]:
    def cell(estimate: Estimate) -> object:
        return "" if estimate.value is None else round(estimate.value, 4)

    header = [
        "section",
        "group",
        "hires",
        "observed",
        "promoted",
        "promoted_low",
        "promoted_high",
        "left",
        "left_low",
        "left_high",
        "months_to_promotion",
        "promotions",
        "correlation_promoted",
        "correlation_left",
        "correlation_n",
    ]
    rows: list[list[object]] = []
    for section, group in (
        ("overall", (report.overall,)),
        ("leveling", report.steps),
        ("recommendation", report.recommendations),
    ):
        for row in group:
            rows.append(
                [
                    section,
                    row.label,
                    row.hires,
                    row.observed,
                    cell(row.promoted),
                    "" if row.promoted.low is None else round(row.promoted.low, 4),
                    "" if row.promoted.high is None else round(row.promoted.high, 4),
                    cell(row.left),
                    "" if row.left.low is None else round(row.left.low, 4),
                    "" if row.left.high is None else round(row.left.high, 4),
                    cell(row.months_to_promotion),
                    row.months_to_promotion.n,
                    "",
                    "",
                    "",
                ]
            )
    for c in report.criteria:
        rows.append(["criterion", c.name, *[""] * 10, cell(c.promoted), cell(c.left), c.promoted.n])
    return header, rows


__all__ = [
    "CAUTION",
    "OBSERVED_MONTHS",
    "STEPS",
    "STEP_LABELS",
    "CriterionRow",
    "CriterionSums",
    "GroupRow",
    "OutcomeCounts",
    "QualityReport",
    "csv_rows",
    "group_row",
    "months_before",
    "quality_report",
]
