"""Filtering, sorting and counting the scorecard, on hand-made records with known answers."""

from __future__ import annotations

import datetime as dt

import pytest

from data.scorecard_views import (
    Domain,
    RowFilters,
    figures_to,
    filter_rows,
    framework_total,
    sort_rows,
    summary_by_domain,
)
from tests.dashboard.rows import scorecard_row


def row(code: str, name: str, **fields):
    return scorecard_row(indicator_code=code, name=name, short_name=name, **fields)


# Five indicators a committee might see, in framework order.
VISITS = row("visits", "New birth visits", value=88.9, target_status="red", benchmark="similar")
SMOKING = row(
    "smoking",
    "Smoking at time of delivery",
    value=12.0,
    target_status="amber",
    benchmark="worse",
    spc_judged=True,
    spc_variation="concern_high",
    worsening=True,
)
TEETH = row(
    "teeth", "Dental decay at 5", value=20.0, target_status="green", benchmark="better", improving=True
)
OBESITY = row(
    "obesity",
    "Obesity in reception",
    value=10.1,
    target_status="red",
    benchmark="worse",
    spc_judged=True,
    spc_variation="common_cause",
)
NEETS = row("neets", "Young people not in education")  # no figure
ROWS = [VISITS, SMOKING, TEETH, OBESITY, NEETS]
DOMAINS = [
    Domain("1", "Maternity", ("smoking", "visits")),
    Domain("2", "Healthy weight and teeth", ("teeth", "obesity", "smoking")),
    Domain("3", "Education", ("neets",)),
]
IN_DOMAIN = {"smoking": {"1", "2"}, "visits": {"1"}, "teeth": {"2"}, "obesity": {"2"}, "neets": {"3"}}


def codes(rows) -> list[str]:
    return [r.indicator_code for r in rows]


def test_no_filter_keeps_every_row_in_order():
    assert codes(filter_rows(ROWS, RowFilters())) == ["visits", "smoking", "teeth", "obesity", "neets"]
    assert not RowFilters().active


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (RowFilters(target_status="red"), ["visits", "obesity"]),
        (RowFilters(target_status="amber"), ["smoking"]),
        (RowFilters(target_status="green"), ["teeth"]),
        (RowFilters(worse_than_england=True), ["smoking", "obesity"]),
        (RowFilters(concern=True), ["smoking"]),  # obesity's SPC is common cause
        (RowFilters(target_status="red", worse_than_england=True), ["obesity"]),
        (RowFilters(changed=frozenset({"teeth", "neets"})), ["teeth", "neets"]),
        (RowFilters(changed=frozenset()), []),
        (RowFilters(domain="1"), ["visits", "smoking"]),
        (RowFilters(domain="2", target_status="red"), ["obesity"]),
        (RowFilters(search="SMOKING"), ["smoking"]),
        (RowFilters(search="in reception"), ["obesity"]),  # every word, anywhere in the name
        (RowFilters(search="reception smoking"), []),
        (RowFilters(search="   "), ["visits", "smoking", "teeth", "obesity", "neets"]),
    ],
)
def test_each_filter_keeps_only_what_it_says(filters, expected):
    assert codes(filter_rows(ROWS, filters, IN_DOMAIN)) == expected


def test_concern_needs_a_judged_chart():
    unjudged = row("x", "X", value=1.0, spc_judged=False, spc_variation="concern_low")
    assert filter_rows([unjudged], RowFilters(concern=True)) == []


def test_filters_are_described_in_words():
    filters = RowFilters(target_status="red", concern=True, changed=frozenset(), domain="2", search=" teeth ")
    assert filters.active
    assert filters.describe("Domain 2: Healthy weight and teeth", "30 June 2025") == [
        "off target",
        "special-cause concern",
        "changed since 30 June 2025",
        "in Domain 2: Healthy weight and teeth",
        "with \u201cteeth\u201d in the name",
    ]


