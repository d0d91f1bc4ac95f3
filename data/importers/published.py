"""The published public sources the importer reads besides Fingertips and tidy extracts: DfE LAIT (Parquet or
CSV), ONS Explore Local Statistics and the UK SDG platform, each with its own step to the common layout."""

from __future__ import annotations

import pandas as pd

from data.importers import els, lait, sdg
from data.importers.formats import FORMATS, Format
from data.importers.readers import read_table

ALL_FORMATS: tuple[Format, ...] = (*FORMATS, lait.LAIT, els.ELS_COMBINED, els.ELS_TOPIC, sdg.SDG)


def read_any_table(content: bytes, file_name: str) -> pd.DataFrame:
    """The file's rows as text cells: a Parquet file (as DfE publishes LAIT) or anything
    :func:`data.importers.readers.read_table` reads."""
    if lait.is_parquet(content):
        return lait.read_parquet(content, file_name)
    return read_table(content, file_name)
