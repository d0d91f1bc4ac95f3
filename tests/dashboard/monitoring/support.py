"""A small known store for the monitoring pages: the shipped reference data (areas, catalogue, targets,
contracts and schemes) plus a Cambridgeshire provider return for six quarters in which new birth visits fall
to 85.0% in 2025/26 Q2 (off target: Cambridgeshire's target is 92%, near target from 88%), the 6-8 week
review stays on target, and antenatal contacts carry a note from the provider."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import sqlalchemy as sa

from data.db import make_engine
from data.importers.formats import PROVIDER_RETURN_HEADER
from data.importers.pipeline import import_file
from data.seed import seed_reference

CAMBS, PBORO = "E10000003", "E06000031"
CCC = "ccc-hcp-s75"
NEW_BIRTH, REVIEW_6_8, ANTENATAL = "hv-new-birth-visit-14d", "hv-6-8-week-review", "hv-antenatal-contact"
QUARTERS = ("2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4", "2025/26 Q1", "2025/26 Q2")
LATEST = "2025/26 Q2"
NUMERATORS = {
    NEW_BIRTH: (935, 930, 940, 935, 930, 850),
    REVIEW_6_8: (920, 925, 915, 920, 922, 921),
    ANTENATAL: (600, 610, 590, 605, 600, 602),
}
ANTENATAL_NOTE = "Two clinics closed for refurbishment in September"
HEADER = list(PROVIDER_RETURN_HEADER)


def monitoring_store() -> sa.Engine:
    """The reference store plus the known return (loaded now, so every figure is a late load)."""
    engine = make_engine("duckdb:///:memory:")
    seed_reference(engine)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "return.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for code, numerators in NUMERATORS.items():
                for quarter, numerator in zip(QUARTERS, numerators, strict=True):
                    note = ANTENATAL_NOTE if code == ANTENATAL and quarter == LATEST else ""
                    writer.writerow([code, CAMBS, quarter, numerator, 1000, "", "no", note])
        import_file(engine, path, imported_by="tester")
    return engine
