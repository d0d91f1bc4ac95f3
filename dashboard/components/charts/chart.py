"""A chart and everything shown around it: the record every chart function returns and the panel lays out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.data_access import frame_csv


@dataclass
class Chart:
    """A chart and everything shown around it."""

    key: str
    """Unique on the page; names the ids and the download ("trend", "spc", "compare", "inequalities-sex")."""
    headline: str
    subtitle: str
    source: str
    summary: str
    """What the chart shows, in words, for screen readers."""
    figure: go.Figure | dict
    data: pd.DataFrame
    """Exactly what is plotted, one row per point or bar: the table view and the CSV download."""
    caption: str
    numeric: tuple[str, ...] = ()
    notes: list = field(default_factory=list)
    """Components shown between the subtitle and the figure (status tags, a trial-limits label)."""
    filename: str = "figures.csv"
    period: str = ""
    """The period the chart shows, when its table has no Period column (the comparison of areas)."""

    def csv(self, about: Mapping[str, object]) -> str:
        """The plotted figures as CSV text under their description (``about``), one row per point or bar,
        and text such as an imported value note written so that no spreadsheet runs it as a formula."""
        return frame_csv(self.data, about)

    def periods(self) -> str:
        """The period or periods shown, in words: "2019/20 to 2023/24", or "2023/24"."""
        if self.period or "Period" not in self.data:
            return self.period
        labels = [str(p) for p in self.data["Period"] if str(p)]
        if not labels:
            return ""
        return labels[0] if labels[0] == labels[-1] else f"{labels[0]} to {labels[-1]}"
