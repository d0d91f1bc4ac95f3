"""The one Plotly template for every chart in the dashboard (UK Analysis Function chart guidance).

Analysis Function categorical colours (at most four series per chart), dark blue against grey for "our
area against the rest", legends above the plot, text readable at projector distance (16 px base, nothing
under 14 px), thick lines and no gridline clutter. :func:`register` installs it as Plotly's default, so
charts need no styling of their own; :func:`area_colours` gives the "our area against the rest" colours.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from dashboard import colours

TEMPLATE_NAME = "hcp"
FONT_FAMILY = "Arial, 'Helvetica Neue', Helvetica, 'Liberation Sans', sans-serif"
BASE_FONT_SIZE = 16
MIN_FONT_SIZE = 14
TITLE_FONT_SIZE = 22
LINE_WIDTH = 4
MARKER_SIZE = 9
GRID_COLOUR = "#e5e6e7"


def _font(size: int = BASE_FONT_SIZE) -> dict:
    return {"family": FONT_FAMILY, "size": size, "color": colours.TEXT}


def _axis() -> dict:
    return {
        "showgrid": False,
        "zeroline": False,
        "showline": True,
        "linecolor": colours.TEXT,
        "linewidth": 1,
        "ticks": "outside",
        "tickcolor": colours.TEXT,
        "tickfont": _font(),
        "title": {"font": _font(), "standoff": 12},
        "automargin": True,
    }


def build_template() -> go.layout.Template:
    """The dashboard's Plotly template: x axis without gridlines, light horizontal gridlines only."""
    value_axis = _axis() | {"showgrid": True, "gridcolor": GRID_COLOUR, "gridwidth": 1, "showline": False}
    return go.layout.Template(
        layout=go.Layout(
            font=_font(),
            title={"font": _font(TITLE_FONT_SIZE), "x": 0, "xanchor": "left", "y": 0.97},
            colorway=list(colours.CATEGORICAL),
            paper_bgcolor=colours.WHITE,
            plot_bgcolor=colours.WHITE,
            legend={
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1.02,
                "yanchor": "bottom",
                "font": _font(),
                "title": {"text": ""},
                "bgcolor": "rgba(0,0,0,0)",
            },
            xaxis=_axis(),
            yaxis=value_axis,
            hoverlabel={"font": _font()},
            annotationdefaults={"font": _font()},
            margin={"l": 16, "r": 16, "t": 72, "b": 16},
            bargap=0.3,
            separators=".,",
        ),
        data={
            "scatter": [go.Scatter(line={"width": LINE_WIDTH}, marker={"size": MARKER_SIZE})],
            "bar": [go.Bar(marker={"line": {"width": 0}})],
        },
    )


def register() -> None:
    """Install the template and make it Plotly's default (safe to call more than once)."""
    pio.templates[TEMPLATE_NAME] = build_template()
    pio.templates.default = TEMPLATE_NAME


def area_colours(areas: list[str], our_area: str) -> dict[str, str]:
    """Colour for each area: dark blue for ``our_area``, grey for the rest."""
    return {area: colours.OUR_AREA if area == our_area else colours.THE_REST for area in areas}
