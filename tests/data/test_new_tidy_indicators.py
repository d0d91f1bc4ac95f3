"""A tidy extract's indicator that the catalogue lacks loads as "not in a framework", like a Fingertips
export's; a provider return's unknown KPI code is still refused (its codes are the contract's)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data import schema
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.pipeline import import_file
from data.seed import seed_reference
from tests.data.helpers import count_rows, observations, write_csv
from tests.data.test_new_indicators import CAMBS, ENGLAND, PBORO, indicator

TIDY_HEADER = ["area_code", "area_name", "period", "value", "indicator", "measure", "unit", "significance"]
SEMH = "Pupils with social, emotional and mental health needs"
CODE = "tidy-pupils-with-social-emotional-and-mental-health"  # whole words, at most 50 characters


def semh_file(tmp_path, name: str = "semh.csv", extra: list[list] | None = None):
    """Cambridgeshire above England called 'Worse', Peterborough below called 'Better': lower is better."""
    rows = [
        [ENGLAND, "England", "2019/20", "2.7", SEMH, "Percentage", "Persons", ""],
        [CAMBS, "Cambridgeshire", "2019/20", "3.1", SEMH, "Percentage", "Persons", "Worse"],
        [PBORO, "Peterborough", "2019/20", "2.2", SEMH, "Percentage", "Persons", "Better"],
    ]
    return write_csv(tmp_path / name, TIDY_HEADER, rows + (extra or []))


def aliases(engine: sa.Engine, code: str) -> list[tuple[str, str]]:
    table = schema.indicator_aliases
    with engine.connect() as conn:
        return conn.execute(
            sa.select(table.c.source_name, table.c.measure).where(table.c.indicator_code == code)
        ).all()


def test_an_uncatalogued_tidy_indicator_loads_as_not_in_a_framework(any_store, tmp_path):
    result = import_file(any_store, semh_file(tmp_path))
    assert (result.rows_new, result.rows_rejected) == (3, 0)
    added = indicator(any_store, CODE)
    assert (added["name"], added["unit"], added["value_type"], added["multiplier"]) == (
        SEMH,
        "%",
        "proportion",
        100,
    )
    assert (added["polarity"], added["year_type"], added["sex"]) == ("lower_is_better", "academic", "Persons")
    assert added["fingertips_id"] is None
    assert aliases(any_store, CODE) == [(SEMH, "Percentage")]
    stored = observations(any_store, indicator_code=CODE).set_index("area_code")
    assert stored.loc[CAMBS, "value"] == 3.1
    assert stored.loc[CAMBS, "period_start"] == dt.date(2019, 9, 1)
    assert result.summary().splitlines()[1] == (
        "1 indicator not in the catalogue added as not in a framework: "
        f'{CODE} "{SEMH}" (Percentage) (%, 3 rows; academic years, as its periods are written like '
        "2019/20 and its name says it counts a school year (\u201cPupils\u201d))."
    )


def test_what_the_file_does_not_say_is_assumed_and_said(store, tmp_path):
    rows = [[CAMBS, "Cambridgeshire", "2021", "14", "Average wait for a school nurse", "Days", "Persons", ""]]
    result = import_file(store, write_csv(tmp_path / "wait.csv", TIDY_HEADER, rows))
    code = "tidy-average-wait-for-a-school-nurse"
    added = indicator(store, code)
    assert (added["unit"], added["polarity"], added["year_type"]) == ("number", "no_judgement", "calendar")
    assert result.summary().splitlines()[1] == (
        f'1 indicator not in the catalogue added as not in a framework: {code} "Average wait for a school '
        'nurse" (Days) (number, 1 row; calendar years, as its periods are plain years such as 2021; a plain '
        "number, as the file gives no unit; no direction judged better, as its comparisons with England do "
        "not show one)."
    )


def test_importing_it_again_or_after_a_new_seed_adds_nothing(store, tmp_path):
    import_file(store, semh_file(tmp_path))
    before = count_rows(store, schema.indicators)
    seed_reference(store)
    assert aliases(store, CODE) == [(SEMH, "Percentage")]  # the store's own alias survives the seed
    again = import_file(store, semh_file(tmp_path, "semh-again.csv"))
    assert (again.rows_new, again.rows_unchanged, again.new_indicators) == (0, 3, [])
    assert count_rows(store, schema.indicators) == before


def test_a_refused_strict_tidy_import_keeps_no_new_indicator_or_alias(store, tmp_path):
    bad = [["E99999999", "Nowhere", "2019/20", "1.0", SEMH, "Percentage", "Persons", ""]]
    result = import_file(store, semh_file(tmp_path, extra=bad), strict=True)
    assert result.status == "rejected"
    assert "would be added as not in a framework" in result.summary()
    with store.connect() as conn:
        assert (
            conn.execute(sa.select(schema.indicators).where(schema.indicators.c.code == CODE)).first() is None
        )
    assert aliases(store, CODE) == []
    assert count_rows(store, schema.observations) == 0


def test_a_provider_return_with_an_unknown_kpi_code_is_still_refused(store, tmp_path):
    before = count_rows(store, schema.indicators)
    rows = [["kpi-made-up", CAMBS, "2024/25 Q1", "5", "10", "", "", ""]]
    result = import_file(store, write_csv(tmp_path / "return.csv", list(PROVIDER_RETURN_HEADER), rows))
    assert (result.rows_new, result.rows_rejected, result.new_indicators) == (0, 1, [])
    assert "unknown indicator code 'kpi-made-up'" in result.rejections[0].reason
    assert count_rows(store, schema.indicators) == before
