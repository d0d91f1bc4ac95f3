"""Sparklines: the link carrying the image is encoded as urllib encodes it, and the text alternative is the
same whether the figures come written or with the function that writes them."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.components import sparkline

PREFIX = "data:image/svg+xml;charset=utf-8,"


@pytest.mark.parametrize(
    "values", [[1.0, None, 3.0], [88.25, 90.1, 87.3, 92.0], [0.0, 0.0], [-1.5, 2.5e6, 3.25e-4, None, 7.0]]
)
@pytest.mark.parametrize("target", [None, 2.0, 90.0])
def test_a_sparkline_link_is_encoded_as_quote_encodes_it(values, target) -> None:
    markup = sparkline.svg(values, target=target)
    assert sparkline.data_uri(markup) == PREFIX + quote(markup, safe="")


@given(st.text())
def test_any_text_is_encoded_as_quote_encodes_it(markup: str) -> None:
    assert sparkline.data_uri(markup) == PREFIX + quote(markup, safe="")


def test_every_ascii_character_is_encoded_as_quote_encodes_it() -> None:
    markup = "".join(chr(code) for code in range(128))
    assert sparkline.data_uri(markup) == PREFIX + quote(markup, safe="")


def written(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


@pytest.mark.parametrize(
    "values",
    [
        [None, 12.0, 13.5, None],
        [float(v) for v in range(20)],
        [1.0, float("nan"), 2.0],
        [None, 5.0, None, None, 6.25, None],
    ],
)
def test_the_text_alternative_is_the_same_with_written_figures_or_their_writer(values) -> None:
    labels = [f"20{n:02d}" for n in range(len(values))]
    given_written = sparkline.sparkline(values, labels, formatted=[written(v) for v in values], target=12.0)
    given_writer = sparkline.sparkline(values, labels, formatted=written, target=12.0)
    assert given_written is not None and given_writer is not None
    assert given_writer.to_plotly_json() == given_written.to_plotly_json()
    assert given_writer.alt.startswith(f"Line chart of {sum(v == v and v is not None for v in values[-12:])}")


def test_the_writer_is_asked_for_the_first_and_last_figures_drawn_only() -> None:
    asked: list[float] = []

    def writer(value: float) -> str:
        asked.append(value)
        return str(value)

    sparkline.sparkline([float(v) for v in range(30)], [str(n) for n in range(30)], formatted=writer)
    assert asked == [18.0, 29.0]
