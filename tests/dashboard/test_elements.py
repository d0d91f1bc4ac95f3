"""Quickly built components are the components Dash builds: same class, same attributes, same JSON."""

from __future__ import annotations

import pytest
from dash import html

from dashboard.components.attributes import extra
from dashboard.components.elements import element
from tests.dashboard.pages import to_json

CASES = [
    (html.Td, ["12.9%", " ", html.Span("in 2023/24")], {"className": "app-table__cell", "colSpan": 6}),
    (html.Th, "Indicator", {"scope": "row", "className": "app-table__header"}),
    (html.Span, "✓", {"className": "status-tag__icon", **extra({"aria-hidden": "true"})}),
    (html.Strong, ["On target"], {"className": "status-tag", "style": {"backgroundColor": "#00703c"}}),
    (html.Tr, [], {"className": "app-table__row", **extra({"data-indicator": "hv-new-birth-visit-14d"})}),
    (html.A, "Clear filters", {"href": "/?area=E10000003", "id": "scorecard-clear-filters"}),
    (html.Img, None, {"src": "data:image/svg+xml,", "alt": "Line chart.", "width": 120, "height": 36}),
    (html.Table, None, {}),
]


@pytest.mark.parametrize(("kind", "children", "properties"), CASES)
def test_an_element_is_the_component_dash_builds(kind, children, properties) -> None:
    quick, built = element(kind, children, **properties), kind(children, **properties)
    assert type(quick) is kind
    assert vars(quick) == vars(built)
    assert quick.to_plotly_json() == built.to_plotly_json()
    assert to_json(quick) == to_json(built)


def test_elements_do_not_share_their_properties() -> None:
    first, second = element(html.Span, "a", className="x"), element(html.Span, "b")
    assert (first.children, first.className) == ("a", "x")
    assert second.children == "b" and not hasattr(second, "className")


def test_a_property_the_element_does_not_have_is_refused_as_dash_refuses_it() -> None:
    with pytest.raises(TypeError, match="colspan"):
        element(html.Td, "x", colspan=2)
    with pytest.raises(TypeError):
        html.Td("x", colspan=2)
