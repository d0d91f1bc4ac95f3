"""The map beside the compare-areas bars: the same areas, each coloured by its comparison with England in
the Fingertips colours, the comparison named in the legend and the hover, and the reader's area outlined."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard import colours
from dashboard.components import status
from dashboard.components.charts import plain
from dashboard.components.charts.figure_parts import TEXT_HALO
from dashboard.components.charts.words import slug, value_text

MAP_HEIGHT = 520
NO_BASE_MAP = {
    "fitbounds": "locations",
    "visible": False,
    "showframe": False,
    "showland": False,
    "showcoastlines": False,
    "showcountries": False,
    "showlakes": False,
    "showocean": False,
    "showrivers": False,
    "showsubunits": False,
    "projection": {"type": "mercator"},
}
"""A plain geo layout: no base map and no tiles, so nothing is fetched from the internet."""


def _labels(shown: pd.DataFrame, features: Mapping, indicator: Mapping) -> dict:
    """Each area's name and figure at its label point."""
    codes = shown["area_code"].tolist()
    return plain.trace(
        "scattergeo",
        lon=[features[c]["properties"]["label_lon"] for c in codes],
        lat=[features[c]["properties"]["label_lat"] for c in codes],
        text=[
            f"{a}<br>{value_text(v, indicator)}"
            for a, v in zip(shown["Area"].tolist(), shown["Value"].tolist(), strict=True)
        ],
        mode="text",
        textfont={"size": 15, "color": colours.TEXT, "shadow": TEXT_HALO},
        hoverinfo="skip",
        showlegend=False,
        meta="labels",
    )


def _areas(shown: pd.DataFrame, present: list[str], indicator: Mapping) -> dict:
    """The areas filled in one flat band of colour per comparison (z = the comparison's place + 0.5)."""
    colourscale = []
    for i, key in enumerate(present):
        colour = status.benchmark(key).background
        colourscale += [[i / len(present), colour], [(i + 1) / len(present), colour]]
    hover = zip(shown["Area"].tolist(), shown["Value"].tolist(), shown["Compared with England"], strict=True)
    return plain.trace(
        "choropleth",
        locations=shown["area_code"].tolist(),
        z=[present.index(k) + 0.5 for k in shown["comparison"]],
        zmin=0,
        zmax=len(present),
        colorscale=colourscale,
        showscale=False,
        showlegend=False,
        marker={"line": {"color": colours.WHITE, "width": 1.5}},
        hovertext=[f"<b>{a}</b><br>{value_text(v, indicator)}<br>{w}" for a, v, w in hover],
        hoverinfo="text",
        meta="map-areas",
    )


def _outline(geometry: dict) -> tuple[list, list]:
    """The rings of a Polygon or MultiPolygon as one line, rings separated by gaps."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lon, lat = [], []
    for polygon in polygons:
        for ring in polygon:
            lon += [point[0] for point in ring] + [None]
            lat += [point[1] for point in ring] + [None]
    return lon, lat


def _our_outline(geometry: dict, name: str) -> dict:
    """The reader's area drawn round in a thick dark line."""
    lon, lat = _outline(geometry)
    return plain.trace(
        "scattergeo",
        lon=lon,
        lat=lat,
        mode="lines",
        line={"color": colours.TEXT, "width": 4},
        hoverinfo="skip",
        name=f"{name} (outlined)",
        meta="map-our-area",
        showlegend=False,
    )


def _legend(present: list[str], our_name: str | None) -> list[dict]:
    """The legend: each comparison in words beside its colour, and the reader's area as an outlined square."""
    keys = [
        plain.trace(
            "scattergeo",
            lon=[None],
            lat=[None],
            mode="markers",
            name=status.benchmark(key).words,
            hoverinfo="skip",
            marker={
                "symbol": "square",
                "size": 16,
                "color": status.benchmark(key).background,
                "line": {"color": colours.TEXT, "width": 1},
            },
            meta=f"map-key-{slug(key)}",
        )
        for key in present
    ]
    if our_name is not None:
        keys.append(
            plain.trace(
                "scattergeo",
                lon=[None],
                lat=[None],
                mode="markers",
                name=f"{our_name} (outlined)",
                marker={"symbol": "square-open", "size": 16, "color": colours.TEXT, "line": {"width": 3}},
                hoverinfo="skip",
                meta="map-key-our-area",
            )
        )
    return keys


def map_figure(frame: pd.DataFrame, geojson: dict, indicator: Mapping, our_area: str) -> dict:
    """A choropleth of the areas in ``geojson`` coloured by their comparison with England (Fingertips
    colours), each comparison named in the legend and the hover, and the reader's area outlined.
    ``frame`` is the compare-areas table (:func:`dashboard.components.charts.compare.compare_data`).

    The labels trace comes first on purpose: plotly.js fetches its world outline (from cdn.plot.ly) when the
    first trace on a map names a location mode, as a choropleth does, and not when it is a trace placed by
    longitude and latitude.

    A plain figure (:mod:`dashboard.components.charts.plain`): the GeoJSON, most of its size, is neither
    copied nor checked on every request.
    """
    features = {f["id"]: f for f in geojson["features"]}
    shown = frame[frame["area_code"].isin(features)].reset_index(drop=True)
    codes = shown["area_code"].tolist()
    present = [key for key in status.BENCHMARK_KEYS if key in set(shown["comparison"])]
    our_name = shown["Area"].tolist()[codes.index(our_area)] if our_area in codes else None
    traces = [_labels(shown, features, indicator), _areas(shown, present, indicator)]
    if our_name is not None:
        traces.append(_our_outline(features[our_area]["geometry"], our_name))
    traces += _legend(present, our_name)
    result = plain.figure(
        traces,
        {
            "geo": dict(NO_BASE_MAP),
            "height": MAP_HEIGHT,
            "dragmode": False,
            "margin": {"l": 0, "r": 0, "t": 56, "b": 0},
            "legend": {"itemclick": False, "itemdoubleclick": False},
        },
    )
    result["data"][1]["geojson"] = {"type": "FeatureCollection", "features": [features[c] for c in codes]}
    return result


def map_summary(frame: pd.DataFrame, geojson: dict) -> str:
    """The map in words for screen readers: the areas on it and each one's comparison with England."""
    shown = frame[frame["area_code"].isin([f["id"] for f in geojson["features"]])]
    return (
        "Map of "
        + ", ".join(shown["Area"])
        + ", each coloured by its comparison with England: "
        + "; ".join(
            f"{a} {w.lower()}" for a, w in zip(shown["Area"], shown["Compared with England"], strict=True)
        )
        + "."
    )
