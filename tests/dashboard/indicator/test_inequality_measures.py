"""The gap between the most and least deprived and the slope index of inequality under the inequalities
charts.

Known answers: Cambridgeshire's obesity in Reception (see :mod:`.support`) is 10.2% in the most deprived
quintile and 5.8% in the least, three quintiles only, so no slope index. Fenland's breastfeeding by
deprivation decile (added here): 1,000 babies in each decile, 400 breastfed in the most deprived rising by 20
a decile to 580 in the least; with equal populations the deciles sit at 0.05, 0.15 … 0.95 on the deprivation
scale, so the fitted line rises 2 points per tenth: a slope index of exactly 20 percentage points.
"""

from __future__ import annotations

import pytest

from dashboard import create_app
from dashboard.components.charts.breakdowns import deprivation_key
from data.importers.pipeline import import_file
from tests.dashboard.indicator.support import (
    CAMBRIDGESHIRE,
    FENLAND,
    by_id,
    render_page,
    seeded_engine,
    table_rows,
    text_of,
)

DECILES = [
    "Most deprived decile (IMD2019)",
    "Second most deprived decile (IMD2019)",
    "Third more deprived decile (IMD2019)",
    "Fourth more deprived decile (IMD2019)",
    "Fifth more deprived decile (IMD2019)",
    "Fifth less deprived decile (IMD2019)",
    "Fourth less deprived decile (IMD2019)",
    "Third less deprived decile (IMD2019)",
    "Second least deprived decile (IMD2019)",
    "Least deprived decile (IMD2019)",
]
HEADER = (
    "IndicatorID,AreaCode,Sex,Age,Category_Type,Category,Timeperiod,Value,Lower_CI_95.0_limit,"
    "Upper_CI_95.0_limit,Count,Denominator,Value_note,Compared_to_England_value_or_percentiles\n"
)
KEY = "inequalities-district-deprivation-deciles"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deciles")
    engine = seeded_engine(folder)
    rows = [
        f"92517,{FENLAND},Persons,6-8 weeks,District deprivation deciles,{label},2023/24,"
        f"{(400 + 20 * i) / 10:.1f},,,{400 + 20 * i},1000,,\n"
        for i, label in enumerate(DECILES)
    ]
    rows = rows[::2] + rows[1::2]  # not in order in the file
    path = folder / "deciles.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    result = import_file(engine, path, imported_by="test")
    assert result.rows_rejected == 0, result.message
    yield create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})
    engine.dispose()


def test_deprivation_groups_sort_from_most_to_least_deprived():
    assert sorted(reversed(DECILES), key=deprivation_key) == DECILES
    quintiles = ["Least deprived quintile", "Average deprived quintile", "Most deprived quintile"]
    assert sorted(quintiles, key=deprivation_key) == list(reversed(quintiles))
    assert deprivation_key("Female") is None


def test_the_gap_is_said_in_words_and_three_quintiles_give_no_slope_index(app):
    page = render_page(app, "obesity-reception", area=CAMBRIDGESHIRE)
    key = "inequalities-deprivation-quintile"
    assert text_of(by_id(page, f"{key}-gap")) == (
        "In 2023/24, obesity (Reception) in Cambridgeshire was 10.2% in the most deprived quintile and 5.8% "
        "in the least deprived quintile: 4.4 percentage points higher in the most deprived."
    )
    assert text_of(by_id(page, f"{key}-sii")) == (
        "The slope index of inequality is not shown: it needs at least 5 deprivation groups and there are 3."
    )


def test_deciles_with_populations_give_the_slope_index_of_inequality(app):
    page = render_page(app, "breastfeeding-6-8-weeks", area=FENLAND)
    assert [row[0] for row in table_rows(page, f"table-{KEY}")] == DECILES
    gap = text_of(by_id(page, f"{KEY}-gap"))
    assert gap.endswith(
        "18.0 percentage points lower in the most deprived. Their 95% intervals do not overlap."
    )
    sentence = text_of(by_id(page, f"{KEY}-sii"))
    assert sentence.startswith("Slope index of inequality: 20.0 percentage points (95% interval ")
    lower, upper = (float(x) for x in sentence.split("95% interval ")[1].split(")")[0].split(" to "))
    assert 15 < lower < 20 < upper < 25
    assert "the figure is 20.0 percentage points higher at the least deprived end" in sentence
    assert "10 groups weighted by their populations" in sentence
