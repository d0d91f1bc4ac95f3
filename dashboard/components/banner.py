"""Banners that warn about the figures on a page: illustrative (made up) or provisional (may change).

GOV.UK Design System notification banner (a labelled region with a title bar), and the phase banner for
the service as a whole.
"""

from __future__ import annotations

from dash import html

ILLUSTRATIVE_TITLE = "Illustrative figures"
ILLUSTRATIVE_HEADING = "These are not real provider data."
PROVISIONAL_TITLE = "Provisional figures"
PROVISIONAL_HEADING = "These figures may change when the final data are published."


def notification_banner(title: str, heading: str, *body, id: str, kind: str = "important") -> html.Div:
    """A notification banner: ``title`` in the bar, ``heading`` in bold, then any ``body`` paragraphs.

    ``id`` must be unique on the page (it labels the region); ``kind`` is 'important', 'illustrative' or
    'provisional' and only changes the styling.
    """
    title_id = f"{id}-title"
    return html.Div(
        [
            html.Div(
                html.H2(title, id=title_id, className="app-notification-banner__title"),
                className="app-notification-banner__header",
            ),
            html.Div(
                [
                    html.P(heading, className="app-notification-banner__heading"),
                    *(html.P(text, className="app-body") if isinstance(text, str) else text for text in body),
                ],
                className="app-notification-banner__content",
            ),
        ],
        id=id,
        role="region",
        className=f"app-notification-banner app-notification-banner--{kind}",
        **{"aria-labelledby": title_id},
    )


def illustrative_banner(*body, id: str = "illustrative-banner") -> html.Div:
    """The banner for made-up provider figures: "Illustrative figures: these are not real provider data"."""
    return notification_banner(ILLUSTRATIVE_TITLE, ILLUSTRATIVE_HEADING, *body, id=id, kind="illustrative")


def provisional_banner(*body, id: str = "provisional-banner") -> html.Div:
    """The banner for provisional figures that may be revised."""
    return notification_banner(PROVISIONAL_TITLE, PROVISIONAL_HEADING, *body, id=id, kind="provisional")


def phase_banner(phase: str, text) -> html.Div:
    """A phase banner ("Beta: this is a new service ...") shown under the header."""
    return html.Div(
        html.P(
            [html.Strong(phase, className="app-phase-banner__tag"), html.Span(text)],
            className="app-phase-banner__content",
        ),
        className="app-phase-banner app-width-container",
    )
