"""Cut the bundled subsets of DfE LAIT, ONS Explore Local Statistics and the UK SDG platform from the files as
published, so `kpi seed` loads only what the catalogue uses.

    uv run python scripts/bundle_public_sources.py /path/to/published/files

The folder holds ``dfe-lait/bds_long_0.parquet``, ``ons-explore-local-statistics/
els_overweight_children_reception_year6_LTLA_UTLA.csv`` and ``early-years.csv``, and
``ons-sdg-data/indicator_4-2-2.csv``. Each subset keeps the published columns and cell text, and only the
rows that (1) feed a catalogue indicator, (2) load (a current English area, a valid figure) and (3) give a
figure no other bundled file gives for the same indicator, area and period (the first file seeded
gives it, unless it has only a gap there and a later one has a figure), so that every bundled figure
has one source and seeding twice changes nothing. What was left out, and why, is printed for PROVENANCE.md.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data import schema
from data.areas import BUNDLED
from data.importers.formats import detect_format, to_common
from data.importers.pipeline import _lookups
from data.importers.published import ALL_FORMATS, read_any_table
from data.importers.validate import KEY_FIELDS, validate
from data.seed import BUNDLED_DATA, seed

# (published file under the source folder, bundled file) in the order they are seeded.
SUBSETS = (
    ("dfe-lait/bds_long_0.parquet", "dfe-lait/lait_cyp_measures.csv"),
    (
        "ons-explore-local-statistics/els_overweight_children_reception_year6_LTLA_UTLA.csv",
        "ons-explore-local-statistics/els_overweight_reception_year6.csv",
    ),
    ("ons-explore-local-statistics/early-years.csv", "ons-explore-local-statistics/early-years.csv"),
    ("ons-sdg-data/indicator_4-2-2.csv", "ons-sdg-data/indicator_4-2-2_age_2.csv"),
)
NEW_FOLDERS = {Path(target).parts[0] for _, target in SUBSETS}


def _keys(frame: pd.DataFrame) -> pd.Series:
    return frame[list(KEY_FIELDS)].astype(str).agg("|".join, axis=1)


def main(source_dir: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(f"duckdb:///{tmp}/bundle.duckdb")
        earlier = [
            path
            for folder in BUNDLED_DATA
            if folder not in NEW_FOLDERS
            for path in sorted((BUNDLED / folder).glob("*.csv"))
        ]
        seed(engine, files=earlier)
        with engine.connect() as conn:
            held = pd.DataFrame(conn.execute(sa.select(schema.observations)).mappings().all())
            lookups = _lookups(conn)
        held["period_start"] = pd.to_datetime(held["period_start"]).dt.date
        held["period_end"] = pd.to_datetime(held["period_end"]).dt.date
        bundled = set(_keys(held))
        read = []
        for published, target in SUBSETS:
            path = source_dir / published
            table = read_any_table(path.read_bytes(), path.name)
            file_format = detect_format(list(table.columns), ALL_FORMATS)
            valid, rejections = validate(to_common(table, file_format), file_format, lookups)
            valid["key"] = _keys(valid)
            read.append((published, target, table, valid, rejections))
        # A figure beats a gap: where one source has no figure for a key and a later one has, the later
        # one is bundled; otherwise the first source seeded gives it.
        with_value = set().union(*(set(v.loc[v["value"].notna(), "key"]) for _, _, _, v, _ in read))
        for published, target, table, valid, rejections in read:
            fresh = ~valid["key"].isin(bundled) & (valid["value"].notna() | ~valid["key"].isin(with_value))
            bundled |= set(valid.loc[fresh, "key"])
            keep = [int(n) - 2 for n in sorted(valid.loc[fresh, "row_number"])]
            subset = table.iloc[keep].copy()
            if "Data item" in subset.columns:
                # LAIT names each measure on the first row of its block only: keep that convention.
                item = table["Data item"].replace("", pd.NA).groupby(table["Short Desc"]).transform("first")
                subset["Data item"] = item.loc[subset.index].where(~subset["Short Desc"].duplicated(), "")
            out = BUNDLED / target
            out.parent.mkdir(parents=True, exist_ok=True)
            subset.to_csv(out, index=False)
            reasons = Counter(r.problem for r in rejections)
            print(f"{published}: {len(table):,} rows; bundled {len(subset):,} in {target}")
            print(f"  left out as given by another bundled file: {int((~fresh).sum()):,}")
            for reason, count in reasons.most_common():
                print(f"  left out, rejected by the importer ({reason}): {count:,}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
