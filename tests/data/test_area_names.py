"""The area names the dashboard reads at start-up are the ones the bundled ONS boundary files give.

``data/bundled/ons-boundaries/area_names.csv`` lists each boundary feature's code and name so that a new
dashboard process need not parse 7.5 MB of GeoJSON before its first page; this checks it against the
boundaries themselves, so a changed boundary file cannot leave stale names behind.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from data.areas import AREA_NAMES_FILE, BOUNDARY_FILES, bundled_areas


def names_from_boundaries() -> pd.DataFrame:
    """Code, name and file of every feature of :data:`BOUNDARY_FILES`, in order. A changed boundary file
    needs ``names_from_boundaries().to_csv(AREA_NAMES_FILE, index=False, lineterminator="\\n")``."""
    rows = []
    for code_field, path in BOUNDARY_FILES.items():
        name_field = code_field[:-2] + "NM"
        for feature in json.loads(Path(path).read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            rows.append({"code": props[code_field], "name": props[name_field], "file": Path(path).name})
    return pd.DataFrame(rows, columns=["code", "name", "file"])


def test_the_names_file_lists_every_boundary_feature_as_its_file_names_it():
    listed = pd.read_csv(AREA_NAMES_FILE, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(listed, names_from_boundaries())


def test_areas_take_the_boundary_files_names_over_the_hierarchys():
    areas = bundled_areas()
    names = areas.set_index("code")["name"]
    assert names["E06000023"] == "Bristol, City of"  # "Bristol" in the FingertipsNext hierarchy
    assert names["E12000003"] == "Yorkshire and The Humber"  # "... Region" there
    assert names["E07000112"] == "Folkestone and Hythe"
    assert names["E10000003"] == "Cambridgeshire"
    assert names["E47000008"] == "Cambridgeshire and Peterborough"
    assert areas["area_type"].value_counts().to_dict() == {
        "district": 164,
        "unitary authority": 63,
        "metropolitan district": 36,
        "London borough": 33,
        "county": 21,
        "combined authority": 10,
        "region": 9,
        "country": 1,
    }