def test_sorting_by_domain_status_and_name():
    order = {"visits": 0, "smoking": 1, "teeth": 2, "obesity": 3, "neets": 4}
    shuffled = [NEETS, TEETH, OBESITY, SMOKING, VISITS]
    assert codes(sort_rows(shuffled, "domain", order)) == ["visits", "smoking", "teeth", "obesity", "neets"]
    # Off target first, worse than England first within it; then near target, on target, no figure.
    assert codes(sort_rows(shuffled, "status", order)) == ["obesity", "visits", "smoking", "teeth", "neets"]
    assert codes(sort_rows(shuffled, "name", order)) == ["teeth", "visits", "obesity", "smoking", "neets"]
    with pytest.raises(ValueError, match="unknown order"):
        sort_rows(ROWS, "colour")


def test_summary_by_domain_counts_each_status():
    maternity, weight, education = summary_by_domain(ROWS, DOMAINS)
    assert (maternity.title, maternity.indicators, maternity.with_data) == ("Maternity", 2, 2)
    assert maternity.target == {"red": 1, "amber": 1, "green": 0, "not assessed": 0}
    assert maternity.benchmark["worse"] == 1 and maternity.benchmark["similar"] == 1
    assert (maternity.concern, maternity.worsening, maternity.improving) == (1, 1, 0)
    assert weight.target == {"red": 1, "amber": 1, "green": 1, "not assessed": 0}
    assert (weight.benchmark["worse"], weight.benchmark["better"], weight.improving) == (2, 1, 1)
    assert (education.indicators, education.with_data, education.no_data) == (1, 0, 1)
    assert sum(education.target.values()) == 0


def test_the_framework_total_counts_an_indicator_in_two_domains_once():
    total = framework_total(ROWS, DOMAINS, "All indicators")
    assert (total.indicators, total.with_data) == (5, 4)
    assert total.target == {"red": 2, "amber": 1, "green": 1, "not assessed": 0}
    assert total.concern == 1


def test_figures_to_names_each_source_and_its_own_date():
    provider = row("visits", "Visits", value=90.0, period_end=dt.date(2025, 9, 30))
    published = row("teeth", "Teeth", value=20.0, period_end=dt.date(2025, 3, 31))
    older = row("obesity", "Obesity", value=10.0, period_end=dt.date(2024, 8, 31))
    result = figures_to([provider, published, older, NEETS], {"visits"})
    assert (result.provider, result.published, result.latest) == (
        dt.date(2025, 9, 30),
        dt.date(2025, 3, 31),
        dt.date(2025, 9, 30),
    )
    assert result.words(lambda d: f"{d.day}/{d.month}/{d.year}") == (
        "provider returns to 30/9/2025; published national figures to 31/3/2025"
    )
    assert figures_to([NEETS], {"visits"}).words(str) == "no figures yet"


# --- The areas table ---------------------------------------------------------------------------------------


def test_the_areas_table_has_one_tidy_row_per_indicator_and_area_in_domain_order():
    import pandas as pd

    from data.areas_table import areas_table, for_export

    area = [
        row(
            "smoking", "Smoking", value=12.0, period_label="2024/25", target_status="amber", benchmark="worse"
        ),
        row("visits", "Visits", value=88.9, period_label="2025/26 Q2", benchmark="not compared"),
    ]
    england = [row("smoking", "Smoking", value=7.4, period_label="2024/25"), row("visits", "Visits")]
    table = areas_table(
        {"A": area, "E": england},
        [("A", "Our area"), ("E", "England")],
        DOMAINS[:1],  # smoking then visits
        benchmark="E",
    )
    assert list(zip(table["indicator_code"], table["area"], strict=True)) == [
        ("smoking", "Our area"),
        ("smoking", "England"),
        ("visits", "Our area"),
        ("visits", "England"),
    ]
    assert list(table["comparison"]) == ["worse", "", "not compared", ""]
    assert pd.isna(table["value"].iloc[3]) and table["value"].iloc[1] == 7.4
    exported = for_export(table)
    assert list(exported.columns)[:3] == ["Domain", "Indicator code", "Indicator"]
    assert list(exported["Compared with England"]) == ["Worse than England", "", "Not compared", ""]
