"""An export of an indicator the catalogue lacks loads as an indicator "not in a framework", described from
the file; an administrator maps it into a framework, versioned, and the mapping survives a new seed."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from data import access, catalogue_edits, schema
from data.importers.pipeline import import_file
from data.importers.preview import preview_bytes
from data.seed import seed_reference
from kpi import cli
from tests.data.helpers import count_rows, observations, write_csv

CAMBS, PBORO, ENGLAND = "E10000003", "E06000031", "E92000001"
# The columns of a Fingertips website download ("Export table as CSV file").
HEADER = [
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    "Compared to percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
]
ASTHMA = "Hospital admissions for asthma (under 19 years)"


def row(
    ft_id: str, name: str, area: str, period: str, value: str, lower: str, upper: str, compared: str
) -> list:
    cells = dict.fromkeys(HEADER, "")
    cells.update(
        {
            "Indicator ID": ft_id,
            "Indicator Name": name,
            "Area Code": area,
            "Sex": "Persons",
            "Age": "<19 yrs",
            "Time period": period,
            "Value": value,
            "Lower CI 95.0 limit": lower,
            "Upper CI 95.0 limit": upper,
            "Compared to England value or percentiles": compared,
        }
    )
    return list(cells.values())


def asthma_file(tmp_path, name: str = "asthma.csv"):
    """Indicator 92196 (per 100,000): Cambridgeshire below England, 'Better'; Peterborough above, 'Worse'."""
    rows = [
        row("92196", f"{ASTHMA} per 100,000", ENGLAND, "2022/23", "162.3", "160.5", "164.1", ""),
        row("92196", f"{ASTHMA} per 100,000", CAMBS, "2022/23", "101.5", "90.1", "114.0", "Better"),
        row("92196", f"{ASTHMA} per 100,000", PBORO, "2022/23", "221.0", "190.2", "255.3", "Worse"),
    ]
    return write_csv(tmp_path / name, HEADER, rows)


def indicator(engine: sa.Engine, code: str) -> dict:
    with engine.connect() as conn:
        return dict(
            conn.execute(sa.select(schema.indicators).where(schema.indicators.c.code == code))
            .mappings()
            .one()
        )


def test_an_uncatalogued_indicator_loads_as_not_in_a_framework(any_store, tmp_path):
    before = count_rows(any_store, schema.indicators)
    result = import_file(any_store, asthma_file(tmp_path))
    assert (result.rows_new, result.rows_rejected) == (3, 0)
    added = indicator(any_store, "fingertips-92196")
    assert added["name"] == f"{ASTHMA} per 100,000" and added["fingertips_id"] == 92196
    assert (added["unit"], added["value_type"], added["multiplier"]) == ("per 100,000", "rate", 100000)
    assert added["polarity"] == "lower_is_better"  # 'Better' where below England
    assert (added["sex"], added["age"]) == ("Persons", "<19 yrs")
    assert count_rows(any_store, schema.indicators) == before + 1
    stored = observations(any_store, indicator_code="fingertips-92196").set_index("area_code")
    assert stored.loc[CAMBS, "value"] == pytest.approx(101.5)
    assert result.summary().splitlines()[1] == (
        "1 indicator not in the catalogue added as not in a framework: "
        f'Fingertips 92196 "{ASTHMA} per 100,000" (per 100,000, 3 rows; financial years, as its periods '
        "are written like 2022/23 and its name names no school year)."
    )
    listed = catalogue_edits.not_in_a_framework(any_store)
    assert "fingertips-92196" in set(listed["code"])


def test_importing_it_again_adds_nothing(store, tmp_path):
    import_file(store, asthma_file(tmp_path))
    again = import_file(store, asthma_file(tmp_path))
    assert (again.rows_new, again.rows_unchanged, again.rows_rejected, again.new_indicators) == (0, 3, 0, [])
    assert count_rows(store, schema.rejected_rows) == 0


def test_a_file_without_comparisons_gets_its_unit_from_the_name_and_no_judgement(store, tmp_path):
    name = "Estimated prevalence of eating disorders: % population aged 5-16"
    rows = [row("99001", name, area, "2019", v, "", "", "") for area, v in ((ENGLAND, "0.4"), (CAMBS, "0.5"))]
    import_file(store, write_csv(tmp_path / "ed.csv", HEADER, rows))
    added = indicator(store, "fingertips-99001")
    assert (added["unit"], added["value_type"], added["polarity"]) == ("%", "proportion", "no_judgement")


def test_a_refused_strict_import_keeps_no_new_indicator(store, tmp_path):
    rows = [
        row("92196", ASTHMA, CAMBS, "2022/23", "101.5", "", "", ""),
        row("92196", ASTHMA, "E99999999", "2022/23", "50", "", "", ""),
    ]
    result = import_file(store, write_csv(tmp_path / "bad.csv", HEADER, rows), strict=True)
    assert result.status == "rejected"
    assert "would be added as not in a framework" in result.summary()
    with store.connect() as conn:
        assert (
            conn.execute(
                sa.select(schema.indicators).where(schema.indicators.c.fingertips_id == 92196)
            ).first()
            is None
        )


ADMIN = access.User("Asha Patel", frozenset({"admin"}))
OFFICER = access.User("Kim Lee", frozenset({"officer"}))


def test_an_administrator_maps_it_into_a_framework_with_a_target(any_store, tmp_path):
    import_file(any_store, asthma_file(tmp_path))
    version = catalogue_edits.edit(
        any_store,
        ADMIN,
        "fingertips-92196",
        nodes=["cyp-outcomes:2.1"],
        polarity="lower_is_better",
        short_name="Asthma admissions, under 19s",
        target=120.0,
        reason="Agreed at the March board as a community-managed condition",
    )
    assert version.version == 2 and version.edited_by == "Asha Patel"
    assert version.entry.nodes == ("cyp-outcomes:2.1",)
    history = catalogue_edits.history(any_store, "fingertips-92196")
    assert [v.version for v in history] == [1, 2]
    assert history[0].entry.nodes == () and history[0].reason == catalogue_edits.FIRST_VERSION_REASON
    assert "fingertips-92196" not in set(catalogue_edits.not_in_a_framework(any_store)["code"])
    with any_store.connect() as conn:
        targets = conn.execute(
            sa.select(schema.targets.c.target, schema.targets.c.set_by).where(
                schema.targets.c.indicator_code == "fingertips-92196"
            )
        ).all()
        audit = conn.execute(sa.select(schema.audit_log.c.who, schema.audit_log.c.entity_key)).all()
    assert targets == [(120.0, "Asha Patel")]
    assert ("Asha Patel", "fingertips-92196") in audit
    assert indicator(any_store, "fingertips-92196")["short_name"] == "Asthma admissions, under 19s"


def test_the_mapping_survives_a_new_seed_and_a_second_edit_keeps_the_first(store, tmp_path):
    import_file(store, asthma_file(tmp_path))
    catalogue_edits.edit(
        store,
        ADMIN,
        "fingertips-92196",
        nodes=["cyp-outcomes:2.1"],
        polarity="lower_is_better",
        reason="Board decision",
    )
    seed_reference(store)
    assert catalogue_edits.entry_of(store, "fingertips-92196").nodes == ("cyp-outcomes:2.1",)
    catalogue_edits.edit(
        store,
        ADMIN,
        "fingertips-92196",
        nodes=["cyp-outcomes:2.1", "cyp-outcomes:2.6"],
        polarity="lower_is_better",
        reason="Also mental health",
    )
    assert [v.entry.nodes for v in catalogue_edits.history(store, "fingertips-92196")] == [
        (),
        ("cyp-outcomes:2.1",),
        ("cyp-outcomes:2.1", "cyp-outcomes:2.6"),
    ]


def test_only_an_administrator_may_edit_the_catalogue_and_a_refusal_writes_nothing(store, tmp_path):
    import_file(store, asthma_file(tmp_path))
    with pytest.raises(access.PermissionDenied, match="Only an administrator can map indicators"):
        catalogue_edits.edit(
            store,
            OFFICER,
            "fingertips-92196",
            nodes=["cyp-outcomes:2.1"],
            polarity="lower_is_better",
            reason="x",
        )
    assert count_rows(store, schema.catalogue_edits) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": " "}, "Enter the reason for the change."),
        ({"polarity": "up"}, "Choose whether higher or lower is better, or neither."),
        ({"nodes": ["cyp-outcomes:9.9"]}, "There is no framework outcome or area cyp-outcomes:9.9."),
        ({"target": -1.0}, "The target must be a number of zero or more."),
        ({"short_name": "x" * 41}, "The short name must be 40 characters or fewer; it has 41."),
    ],
)
def test_a_bad_edit_is_refused_in_words(store, tmp_path, changes, message):
    import_file(store, asthma_file(tmp_path))
    edit = {
        "nodes": ["cyp-outcomes:2.1"],
        "polarity": "lower_is_better",
        "reason": "Board decision",
    } | changes
    with pytest.raises(catalogue_edits.CatalogueEditError) as refused:
        catalogue_edits.edit(store, ADMIN, "fingertips-92196", **edit)
    assert str(refused.value) == message
    assert count_rows(store, schema.catalogue_edits) == 0


def test_the_command_line_lists_and_maps_it(tmp_path, monkeypatch, reference_store_file):
    path = tmp_path / "store.duckdb"
    shutil.copy(reference_store_file, path)
    monkeypatch.setenv("KPI_DATABASE_URL", f"duckdb:///{path}")
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", str(asthma_file(tmp_path))])
    assert "1 indicator not in the catalogue added as not in a framework" in imported.output
    listed = runner.invoke(cli, ["indicator", "unmapped"])
    assert f"fingertips-92196: {ASTHMA} per 100,000 (per 100,000; financial years;" in listed.output
    mapping = [
        "indicator",
        "map",
        "fingertips-92196",
        "--to",
        "cyp-outcomes:2.1",
        "--polarity",
        "lower_is_better",
    ]
    mapping += ["--reason", "Board decision", "--target", "120"]
    monkeypatch.setenv("KPI_ROLE", "viewer")
    refused = runner.invoke(cli, mapping)
    assert refused.exit_code == 1 and "Only an administrator can map indicators" in refused.output
    monkeypatch.setenv("KPI_ROLE", "admin")
    monkeypatch.setenv("KPI_USER", "Asha Patel")
    mapped = runner.invoke(cli, mapping)
    assert mapped.output == "fingertips-92196: version 2 saved, mapped to cyp-outcomes:2.1.\n"
    history = runner.invoke(cli, ["indicator", "history", "fingertips-92196"]).output.splitlines()
    assert len(history) == 2 and history[1].endswith(
        "by Asha Patel: cyp-outcomes:2.1; lower_is_better; financial years. Board decision"
    )
    academic = ["indicator", "map", "fingertips-92196", "--to", "cyp-outcomes:2.1", "--polarity"]
    academic += ["lower_is_better", "--year-type", "academic", "--reason", "Counted by school year"]
    moved = runner.invoke(cli, academic)
    assert moved.output == (
        "fingertips-92196: version 3 saved, mapped to cyp-outcomes:2.1; academic years: 3 figures moved to "
        "their dates.\n"
    )


def test_the_unit_comes_from_the_figures_when_the_name_does_not_say(store, tmp_path):
    """Self-harm admissions: 212 of 24,021 is 882.6 per 100,000 (the file's value); a file with no count
    and denominator and no unit in its name is a plain number."""
    named = "Hospital admissions as a result of self-harm (10-24 years)"
    rate = [row("99002", named, CAMBS, "2017/18", "882.5772", "", "", "")]
    rate[0][HEADER.index("Count")], rate[0][HEADER.index("Denominator")] = "212", "24021"
    import_file(store, write_csv(tmp_path / "rate.csv", HEADER, rate))
    plain = [row("99003", "Average waiting time", CAMBS, "2019", "12.5", "", "", "")]
    import_file(store, write_csv(tmp_path / "plain.csv", HEADER, plain))
    added = indicator(store, "fingertips-99002")
    assert (added["unit"], added["value_type"], added["multiplier"]) == ("per 100,000", "rate", 100000)
    assert (
        indicator(store, "fingertips-99003")["unit"],
        indicator(store, "fingertips-99003")["value_type"],
    ) == (
        "number",
        "mean",
    )


def test_the_upload_preview_says_which_indicator_it_will_add_and_adds_nothing(store, tmp_path):
    before = count_rows(store, schema.indicators)
    content = asthma_file(tmp_path).read_bytes()
    preview = preview_bytes(store, content, "asthma.csv", ADMIN)
    assert preview.added == (
        "1 indicator not in the catalogue will be added as not in a framework: "
        f'Fingertips 92196 "{ASTHMA} per 100,000" (per 100,000, 3 rows; financial years, as its periods '
        "are written like 2022/23 and its name names no school year)."
    )
    assert count_rows(store, schema.indicators) == before
