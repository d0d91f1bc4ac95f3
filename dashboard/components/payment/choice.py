"""What the payment page is showing: the agreement, year and version chosen, and what was read for them.

:class:`Choice` is read from the URL by the page; :class:`Loaded` holds what the page read for the chosen
scheme version (through :mod:`dashboard.data_access`), so every section and callback works from the same
figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import routes
from dashboard.components.payment.assurance import Assured
from dashboard.data_access import StoredScheme
from metrics.payment import Value


@dataclass(frozen=True)
class Choice:
    """The agreement, financial year, scheme version and palette the URL asks for, with what they were
    chosen from (the agreements, the agreement's years and the year's versions) and any settings ignored."""

    contract: str
    year: str
    version: int | None
    palette: str
    agreements: pd.DataFrame
    years: list[str]
    versions: pd.DataFrame
    ignored: tuple[tuple[str, str], ...]

    @property
    def agreement(self) -> pd.Series:
        """The chosen agreement's row: provider, commissioner, dates, area."""
        row = self.agreements.set_index("code").loc[self.contract]
        # Agreement codes are unique, so this is one row; were a code repeated, its first row would be used.
        return row.iloc[0] if isinstance(row, pd.DataFrame) else row

    def href(self, **changes: str | int | None) -> str:
        """A link to this view of the page with ``changes`` (contract, year, version or palette) made."""
        values = {
            "contract": self.contract,
            "year": self.year,
            "version": None,
            "palette": None if self.palette == "standard" else self.palette,
        } | changes
        return routes.href(routes.PAYMENT, {k: None if v is None else str(v) for k, v in values.items()})


@dataclass(frozen=True)
class Loaded:
    """What was read for a scheme version: the scheme, its reported figures (so far, for pricing; and the
    year's, for annual KPIs), each KPI's SPC view, the area and the indicators' names."""

    scheme: StoredScheme
    so_far: dict[str, list[Value]]
    year_to_date: dict[str, list[Value]]
    assured: dict[str, Assured]
    area_name: str
    area_code: str
    names: dict[str, str]
