"""Checking each row of an import and turning it into an observation, or a rejection with its reasons.

A row is rejected, never guessed at, when its indicator or area is unknown, its period cannot be read, a
number is not a number or is negative, a proportion's count exceeds its denominator, a percentage exceeds
100, its confidence interval does not contain its value, or another row in the file has the same key. Every
reason for a row is reported together, so one round of corrections fixes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import pandas as pd

from data.importers.formats import MISSING, Format
from data.periods import Period, PeriodError, parse_period

NUMBER_FIELDS = ("value", "lower95", "upper95", "lower998", "upper998", "count", "denominator")
NUMBER_LABELS = {
    "value": "value",
    "lower95": "lower 95% limit",
    "upper95": "upper 95% limit",
    "lower998": "lower 99.8% limit",
    "upper998": "upper 99.8% limit",
    "count": "count (numerator)",
    "denominator": "denominator",
}
NO_VALUE_NOTE = "No value published"
YES = {"yes", "y", "true", "1", "provisional", "p"}
NO = {"", "no", "n", "false", "0"}


@dataclass(frozen=True)
class Rejection:
    """A row that was not loaded: its spreadsheet row number, every reason, and a short category."""

    row_number: int
    reasons: tuple[str, ...]
    problem: str  # the first reason's category, for the summary

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class Lookups:
    """What the store knows, prepared once per import."""

    indicators: pd.DataFrame  # indexed by code: value_type, multiplier, year_type, age, sex
    by_fingertips_id: dict[str, str]
    by_alias: dict[tuple[str, str], str]
    area_codes: frozenset[str]


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("%", "").strip()
    if cleaned.lower() in MISSING:
        return None
    number = float(cleaned)
    if math.isnan(number) or math.isinf(number):
        raise ValueError(text)
    return number


def _resolve_indicator(row: dict, file_format: Format, lookups: Lookups) -> tuple[str | None, str | None]:
    ref = row["indicator_ref"]
    if not ref:
        return None, "no indicator given"
    if file_format.indicator_ref_kind == "fingertips_id":
        key = ref.removesuffix(".0")
        code = lookups.by_fingertips_id.get(key)
        return (
            code,
            None if code else f"unknown indicator: Fingertips indicator {ref} is not in the catalogue",
        )
    if file_format.indicator_ref_kind == "alias":
        code = lookups.by_alias.get((ref, row["measure"])) or lookups.by_alias.get((ref, ""))
        return code, None if code else f"unknown indicator '{ref}' ({row['measure']})"
    code = ref.strip().lower()
    found = code in lookups.indicators.index
    return (code, None) if found else (None, f"unknown indicator code '{ref}'")


def check_row(row: dict, file_format: Format, lookups: Lookups) -> tuple[dict | None, list[tuple[str, str]]]:
    """Validate one common-layout row: the observation it gives, or a list of (category, reason)."""
    problems: list[tuple[str, str]] = []
    code, problem = _resolve_indicator(row, file_format, lookups)
    if problem:
        problems.append(("unknown indicator", problem))
    area = row["area_code"].strip().upper()
    if not area:
        problems.append(("unknown area", "no area code given"))
    elif area not in lookups.area_codes:
        problems.append(("unknown area", f"unknown area code '{row['area_code']}'"))

    indicator = cast(pd.Series, lookups.indicators.loc[code]) if code else None
    period = None
    try:
        period = parse_period(row["period"], indicator["year_type"] if indicator is not None else "financial")
    except PeriodError as error:
        problems.append(("unreadable period", str(error)))

    numbers, number_problems = _numbers(row)
    problems += number_problems
    provisional_text = row["provisional"].strip().lower()
    if provisional_text not in YES | NO:
        problems.append(("unreadable flag", f"provisional '{row['provisional']}' should be yes or no"))

    if indicator is not None:
        problems += _check_against_indicator(numbers, indicator)
    problems += _check_interval(numbers)
    if problems or code is None or indicator is None or period is None:  # the last three come with a problem
        return None, problems
    return _observation(row, code, area, indicator, period, numbers, provisional_text in YES), []


def _numbers(row: dict) -> tuple[dict[str, float | None], list[tuple[str, str]]]:
    """The row's numbers (None where blank or unreadable), and the problems with them."""
    problems: list[tuple[str, str]] = []
    numbers: dict[str, float | None] = {}
    for field in NUMBER_FIELDS:
        try:
            numbers[field] = _number(row[field])
        except ValueError:
            numbers[field] = None
            problems.append(("not a number", f"{NUMBER_LABELS[field]} '{row[field]}' is not a number"))
    for field, number in numbers.items():
        if number is not None and number < 0:
            problems.append(("negative number", f"{NUMBER_LABELS[field]} {row[field]} is negative"))
    return numbers, problems


