"""The slope index of inequality against PHEindicatormethods' own ``phe_sii`` test workbook.

The workbook's SII and RII are exact (a weighted regression); its confidence limits come from a simulation,
so, as the package's own tests do, they are compared at a relative tolerance of 5%.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics import sii

WORKBOOK = pd.read_excel(
    Path(__file__).parents[1] / "reference" / "PHEindicatormethods" / "testdata_SII.xlsx"
)
TYPES = {0: "other", 1: "rate", 2: "proportion"}
SIMULATED = 0.05
"""The package's own tolerance for simulated limits (tests/testthat/testSII.R, ``tol``)."""

# (first record, last record, multiplier, confidence, limits given as standard errors or 95% limits)
CASES = [
    (1, 20, 1, 0.95, "se"),
    (1, 20, 1, 0.95, "limits"),
    (21, 40, 1, 0.99, "limits"),
    (41, 60, 1, 0.95, "se"),
    (71, 90, 1, 0.95, "se"),
    (71, 90, 1, 0.95, "limits"),
    (91, 110, 1, 0.95, "se"),
    (91, 110, 1, 0.95, "limits"),
    (111, 130, 100, 0.95, "limits"),
    (131, 150, -100, 0.95, "limits"),
]


def _areas(first: int, last: int) -> list[pd.DataFrame]:
    rows = WORKBOOK[WORKBOOK["RecordNo"].between(first, last)]
    return [group.sort_values("Quantile") for _, group in rows.groupby("Area", sort=True)]


def _result(group: pd.DataFrame, multiplier: float, confidence: float, given: str) -> sii.SiiResult:
    value_type = TYPES[int(group["ValueType"].iloc[0])]
    errors = (
        group["StandardError"]
        if given == "se"
        else sii.standard_errors(group["LowerCL"], group["UpperCL"], value_type)
    )
    return sii.slope_index(
        group["Population"],
        group["Value"],
        errors,
        value_type=value_type,
        multiplier=multiplier,
        confidence=confidence,
    )


@pytest.mark.parametrize(("first", "last", "multiplier", "confidence", "given"), CASES)
def test_sii_rii_and_their_limits_match_the_workbook(
    first: int, last: int, multiplier: float, confidence: float, given: str
) -> None:
    for group in _areas(first, last):
        expected = group.iloc[0]
        got = _result(group, multiplier, confidence, given)
        assert got.sii == pytest.approx(expected["sii"], rel=1e-5)
        assert got.rii == pytest.approx(expected["rii"], rel=1e-5)
        assert got.lower == pytest.approx(expected["sii_lowercl_1"], rel=SIMULATED)
        assert got.upper == pytest.approx(expected["sii_uppercl_1"], rel=SIMULATED)
        assert got.rii_lower == pytest.approx(expected["rii_lowercl_1"], rel=SIMULATED)
        assert got.rii_upper == pytest.approx(expected["rii_uppercl_1"], rel=SIMULATED)


def test_quintiles_give_the_workbooks_sii() -> None:
    for group in _areas(61, 70):
        got = _result(group, 1, 0.95, "se")
        assert got.sii == pytest.approx(group.iloc[0]["sii"], rel=1e-5)


@pytest.mark.parametrize("first", [246, 266])
def test_the_fitted_value_at_the_most_deprived_end_matches_the_workbook(first: int) -> None:
    for group in _areas(first, first + 19):
        got = _result(group, 1, 0.95, "limits")
        assert got.intercept == pytest.approx(group.iloc[0]["Intercept"], rel=1e-5)


def test_the_same_figures_always_give_the_same_interval() -> None:
    group = _areas(1, 10)[0]
    assert _result(group, 1, 0.95, "se") == _result(group, 1, 0.95, "se")


def test_a_flat_gradient_has_no_inequality() -> None:
    got = sii.slope_index([100] * 5, [50.0] * 5, [0.0] * 5)
    assert got.sii == pytest.approx(0, abs=1e-9)
    assert got.rii == pytest.approx(1)


def test_midpoints_are_the_middle_of_each_groups_population_share() -> None:
    np.testing.assert_allclose(sii.midpoints([1, 1, 2]), [0.125, 0.375, 0.75])


@pytest.mark.parametrize(
    ("populations", "values", "message"),
    [
        ([1, 1, 1, 1], [1, 2, 3, 4], "5 to 100 groups"),
        ([1, 1, 0, 1, 1], [1, 2, 3, 4, 5], "group 3: the population"),
        ([1, 1, 1, 1, 1], [1, 2, np.nan, 4, 5], "group 3: the value is missing"),
    ],
)
def test_bad_groups_are_refused_naming_the_group(populations: list, values: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sii.slope_index(populations, values, [0.1] * len(values))
