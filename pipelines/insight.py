"""The arithmetic of the hiring reports: rates, means and correlations with their sample
size and a 95% confidence interval, or "not enough data" below a minimum sample.

The database does the counting (GROUP BY, window functions); these functions turn the
counts and sums it returns into what a report shows. Nothing here is causal: a report that
relates ratings at hiring to later promotions shows a correlation, and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Below this many observations a report says "not enough data" rather than a number.
MIN_SAMPLE = 5

#: The normal quantile of a two-sided 95% interval.
Z95 = 1.959963984540054

NOT_ENOUGH = "not enough data"


@dataclass(frozen=True, slots=True)
class Estimate:
    """A number with its sample size and 95% interval; ``value`` is None when the sample is
    below the minimum (or the number is undefined, such as a correlation of constants)."""

    value: float | None
    n: int
    low: float | None = None
    high: float | None = None

    @property
    def enough(self) -> bool:
        return self.value is not None

    def words(self, digits: int = 2, *, percent: bool = False) -> str:
        """``"0.42 (0.31 to 0.55, n = 40)"`` or ``"not enough data (n = 3)"``."""
        if self.value is None:
            return f"{NOT_ENOUGH} (n = {self.n})"

        def show(x: float) -> str:
            return f"{x * 100:.0f}%" if percent else f"{x:.{digits}f}"

        interval = (
            f" ({show(self.low)} to {show(self.high)}, n = {self.n})"
            if self.low is not None and self.high is not None
            else f" (n = {self.n})"
        )
        return show(self.value) + interval


def _short(n: int, minimum: int) -> Estimate | None:
    return Estimate(None, n) if n < minimum else None


def rate(successes: int, n: int, *, minimum: int = MIN_SAMPLE) -> Estimate:
    """A proportion with its Wilson score interval."""
    if successes < 0 or successes > n:
        raise ValueError(f"{successes} successes out of {n}")
    short = _short(n, minimum)
    if short or n == 0:
        return short or Estimate(None, n)
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Estimate(p, n, max(0.0, centre - half), min(1.0, centre + half))


def mean(n: int, total: float, total_of_squares: float, *, minimum: int = MIN_SAMPLE) -> Estimate:
    """A mean from the count, sum and sum of squares (what SQL aggregates give), with a
    normal-approximation interval."""
    short = _short(n, minimum)
    if short or n == 0:
        return short or Estimate(None, n)
    m = total / n
    if n < 2:
        return Estimate(m, n)
    variance = max(0.0, (total_of_squares - n * m * m) / (n - 1))
    half = Z95 * math.sqrt(variance / n)
    return Estimate(m, n, m - half, m + half)


def correlation(
    n: int,
    sum_x: float,
    sum_y: float,
    sum_xx: float,
    sum_yy: float,
    sum_xy: float,
    *,
    minimum: int = MIN_SAMPLE,
) -> Estimate:
    """Pearson's r from SQL sums (point-biserial when one side is 0/1), with the Fisher z
    interval. Undefined (None) when either side does not vary."""
    short = _short(max(n, 0), max(minimum, 4))
    if short:
        return short
    sxx = sum_xx - sum_x * sum_x / n
    syy = sum_yy - sum_y * sum_y / n
    sxy = sum_xy - sum_x * sum_y / n
    if sxx <= 0 or syy <= 0:
        return Estimate(None, n)
    r = max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
    if abs(r) == 1.0:
        return Estimate(r, n, r, r)
    z = math.atanh(r)
    half = Z95 / math.sqrt(n - 3)
    return Estimate(r, n, math.tanh(z - half), math.tanh(z + half))


def difference(
    a: tuple[int, float, float],
    b: tuple[int, float, float],
    *,
    minimum: int = MIN_SAMPLE,
) -> Estimate:
    """The difference of two means, ``mean(a) - mean(b)``, each given as (count, sum, sum
    of squares), with a normal-approximation (Welch) interval. ``n`` is the smaller of
    the two counts: both groups need the minimum."""
    (na, sa, ssa), (nb, sb, ssb) = a, b
    n = min(na, nb)
    short = _short(n, max(minimum, 2))
    if short:
        return short
    ma, mb = sa / na, sb / nb
    va = max(0.0, (ssa - na * ma * ma) / (na - 1))
    vb = max(0.0, (ssb - nb * mb * mb) / (nb - 1))
    half = Z95 * math.sqrt(va / na + vb / nb)
    d = ma - mb
    return Estimate(d, n, d - half, d + half)


def share(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is no whole (a funnel stage nobody entered)."""
    return part / whole if whole else None


__all__ = [
    "MIN_SAMPLE",
    "NOT_ENOUGH",
    "Estimate",
    "correlation",
    "difference",
    "mean",
    "rate",
    "share",
]
