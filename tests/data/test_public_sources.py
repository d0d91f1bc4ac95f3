"""Importing DfE LAIT, ONS Explore Local Statistics and UK SDG files as published.

Each fixture under tests/data/files/ is a few rows cut from the published file, unchanged; the expected
figures and dates below were read off those rows by hand. Each import runs on DuckDB and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data.catalogue import CatalogueError, load_catalogue
from data.importers.area_names import code_for_name
from data.importers.lait import period_label
from data.importers.pipeline import import_file
from tests.data.helpers import observations

FILES = Path(__file__).parent / "files"
CAMBS, PBORO, ENGLAND, EAST = "E10000003", "E06000031", "E92000001", "E12000006"
FENLAND, CAMBS_AND_PBORO = "E07000010", "E47000008"


def _one(engine, indicator: str, area: str, period: str) -> pd.Series:
    rows = observations(engine, indicator_code=indicator, area_code=area)
    return rows[rows["period_label"] == period].iloc[0]


def _dates(row: pd.Series) -> tuple[str, str]:
    return str(row["period_start"]), str(row["period_end"])


def test_lait_parquet_loads_each_mapped_measure_with_its_ons_code_and_period(any_store):
    result = import_file(any_store, FILES / "lait_excerpt.parquet")
    assert result.source_format == "dfe_lait"
    assert (result.rows_read, result.rows_new, result.rows_rejected) == (16, 14, 2)

    # Low birth weight is a calendar-year measure: LAIT's 2016 is 2016.
    lbw = _one(any_store, "low-birth-weight-term", CAMBS, "2016")
    assert lbw["value"] == pytest.approx(2.46)
    assert _dates(lbw) == ("2016-01-01", "2016-12-31")
    assert _one(any_store, "low-birth-weight-term", PBORO, "2024")["value"] == pytest.approx(3.81)
    assert _one(any_store, "low-birth-weight-term", ENGLAND, "2016")["value"] == pytest.approx(2.79)
    assert _one(any_store, "low-birth-weight-term", EAST, "2024")["value"] == pytest.approx(2.75)

    # A financial-year measure: LAIT's 2025 is the year ending March 2025.
    plans = _one(any_store, "cp-plans-starting", CAMBS, "2024/25")
    assert plans["value"] == pytest.approx(42.9)
    assert _dates(plans) == ("2024-04-01", "2025-03-31")


def test_lait_suppressed_figure_is_a_gap_that_says_so(any_store):
    import_file(any_store, FILES / "lait_excerpt.parquet")
    gap = _one(any_store, "breastfeeding-6-8-weeks", CAMBS, "2017/18")
    assert pd.isna(gap["value"])
    assert "No figure in DfE LAIT" in gap["value_note"]


def test_lait_source_defects_load_as_published_with_a_note(any_store):
    import_file(any_store, FILES / "lait_excerpt.parquet")
    england = _one(any_store, "first-time-entrants", ENGLAND, "2016")
    assert england["value"] == pytest.approx(3071)
    assert england["value_note"].startswith("Source defect: DfE LAIT's England figure is about ten times")
    assert england["quality_note"] == england["value_note"]  # flagged, so the pages show it by the figure
    cambs = _one(any_store, "first-time-entrants", CAMBS, "2016")
    assert (cambs["value"], cambs["value_note"], cambs["quality_note"]) == (365, "", None)
    for period in ("2021/22", "2022/23"):
        repeated = _one(any_store, "breastfeeding-6-8-weeks", ENGLAND, period)
        assert repeated["value"] == pytest.approx(49.2)
        assert "49.2 for both 2021/22 and 2022/23" in repeated["value_note"]


def test_lait_rows_the_catalogue_cannot_place_are_rejected_with_the_name(any_store):
    result = import_file(any_store, FILES / "lait_excerpt.parquet")
    reasons = {r.row_number: r.reason for r in result.rejections}
    assert reasons == {
        2: "unknown indicator 'InfMort' (DfE LAIT)",
        10: "unknown area code 'DfE LA 835 Dorset (Pre LG)'",
    }


def test_els_combined_file_loads_district_figures_with_limits(any_store):
    result = import_file(any_store, FILES / "els_overweight_excerpt.csv")
    assert result.source_format == "ons_els"
    fenland = _one(any_store, "excess-weight-reception", FENLAND, "2018/19")
    assert fenland["value"] == pytest.approx(23.44498)
    assert (fenland["lower95"], fenland["upper95"]) == pytest.approx((20.83351, 25.95881))
    gap = _one(any_store, "excess-weight-reception", FENLAND, "2020/21")
    assert pd.isna(gap["value"])
    assert gap["value_note"].startswith("Not published for 2020/21")
    england = _one(any_store, "excess-weight-year6", ENGLAND, "2020/21")
    assert england["value"] == pytest.approx(40.9144933937283)
    # Cumbria was abolished in 2023: rejected, naming the code.
    assert {r.reason for r in result.rejections} == {"unknown area code 'E10000006'"}
    assert result.rows_rejected == 2


def test_els_topic_file_reads_iso_years_and_keeps_ons_caveats(any_store):
    result = import_file(any_store, FILES / "els_early_years_excerpt.csv")
    literacy = _one(any_store, "eyfs-literacy", FENLAND, "2024/25")
    assert literacy["value"] == pytest.approx(68.7)
    assert _dates(literacy) == ("2024-09-01", "2025-08-31")
    assert _one(any_store, "eyfs-literacy", CAMBS, "2024/25")["value"] == pytest.approx(71.0)
    assert _one(any_store, "eyfs-literacy", ENGLAND, "2021/22")["value"] == pytest.approx(68.0)
    combined = _one(any_store, "eyfs-literacy", CAMBS_AND_PBORO, "2024/25")
    assert combined["value"] == pytest.approx(69.8)
    assert combined["value_note"].startswith("This data has been aggregated")
    assert [r.reason for r in result.rejections] == ["unknown area code 'K99000004'"]


def test_sdg_authority_rows_take_the_authority_code_not_the_region_code_they_carry(any_store):
    result = import_file(any_store, FILES / "sdg_4-2-2_excerpt.csv")
    assert result.source_format == "ons_sdg"
    cambs = _one(any_store, "early-education-2yo", CAMBS, "2022/23")
    assert cambs["value"] == pytest.approx(73.5)
    assert _dates(cambs) == ("2022-09-01", "2023-08-31")
    assert _one(any_store, "early-education-2yo", EAST, "2022/23")["value"] == pytest.approx(76.5)
    assert _one(any_store, "early-education-2yo", ENGLAND, "2014/15")["value"] == pytest.approx(58.0)
    missing = _one(any_store, "early-education-2yo", ENGLAND, "2010/11")
    assert pd.isna(missing["value"])
    assert missing["value_note"] == "UK SDG platform: Missing data"
    assert {r.row_number: r.reason for r in result.rejections} == {
        5: "unknown area code 'E13000001'",
        7: "unknown indicator '4.2.2 age 3 and 4' (ONS SDG)",
    }


def test_importing_a_published_file_again_changes_nothing(any_store):
    for name in ("lait_excerpt.parquet", "els_overweight_excerpt.csv", "sdg_4-2-2_excerpt.csv"):
        first = import_file(any_store, FILES / name)
        again = import_file(any_store, FILES / name)
        assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, first.rows_new)


@pytest.mark.parametrize(
    ("years", "split", "expected"),
    [
        ("2024", True, ("2023/24", "")),
        ("2016", False, ("2016", "")),
        ("2024-25", True, ("2024/25", "")),
        ("2014-16", False, ("2014 - 16", "")),
        ("2013/14-15/16", True, ("2013/14 - 15/16", "")),
        ("2025 (prov)", True, ("2024/25", "prov")),
        ("9", True, ("9", "")),
    ],
)
def test_lait_years_become_the_period_they_name(years, split, expected):
    assert period_label(years, split) == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Cambridgeshire", CAMBS),
        ("Durham", "E06000047"),
        ("Bedford Borough", "E06000055"),
        ("Herefordshire", "E06000019"),
        ("Kingston Upon Hull, City of", "E06000010"),
        ("Yorkshire and the Humber", "E12000003"),
        ("England", ENGLAND),
        ("Dorset (Pre LG)", None),
        ("London (Inner)", None),
    ],
)
def test_authority_names_find_their_ons_codes(name, code):
    assert code_for_name(name) == code


def test_every_current_authority_in_lait_has_an_ons_code():
    bundled = pd.read_csv(
        Path(__file__).parents[2] / "data" / "bundled" / "dfe-lait" / "lait_cyp_measures.csv",
        dtype=str,
        keep_default_na=False,
    )
    names = set(bundled["LA and Regions"])
    assert all(code_for_name(name) for name in names)
    assert len(names) == 153 + 9 + 1  # every upper-tier authority, region and England


def _catalogue_with(tmp_path: Path, source_entry: str) -> Path:
    catalogue = Path(__file__).parents[2] / "data" / "catalogue"
    for name in ("frameworks.yaml", "targets.yaml"):
        (tmp_path / name).write_text((catalogue / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (catalogue / "indicators.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "      - {source: lait, id: CPP_Abuse_Rate,",
        f"      - {source_entry}\n      - {{source: lait, id: CPP_Abuse_Rate,",
        1,
    )
    (tmp_path / "indicators.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_catalogue_records_which_published_measure_feeds_an_indicator_and_why():
    indicators = {i.code: i for i in load_catalogue().indicators}
    (source,) = indicators["cp-plans-starting"].sources
    assert (source.source, source.measure_id) == ("lait", "CPP_Abuse_Rate")
    assert "starting during the year" in source.why


def test_catalogue_refuses_a_source_it_does_not_know(tmp_path):
    directory = _catalogue_with(tmp_path, '{source: fingertips, id: "1", why: "same"}')
    with pytest.raises(CatalogueError, match="source 'fingertips' is not one of lait, els, sdg"):
        load_catalogue(directory)


def test_catalogue_refuses_a_source_without_a_reason(tmp_path):
    directory = _catalogue_with(tmp_path, "{source: lait, id: CPP_rate_X}")
    with pytest.raises(CatalogueError, match="needs its measure id and why it matches"):
        load_catalogue(directory)
