"""Figures built as plain data send the browser exactly what the same figure built from Plotly's graph
objects sends: the template, the traces without the properties left unset, and no empty shape lists."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard import theme
from dashboard.components.charts import plain


def _sent(figure) -> dict:
    """What the browser is sent for ``figure``, read back."""
    return json.loads(pio.to_json(figure, validate=False))


@pytest.fixture(autouse=True)
def product_template():
    before = pio.templates.default
    theme.register()
    yield
    pio.templates.default = before


def test_a_plain_figure_is_the_json_of_the_same_graph_object_figure():
    line = {"x": ["2024-03-31", None, "2025-03-31"], "y": [4.5, None, 5.0], "mode": "lines+markers"}
    shade = {"type": "rect", "xref": "x", "yref": "paper", "x0": "2024-01-01", "x1": "2024-06-30"}
    layout = {"height": 460, "xaxis": {"title": {"text": ""}}, "shapes": [shade], "annotations": []}
    made = go.Figure([go.Scatter(**line, name="Cambridgeshire", meta="area", error_y=None)])
    made.update_layout(**layout)
    built = plain.figure(
        [plain.trace("scatter", **line, name="Cambridgeshire", meta="area", error_y=None)], layout
    )
    assert _sent(built) == _sent(made)
    assert built["layout"]["template"]["layout"]["font"]["family"] == made.layout.template.layout.font.family


def test_changing_a_plain_figure_s_layout_merges_like_update_layout_and_leaves_the_original_alone():
    original = plain.figure([], {"height": 460, "margin": {"l": 16, "r": 24, "t": 56, "b": 16}})
    changed = plain.with_layout(original, height=380, margin={"l": 8}, font={"size": 20})
    made = go.Figure(layout={"height": 460, "margin": {"l": 16, "r": 24, "t": 56, "b": 16}})
    made.update_layout(height=380, margin={"l": 8}, font={"size": 20})
    assert _sent(changed) == _sent(made)
    assert original["layout"]["height"] == 460 and original["layout"]["margin"]["l"] == 16
    assert original["layout"]["template"] == pio.templates[theme.TEMPLATE_NAME].to_plotly_json()