def _observation(
    row: dict,
    code: str,
    area: str,
    indicator: pd.Series,
    period: Period,
    numbers: dict[str, float | None],
    provisional: bool,
) -> dict:
    """The observation a valid row gives, working out a proportion's value from its count when needed."""
    value = numbers["value"]
    if value is None and numbers["count"] is not None and numbers["denominator"]:
        value = numbers["count"] / numbers["denominator"] * float(indicator["multiplier"])
    note = row["value_note"]
    if value is None and not note:
        note = NO_VALUE_NOTE
    return {
        "indicator_code": code,
        "area_code": area,
        "period_start": period.start,
        "period_end": period.end,
        "period_label": period.label,
        "granularity": period.granularity,
        "sex": row["sex"] or indicator["sex"],
        "age": row["age"] or indicator["age"],
        "category_type": row["category_type"],
        "category": row["category"],
        **numbers,
        "value": value,
        "value_note": note,
        "provisional": provisional,
        "published_comparison": ""
        if row["published_comparison"].lower() in MISSING
        else row["published_comparison"],
    }


def _check_against_indicator(numbers: dict[str, float | None], indicator: pd.Series) -> list[tuple[str, str]]:
    problems = []
    count, denominator, value = numbers["count"], numbers["denominator"], numbers["value"]
    if indicator["value_type"] == "proportion":
        if count is not None and denominator is not None and count > denominator:
            problems.append(
                ("count above denominator", f"count {count:g} is more than the denominator {denominator:g}")
            )
        if value is not None and value > indicator["multiplier"]:
            problems.append(
                (
                    "value out of range",
                    f"value {value:g} is more than {indicator['multiplier']:g} for a proportion",
                )
            )
    if denominator == 0 and value is None and count is not None:
        problems.append(("zero denominator", "the denominator is 0, so no value can be calculated"))
    return problems


def _check_interval(numbers: dict[str, float | None]) -> list[tuple[str, str]]:
    problems = []
    value = numbers["value"]
    for level, lower, upper in (("95%", "lower95", "upper95"), ("99.8%", "lower998", "upper998")):
        low, high = numbers[lower], numbers[upper]
        if low is not None and high is not None and low > high:
            problems.append(("interval out of order", f"the {level} lower limit is above the upper limit"))
        elif value is not None and (
            (low is not None and low > value * (1 + 1e-9)) or (high is not None and high < value * (1 - 1e-9))
        ):
            problems.append(
                ("interval excludes value", f"the {level} confidence interval does not contain the value")
            )
    return problems


KEY_FIELDS = (
    "indicator_code",
    "area_code",
    "period_start",
    "period_end",
    "sex",
    "age",
    "category_type",
    "category",
)


def reject_duplicates(valid: pd.DataFrame) -> tuple[pd.DataFrame, list[Rejection]]:
    """Remove every row whose key another row in the same file shares: which copy is right is not ours to
    guess."""
    if valid.empty:
        return valid, []
    duplicated = valid.duplicated(list(KEY_FIELDS), keep=False)
    rejections = []
    for _, group in valid[duplicated].groupby(list(KEY_FIELDS), sort=False):
        rows = group["row_number"].tolist()
        for row_number in rows:
            others = ", ".join(str(r) for r in rows if r != row_number)
            rejections.append(
                Rejection(
                    row_number,
                    (f"duplicate: row {others} gives the same indicator, area, period and breakdown",),
                    "duplicate row",
                )
            )
    return valid[~duplicated], rejections


def validate(
    common: pd.DataFrame, file_format: Format, lookups: Lookups
) -> tuple[pd.DataFrame, list[Rejection]]:
    """Split a common-layout table into valid observations and rejections (both keep file row numbers)."""
    records: list[dict] = []
    rejections: list[Rejection] = []
    for row in common.to_dict("records"):
        observation, problems = check_row(row, file_format, lookups)
        if observation is None:
            rejections.append(Rejection(row["row_number"], tuple(p[1] for p in problems), problems[0][0]))
        else:
            observation["row_number"] = row["row_number"]
            records.append(observation)
    valid = pd.DataFrame.from_records(records, columns=[*KEY_FIELDS, "row_number"] if not records else None)
    valid, duplicates = reject_duplicates(valid)
    rejections += duplicates
    return valid, sorted(rejections, key=lambda r: r.row_number)
