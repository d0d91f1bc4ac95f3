"""Scorecard records for tests of the words pages write: a blank indicator with no figure, plus what a test
sets."""

from __future__ import annotations

from typing import Any

from data.scorecard import ScorecardRow
from metrics.trend import TrendReason

BLANK: dict[str, Any] = {
    "indicator_code": "thing",
    "area_code": "E06000031",
    "name": "Thing",
    "short_name": "Thing",
    "definition": "",
    "numerator_definition": "",
    "denominator_definition": "",
    "value_type": "proportion",
    "unit": "%",
    "multiplier": 100,
    "polarity": "higher_is_better",
    "frequency": "annual",
    "year_type": "financial",
    "age": "All ages",
    "sex": "Persons",
    "source": "",
    "fingertips_id": None,
    "kpi_code": None,
    "illustrative": False,
    "sort_order": 0,
    "period_label": None,
    "period_start": None,
    "period_end": None,
    "granularity": None,
    "value": None,
    "lower95": None,
    "upper95": None,
    "lower998": None,
    "upper998": None,
    "count": None,
    "denominator": None,
    "provisional": False,
    "value_note": None,
    "published_comparison": None,
    "target": None,
    "amber_threshold": None,
    "target_illustrative": False,
    "target_reason": None,
    "target_status": "not assessed",
    "england_value": None,
    "benchmark": "not compared",
    "benchmark_source": "",
    "region_value": None,
    "region_benchmark": "not compared",
    "region_name": "East of England",
    "trend": "cannot be calculated",
    "trend_reason": TrendReason.NO_DATA,
    "improvement": "increase",
    "spc_points": 0,
    "spc_judged": False,
    "spc_variation": None,
    "spc_assurance": None,
    "spc_trial_limits": False,
    "improving": False,
    "worsening": False,
    "has_data": False,
}


def scorecard_row(**fields: Any) -> ScorecardRow:
    """A scorecard record: :data:`BLANK` with ``fields`` set (``has_data`` follows ``value``)."""
    values = {**BLANK, **fields}
    if "has_data" not in fields:
        values["has_data"] = values["value"] is not None
    return ScorecardRow(**values)
