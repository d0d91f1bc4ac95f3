"""What the what-if section says as the reader changes a value: the notice that the figures include what-if
values (and that nothing is saved), and the money beside the inputs against the figures as reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from dash import html
from dash.development.base_component import Component

from dashboard.components.attributes import extra
from dashboard.components.payment.words import so_far
from data.payment_export import Payment
from metrics.money import format_pounds


def whatif_notice(changes: Sequence[str]) -> html.Div | None:
    """The notice that the figures include what-if values and that nothing is saved."""
    if not changes:
        return None
    return html.Div(
        [
            html.Div(
                html.H2(
                    "What-if: nothing is saved",
                    className="app-notification-banner__title",
                    id="payment-whatif-notice-title",
                ),
                className="app-notification-banner__header",
            ),
            html.Div(
                [
                    html.P(
                        "The figures on this page include values you have changed. They are not saved and "
                        "nobody else sees them; reload the page or use Reset to go back to the reported "
                        "figures.",
                        className="app-body",
                    ),
                    html.P(
                        "Changed: " + "; ".join(changes) + ".",
                        className="app-body",
                        id="payment-whatif-changes",
                    ),
                    html.P(html.A("Go to the what-if values", href="#payment-whatif"), className="app-body"),
                ],
                className="app-notification-banner__content",
            ),
        ],
        className="app-notification-banner app-notification-banner--important app-payment__whatif-notice",
        role="region",
        id="payment-whatif-banner",
        **extra({"aria-labelledby": "payment-whatif-notice-title"}),
    )


def whatif_live(priced: Payment, reported: Payment, changes: Sequence[str]) -> list[Component]:
    """The money beside the what-if inputs, against the figures as reported."""
    now, was = so_far(priced), so_far(reported)

    def compared(new: Decimal, old: Decimal) -> str:
        if new == old:
            return "the same as reported" if changes else "as reported"
        difference = new - old
        return f"{format_pounds(abs(difference))} {'more' if difference > 0 else 'less'} than reported"

    return [
        html.P(
            [
                html.Strong("What-if: nothing is saved. "),
                "Change a value or a weight below and the money here and across the page moves at once."
                if not changes
                else f"{len(changes)} change{'s' if len(changes) > 1 else ''} in use.",
            ],
            className="app-body",
        ),
        html.Dl(
            [
                html.Div(
                    [
                        html.Dt("Earned so far"),
                        html.Dd(
                            [
                                html.Span(
                                    format_pounds(now.earned),
                                    id="payment-whatif-earned",
                                    className="app-payment__live-figure",
                                ),
                                html.Span(compared(now.earned, was.earned), className="app-payment__note"),
                            ]
                        ),
                    ],
                    className="app-payment__live-item",
                ),
                html.Div(
                    [
                        html.Dt("Expected by the year end"),
                        html.Dd(
                            [
                                html.Span(
                                    format_pounds(priced.range.expected.earned),
                                    id="payment-whatif-expected",
                                    className="app-payment__live-figure",
                                ),
                                html.Span(
                                    compared(priced.range.expected.earned, reported.range.expected.earned),
                                    className="app-payment__note",
                                ),
                            ]
                        ),
                    ],
                    className="app-payment__live-item",
                ),
                html.Div(
                    [
                        html.Dt("Forecast range"),
                        html.Dd(
                            html.Span(
                                f"{format_pounds(priced.range.worst.earned)} to "
                                f"{format_pounds(priced.range.best.earned)}",
                                className="app-payment__live-figure",
                            )
                        ),
                    ],
                    className="app-payment__live-item",
                ),
            ],
            className="app-payment__live",
        ),
    ]
