"""The reports' arithmetic, checked against values worked out by hand."""

from __future__ import annotations

import pytest

from pipelines.insight import MIN_SAMPLE, correlation, difference, mean, rate, share


def test_below_the_minimum_there_is_no_number() -> None:
    estimate = rate(2, MIN_SAMPLE - 1)
    assert estimate.value is None
    assert estimate.words() == f"not enough data (n = {MIN_SAMPLE - 1})"


def test_wilson_interval_of_8_out_of_10() -> None:
    # p = 0.8, z = 1.96: centre = (0.8 + 0.19208) / 1.38415 = 0.71675,
    # half = 1.96 * sqrt(0.016 + 0.0009604) / 1.38415 = 0.18444
    estimate = rate(8, 10)
    assert estimate.value == pytest.approx(0.8)
    assert estimate.low == pytest.approx(0.4902, abs=1e-3)
    assert estimate.high == pytest.approx(0.9433, abs=1e-3)
    assert estimate.words(percent=True) == "80% (49% to 94%, n = 10)"


def test_mean_from_sql_sums() -> None:
    values = [1, 2, 3, 4, 5]
    estimate = mean(len(values), sum(values), sum(v * v for v in values))
    assert estimate.value == 3
    # sample sd = sqrt(2.5); half = 1.96 * sqrt(2.5 / 5) = 1.3859
    assert estimate.high - 3 == pytest.approx(1.3859, abs=1e-4)


def test_correlation_of_a_perfect_line_and_of_noise() -> None:
    xs = [1, 2, 3, 4, 5, 6]
    ys = [2 * x + 1 for x in xs]
    sums = (
        len(xs),
        sum(xs),
        sum(ys),
        sum(x * x for x in xs),
        sum(y * y for y in ys),
        sum(x * y for x, y in zip(xs, ys, strict=True)),
    )
    assert correlation(*sums).value == pytest.approx(1.0)
    # x = 1..6, y = 0/1 hired: r worked out by hand = 0.8783
    hired = [0, 0, 0, 1, 1, 1]
    sums = (6, 21, 3, 91, 3, sum(x * y for x, y in zip(xs, hired, strict=True)))
    r = correlation(*sums)
    assert r.value == pytest.approx(0.8783, abs=1e-4)
    assert r.low < r.value < r.high


def test_a_constant_side_has_no_correlation() -> None:
    assert correlation(6, 6, 21, 6, 91, 21).value is None


def test_share_of_nothing() -> None:
    assert share(0, 0) is None
    assert share(1, 4) == 0.25


def test_difference_of_two_means_with_its_interval() -> None:
    hired = [3, 4, 4, 3, 4]  # mean 3.6, sample variance 0.3
    others = [2, 1, 2, 3, 2]  # mean 2.0, sample variance 0.5
    estimate = difference(
        (5, sum(hired), sum(x * x for x in hired)),
        (5, sum(others), sum(x * x for x in others)),
    )
    assert estimate.value == pytest.approx(1.6)
    # half = 1.96 * sqrt(0.3 / 5 + 0.5 / 5) = 1.96 * 0.4 = 0.784
    assert estimate.low == pytest.approx(1.6 - 0.784, abs=1e-3)
    assert estimate.high == pytest.approx(1.6 + 0.784, abs=1e-3)
    assert estimate.n == 5


def test_a_difference_needs_the_minimum_in_both_groups() -> None:
    estimate = difference((MIN_SAMPLE - 1, 8.0, 20.0), (50, 100.0, 250.0))
    assert estimate.value is None
    assert estimate.n == MIN_SAMPLE - 1
