"""Every notice a page gives its reader, written once: banners that warn about the figures (illustrative,
provisional), the error shown when the store cannot be read, and the note about link settings a page ignored.

GOV.UK Design System patterns: notification banner (a labelled region with a title bar), error summary,
inset text, and the phase banner for the service as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dash import html

from dashboard.components.attributes import extra
from dashboard.components.govuk import inset_text, optional_id

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
        **extra({"aria-labelledby": title_id}),
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


def data_unavailable(cannot: str = "", *, id: str = "data-unavailable") -> html.Div:
    """The error a page shows when the store cannot be read: "The figures could not be loaded".

    ``cannot`` says what the page cannot do without it ("show the scorecard"); it is optional.
    """
    consequence = f", so it cannot {cannot}" if cannot else ""
    return html.Div(
        [
            html.H2("The figures could not be loaded", className="app-heading-m app-error-summary__title"),
            html.P(
                f"The dashboard could not read its data store{consequence}. Try again in a few minutes. If "
                "this "
                "keeps happening, tell the person who looks after the dashboard.",
                className="app-body",
            ),
        ],
        className="app-error-summary",
        role="alert",
        id=id,
    )


def ignored_settings(
    ignored: Sequence[tuple[str, str]],
    *,
    page: str = "page",
    outcome: str = "so they have been ignored",
    id: str | None = None,
) -> html.Div:
    """The note that a link carried settings the page does not recognise, naming each one."""
    described = "; ".join(f"{name} \u201c{value}\u201d" for name, value in ignored)
    return inset_text(
        html.P(
            f"This link included settings the {page} does not recognise ({described}), {outcome}.",
            className="app-body",
            **optional_id(id),
        )
    )


def page_or_unavailable(
    build: Callable[[], list], *, title: str, cannot: str, id: str, class_name: str
) -> html.Div:
    """A page's content from ``build``, or, when the store cannot be read, its heading ``title`` and the
    :func:`data_unavailable` error saying what it ``cannot`` do; either way in the page's ``class_name``."""
    from dashboard import data_access

    try:
        children = build()
    except data_access.DataUnavailable:
        children = [html.H1(title, className="app-heading-xl"), data_unavailable(cannot, id=id)]
    return html.Div(children, className=class_name)
