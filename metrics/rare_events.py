"""Charts for rare events: the time between events instead of the number of events in each period.

NHS England's "Making Data Count" guidance warns that counts of rare events (a child death, a serious
incident) make poor XmR charts: most periods hold 0 or 1, the limits sit below zero and nothing can ever be
special cause. It recommends charting the time between events instead, where a longer gap is better:

* the **G chart** counts the opportunities (here: whole periods with no event) between consecutive events.
  The gaps follow a geometric distribution, so with mean gap g the spread is sqrt(g (g + 1)) and the upper
  limit is g + 3 sqrt(g (g + 1)); the lower limit is 0. The centre line drawn is the median gap, because
  the distribution is skewed (the mean is used only for the limits).
* the **T chart** takes measured times between events (days, say), transforms each by t^(1/3.6), which
  makes the skewed (exponential or Weibull) times close to symmetrical, applies the XmR chart
  (:func:`metrics.spc.xmr`, all its rules) to the transformed times, and transforms the centre line and
  limits back by the power 3.6. A lower limit below zero on the transformed scale becomes 0.

For both, a gap above the upper limit means events have become rarer than usual (improvement when fewer
events are better), and a run of short gaps means they have become more frequent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from metrics import spc
from metrics.stats import as_float_array

T_POWER = 3.6
"""The T chart's transformation: times between events are charted as t^(1/3.6)."""
G_SIGMAS = 3.0
"""The G chart's upper limit is 3 geometric standard deviations above the mean gap."""
MIN_GAPS = spc.MIN_POINTS
"""Fewest gaps for a judgement (the product's SPC rule, :data:`metrics.spc.MIN_POINTS`)."""


def gaps_from_counts(counts: ArrayLike) -> list[int]:
    """The G chart's gaps from counts of events per period (oldest first): for each event after the first,
    the number of whole periods with no event since the one before.

    Events in the same period have a gap of 0 between them; the periods before the first event give no gap
    (nothing is known about when the one before it happened). Counts must be whole numbers, not negative,
    and not missing (a missing period would make every later gap unknowable).
    """
    array = np.atleast_1d(as_float_array(counts))
    for position, count in enumerate(array):
        if np.isnan(count) or count < 0 or count != int(count):
            raise ValueError(
                f"period {position + 1}: the number of events must be a whole number of 0 or more, "
                f"got {count!r}"
            )
    gaps: list[int] = []
    last_event: int | None = None
    for position, count in enumerate(array.astype(int)):
        if count == 0:
            continue
        if last_event is not None:
            gaps.append(position - last_event - 1)
        gaps.extend([0] * (count - 1))
        last_event = position
    return gaps


@dataclass(frozen=True)
class GChart:
    """A G chart: the gaps, the centre line (median gap), the mean gap and the limits, and which gaps lie
    above the upper limit (events much rarer than usual)."""

    gaps: tuple[float, ...]
    median: float
    mean: float
    upper: float
    lower: float
    above: tuple[bool, ...]

    @property
    def judged(self) -> bool:
        """Whether there are enough gaps (:data:`MIN_GAPS`) to judge."""
        return len(self.gaps) >= MIN_GAPS


def g_chart(gaps: ArrayLike) -> GChart:
    """G chart of ``gaps`` (opportunities between consecutive events, oldest first).

    Gaps must be 0 or more; at least two are needed for limits. ValueError otherwise.
    """
    array = np.atleast_1d(as_float_array(gaps))
    if array.size < 2:
        raise ValueError(f"a G chart needs at least 2 gaps between events, got {array.size}")
    if np.isnan(array).any() or (array < 0).any():
        raise ValueError("gaps between events must be numbers of 0 or more, with none missing")
    mean = float(array.mean())
    upper = mean + G_SIGMAS * float(np.sqrt(mean * (mean + 1)))
    return GChart(
        gaps=tuple(float(g) for g in array),
        median=float(np.median(array)),
        mean=mean,
        upper=upper,
        lower=0.0,
        above=tuple(bool(g > upper) for g in array),
    )


@dataclass(frozen=True)
class TChart:
    """A T chart: the times, its XmR chart on the transformed scale, and the centre line and limits back on
    the scale of the times."""

    times: tuple[float, ...]
    transformed: spc.SpcResult
    centre: float
    lower: float
    upper: float

    @property
    def point_types(self) -> tuple[str, ...]:
        """One point type per time, from the XmR rules on the transformed times."""
        return self.transformed.point_types

    @property
    def variation(self) -> str:
        """The latest time's variation, as :attr:`metrics.spc.SpcResult.variation`."""
        return self.transformed.variation


def _back(value: float) -> float:
    """A centre line or limit back on the scale of the times (0 when it is below 0 transformed)."""
    return 0.0 if value <= 0 else float(value**T_POWER)


def t_chart(times: Sequence[float] | ArrayLike, *, fewer_is_better: bool = True, **options: object) -> TChart:
    """T chart of ``times`` between consecutive events (oldest first, in any unit, each above 0).

    ``fewer_is_better`` (the default: the events are harms) makes a long time between events an
    improvement; False makes it a concern. Other ``options`` go to :func:`metrics.spc.xmr` (``baseline``,
    ``screen_outliers``...). ValueError for a time that is missing, zero or negative.
    """
    array = np.atleast_1d(as_float_array(times))
    if array.size < 2:
        raise ValueError(f"a T chart needs at least 2 times between events, got {array.size}")
    if np.isnan(array).any() or (array <= 0).any():
        raise ValueError("times between events must be numbers above 0, with none missing")
    improvement = "increase" if fewer_is_better else "decrease"
    chart = spc.xmr(array ** (1 / T_POWER), improvement=improvement, **options)  # type: ignore[arg-type]
    return TChart(
        times=tuple(float(t) for t in array),
        transformed=chart,
        centre=_back(chart.mean),
        lower=_back(chart.lpl),
        upper=_back(chart.upl),
    )
