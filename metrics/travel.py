"""Direction of travel: whether an indicator is getting better or worse, from its two independent signals.

An indicator is *improving* when its Fingertips recent-trend marker says "... and getting better", or when
its SPC chart is judged (enough figures, :func:`metrics.spc.is_judged`) and its latest point is special cause
improvement; *worsening* likewise with "... and getting worse" or special cause concern. Both can be true at
once (a falling five-year trend with a recent jump up), and the scorecard counts each.
"""

from __future__ import annotations

from metrics import spc, trend


def is_improving(trend_label: str | None, spc_variation: str | None, spc_points: int) -> bool:
    """Getting better by the recent trend, or by SPC special cause where there are enough figures."""
    by_spc = spc.is_judged(spc_points) and str(spc_variation or "").startswith("improvement")
    return trend_label in trend.IMPROVING or by_spc


def is_worsening(trend_label: str | None, spc_variation: str | None, spc_points: int) -> bool:
    """Getting worse by the recent trend, or by SPC special cause concern where there are enough figures."""
    by_spc = spc.is_judged(spc_points) and str(spc_variation or "").startswith("concern")
    return trend_label in trend.WORSENING or by_spc
