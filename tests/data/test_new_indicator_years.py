"""The year type of an indicator added from a file: worked out from how the file writes its periods, said in
the import summary, and changed by an administrator, which moves its stored figures to their true dates."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
import sqlalchemy as sa

from data import catalogue_edits, schema
from data.importers.new_indicators import year_type
from data.importers.pipeline import import_file
from tests.data.helpers import observations, write_csv
from tests.data.test_new_indicators import ADMIN, CAMBS, ENGLAND, HEADER, asthma_file, indicator, row

RECEPTION = "Reception: Prevalence of obesity (including severe obesity)"


def _dates(engine: sa.Engine, code: str) -> set[tuple[str, dt.date, dt.date]]:
    found = observations(engine, indicator_code=code)
    return set(zip(found["period_label"], found["period_start"], found["period_end"], strict=True))


@pytest.mark.parametrize(
    ("name", "periods", "expected"),
    [
        (RECEPTION, ["2018/19", "2019/20"], "academic"),
        ("Pupils with social, emotional and mental health needs", ["2019/20"], "academic"),
        ("School readiness: percentage achieving a good level of development", ["2022/23"], "academic"),
        ("Children aged 10-11 years who have excess weight", ["2021/22"], "academic"),
        ("Hospital admissions for asthma (under 19 years)", ["2019/20"], "financial"),
        ("Breastfeeding at 6 to 8 weeks", ["2019/20 Q1", "2019/20 Q2"], "financial"),
        ("Pupils absent from school", ["2019/20 Q1"], "financial"),
        ("Children in low income families", ["2019", "2020"], "calendar"),
        ("Under 18s conceptions", ["2017 - 19"], "calendar"),
        ("Mystery measure", ["sometime"], "financial"),
    ],
)
def test_the_year_type_follows_the_periods_and_the_name(name, periods, expected):
    assert year_type(name, pd.Series(periods))[0] == expected


def test_a_school_year_measure_is_dated_september_to_august_and_the_summary_says_why(store, tmp_path):
    rows = [
        row("90316", RECEPTION, area, "2019/20", v, "", "", "")
        for area, v in ((ENGLAND, "9.9"), (CAMBS, "7.5"))
    ]
    result = import_file(store, write_csv(tmp_path / "ncmp.csv", HEADER, rows))
    assert indicator(store, "fingertips-90316")["year_type"] == "academic"
    assert _dates(store, "fingertips-90316") == {("2019/20", dt.date(2019, 9, 1), dt.date(2020, 8, 31))}
    assert (
        "2 rows; academic years, as its periods are written like 2019/20 and its name says it counts a "
        "school year (\u201cReception\u201d); a plain number, as the file gives no unit" in result.summary()
    )


def test_plain_years_are_calendar_years(store, tmp_path):
    rows = [row("99004", "Children in low income families", CAMBS, "2019", "12.1", "", "", "")]
    result = import_file(store, write_csv(tmp_path / "low.csv", HEADER, rows))
    assert indicator(store, "fingertips-99004")["year_type"] == "calendar"
    assert "calendar years, as its periods are plain years such as 2019" in result.summary()
    assert _dates(store, "fingertips-99004") == {("2019", dt.date(2019, 1, 1), dt.date(2019, 12, 31))}


def test_changing_the_year_type_moves_the_stored_figures_with_an_audit_entry(any_store, tmp_path):
    import_file(any_store, asthma_file(tmp_path))
    code = "fingertips-92196"
    assert _dates(any_store, code) == {("2022/23", dt.date(2022, 4, 1), dt.date(2023, 3, 31))}

    version = catalogue_edits.edit(
        any_store,
        ADMIN,
        code,
        nodes=[],
        polarity="lower_is_better",
        year_type="academic",
        reason="School year",
    )

    assert version.figures_redated == 3 and version.entry.year_type == "academic"
    assert indicator(any_store, code)["year_type"] == "academic"
    assert _dates(any_store, code) == {("2022/23", dt.date(2022, 9, 1), dt.date(2023, 8, 31))}
    history = catalogue_edits.history(any_store, code)
    assert [v.entry.year_type for v in history] == ["financial", "academic"]
    with any_store.connect() as conn:
        audit = conn.execute(
            sa.select(schema.audit_log.c.before, schema.audit_log.c.after).where(
                schema.audit_log.c.entity_key == code
            )
        ).one()
    assert json.loads(audit.before)["year_type"] == "financial"
    after = json.loads(audit.after)
    assert (after["year_type"], after["figures_redated"]) == ("academic", 3)

    again = import_file(any_store, asthma_file(tmp_path, "asthma-again.csv"))
    assert (again.rows_new, again.rows_unchanged) == (0, 3)  # the same figures, found on their new dates

    back = catalogue_edits.edit(
        any_store, ADMIN, code, nodes=[], polarity="lower_is_better", year_type="financial", reason="Undo"
    )
    assert back.figures_redated == 3
    assert _dates(any_store, code) == {("2022/23", dt.date(2022, 4, 1), dt.date(2023, 3, 31))}


def test_an_edit_without_a_year_type_keeps_it_and_moves_nothing(store, tmp_path):
    import_file(store, asthma_file(tmp_path))
    version = catalogue_edits.edit(
        store, ADMIN, "fingertips-92196", nodes=[], polarity="lower_is_better", reason="Polarity only"
    )
    assert (version.entry.year_type, version.figures_redated) == ("financial", 0)


def test_a_year_type_that_is_not_one_is_refused_in_words(store, tmp_path):
    import_file(store, asthma_file(tmp_path))
    with pytest.raises(catalogue_edits.CatalogueEditError, match="financial, academic or calendar years"):
        catalogue_edits.edit(
            store,
            ADMIN,
            "fingertips-92196",
            nodes=[],
            polarity="no_judgement",
            year_type="fiscal",
            reason="x",
        )
    assert _dates(store, "fingertips-92196") == {("2022/23", dt.date(2022, 4, 1), dt.date(2023, 3, 31))}
