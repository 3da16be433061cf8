"""Calibration and quality of hire's shaping, on counts worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.calibration import (
    CriterionCounts,
    Filters,
    InterviewerCounts,
    Sums,
    calibration_report,
    csv_rows,
    distribution,
    levels_of,
    parse_filters,
)
from pipelines.hire_quality import (
    CriterionSums,
    OutcomeCounts,
    months_before,
    quality_report,
)
from pipelines.insight import MIN_SAMPLE

LEVELS = {"csm": "cs", "senior-csm": "cs", "csa": "arch"}


def test_filters_parse_and_name_each_bad_argument() -> None:
    filters, problems = parse_filters(
        {"from": "2025-01-01", "to": "2025-03-31", "family": "cs", "interviewer": "7"},
        level_families=LEVELS,
        with_interviewer=True,
    )
    assert problems == {}
    assert filters == Filters(date(2025, 1, 1), date(2025, 3, 31), "cs", None, 7)
    assert filters.query() == {
        "from": "2025-01-01",
        "to": "2025-03-31",
        "family": "cs",
        "interviewer": "7",
    }
    assert levels_of(filters, LEVELS) == ("csm", "senior-csm")
    assert levels_of(Filters(), LEVELS) is None
    _, problems = parse_filters(
        {"from": "2025-02-30", "to": "1066-10-14", "family": "x", "level": "y", "interviewer": "0"},
        level_families=LEVELS,
        with_interviewer=True,
    )
    assert sorted(problems) == ["family", "from", "interviewer", "level", "to"]
    _, problems = parse_filters({"from": "2025-03-02", "to": "2025-03-01"}, level_families=LEVELS)
    assert problems == {"to": ["The end of the period is before its start."]}
    # Without with_interviewer the argument is ignored.
    filters, problems = parse_filters({"interviewer": "x"}, level_families=LEVELS)
    assert (filters.interviewer, problems) == (None, {})


def test_a_distribution_below_the_minimum_has_no_shares() -> None:
    small = distribution((1, 1, 1, 1))
    assert small.n == 4 and not small.enough
    assert all(s.value is None for s in small.shares)
    full = distribution((0, 3, 5, 2))
    assert [s.value for s in full.shares] == [0.0, 0.3, 0.5, 0.2]
    with pytest.raises(ValueError):
        distribution((1, 2, 3))


def test_the_panel_is_everyone_and_only_shows_one_row() -> None:
    ann = InterviewerCounts(
        1,
        ratings=(0, 3, 5, 2),
        recommendations=(0, 2, 2, 2),
        decided=5,
        agreed=5,
        # diffs 1.5, 1.5, 0, 1, 0, 1, 1, 0
        leniency=Sums(8, 6.0, 7.5),
        due=6,
        late=1,
    )
    ben = InterviewerCounts(2, ratings=(2, 4, 4, 0), recommendations=(1, 2, 3, 0))
    report = calibration_report(
        [ann, ben],
        [],
        names={1: "Ann", 2: "Ben", 3: "Cat"},
        criterion_names={},
    )
    assert report.panel_ratings.counts == (2, 7, 9, 2)
    assert [row.name for row in report.interviewers] == ["Ann", "Ben"]
    row = report.interviewers[0]
    assert row.leniency.value == pytest.approx(0.75)
    assert row.agreement.value == 1.0
    assert row.late.value == pytest.approx(1 / 6)
    # Ben decided nothing: not enough data for agreement.
    assert report.interviewers[1].agreement.value is None
    own = calibration_report([ann, ben], [], names={1: "Ann", 3: "Cat"}, criterion_names={}, only=3)
    assert [row.name for row in own.interviewers] == ["Cat"]
    assert own.interviewers[0].ratings.n == 0
    assert own.panel_ratings.n == 20  # the panel stays everyone's
    header, rows = csv_rows(report)
    assert len(rows[0]) == len(header) == len(rows[1])


def test_a_criterion_row_from_sums() -> None:
    # Hires 4,3,4,3,4 and no-hires 2,1,2,3,2 (see test_insight's difference).
    report = calibration_report(
        [],
        [
            CriterionCounts("c9", 12, 2, Sums(5, 18, 66), Sums(5, 10, 22)),
            CriterionCounts("c1", 3, 3, Sums(), Sums()),
        ],
        names={},
        criterion_names={"c9": "Renewals", "c1": "Accounts"},
    )
    accounts, renewals = report.criteria
    assert (accounts.name, renewals.name) == ("Accounts", "Renewals")
    assert renewals.not_assessed.value == pytest.approx(2 / 12)
    assert renewals.mean_hired.value == pytest.approx(3.6)
    assert renewals.difference.value == pytest.approx(1.6)
    assert renewals.correlation.value == pytest.approx(0.8165, abs=1e-4)
    assert accounts.not_assessed.value is None  # 3 ratings < the minimum
    assert report.empty


def test_months_before() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2024, 5, 31), 3) == date(2024, 2, 29)


def test_quality_rates_and_months_to_promotion() -> None:
    # Six observed at the same level: promoted after 365, 730, 365, 365, 730 days.
    days = [365, 730, 365, 365, 730]
    same = OutcomeCounts(
        hires=8,
        observed=6,
        promoted=5,
        left=1,
        days_to_promotion=Sums(5, sum(days), sum(d * d for d in days)),
    )
    above = OutcomeCounts(hires=2, observed=2, promoted=2)
    report = quality_report(
        {"same": same, "above": above},
        {True: OutcomeCounts(hires=3, observed=3)},
        [CriterionSums("c9", 6, 18, 58, 2, 7, 1, 2)],
        criterion_names={},
        observed_since=date(2025, 12, 2),
    )
    assert (report.overall.hires, report.overall.observed, report.recent) == (10, 8, 2)
    assert report.overall.promoted.value == pytest.approx(7 / 8)
    same_row = report.steps[0]
    assert same_row.key == "same"
    assert same_row.promoted.value == pytest.approx(5 / 6)
    # Mean 511 days = 511 / 30.4375 = 16.79 months.
    assert same_row.months_to_promotion.value == pytest.approx(511 / 30.4375)
    assert report.steps[1].promoted.value is None  # two people
    assert report.recommendations[0].promoted.n == 3
    assert report.criteria[0].promoted.value == pytest.approx(0.4330, abs=1e-4)
    assert "correlation, not cause" in report.caution
    assert "2 more recent hires" in report.caution
    assert report.minimum == MIN_SAMPLE
