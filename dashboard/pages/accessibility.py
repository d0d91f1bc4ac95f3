"""Accessibility statement, in the structure of the GOV.UK model accessibility statement.

Keep it honest: update the known limitations, the testing and the dates whenever the dashboard changes.
Where readers report problems comes from ``KPI_CONTACT_EMAIL`` (see :func:`dashboard.create_app`).
"""

from __future__ import annotations

import dash
from dash import html
from flask import current_app, has_app_context

from dashboard import routes
from dashboard.routes import SERVICE_NAME

TITLE = routes.TITLES[routes.ACCESSIBILITY]
PREPARED = "23 November 2026"
LAST_REVIEWED = "23 November 2026"
LAST_TESTED = "23 November 2026"

dash.register_page(
    __name__,
    path=routes.ACCESSIBILITY,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="How accessible the Healthy Child Programme outcomes dashboard is, its known limitations, "
    "and "
    "how to report a problem.",
    order=4,
)

KNOWN_LIMITATIONS = (
    "the dashboard needs JavaScript: without it, pages show only a message asking you to turn it on",
    (
        "each page builds its content in the browser, so a screen reader may announce the page a moment "
        "before "
        "its content is ready"
    ),
    (
        "when printed, status colours appear only if the browser is set to print background colours; the "
        "words "
        "and shapes of every status always print"
    ),
    (
        "indicator names and definitions are quoted from their source publications (OHID Fingertips, the "
        "Department for Education and others) and framework titles from the committee papers, so some use "
        "technical terms and abbreviations such as \u201cNEET\u201d"
    ),
)

NON_COMPLIANCES = (
    (
        "The dashboard has not yet been tested with screen readers (JAWS, NVDA or VoiceOver) or speech "
        "recognition software, so there may be failures we do not know about, for example in how content "
        "that appears after the page loads is announced (WCAG 2.2 success criterion 4.1.3, status messages)."
    ),
)


def _contact() -> list:
    email = current_app.config.get("KPI_CONTACT_EMAIL") if has_app_context() else None
    if email:
        return [html.A(email, href=f"mailto:{email}", className="app-link")]
    return ["the public health team that gave you access to this dashboard"]


def _p(*children) -> html.P:
    return html.P(list(children), className="app-body")


def _h2(text: str, id: str) -> html.H2:
    return html.H2(text, className="app-heading-l", id=id)


def _h3(text: str) -> html.H3:
    return html.H3(text, className="app-heading-m")


def layout(**_query) -> html.Div:
    contact = _contact()
    return html.Div(
        [
            html.H1(f"{TITLE} for {SERVICE_NAME}", className="app-heading-xl"),
            _p(
                "This accessibility statement applies to the Healthy Child Programme outcomes dashboard for "
                "Cambridgeshire and Peterborough, which reports outcomes for children, young people and "
                "families "
                "to the commissioners of the 0-19 Healthy Child Programme (health visiting and school "
                "nursing)."
            ),
            _p(
                "We want as many people as possible to be able to use this dashboard. For example, that "
                "means you "
                "should be able to:"
            ),
            html.Ul(
                [
                    html.Li("change colours, contrast levels and fonts using browser or device settings"),
                    html.Li("zoom in up to 400% without the text spilling off the screen"),
                    html.Li("navigate the whole dashboard using just a keyboard"),
                    html.Li("read every status in words, not only by its colour, with a shape as well"),
                    html.Li("use a colour-blind-safe set of colours for target statuses"),
                    html.Li("read figures in tables with column and row headers"),
                ],
                className="app-list",
            ),
            _p("We\u2019ve also made the text as simple as possible to understand."),
            _p(
                html.A("AbilityNet", href="https://mcmw.abilitynet.org.uk/"),
                " has advice on making your device easier to use if you have a disability.",
            ),
            _h2("How accessible this dashboard is", "how-accessible"),
            _p("We know some parts of this dashboard are not fully accessible:"),
            html.Ul([html.Li(item) for item in KNOWN_LIMITATIONS], className="app-list"),
            _h2("Feedback and contact information", "feedback"),
            _p(
                "If you need information on this dashboard in a different format, like accessible PDF, large "
                "print, "
                "easy read, audio recording or braille, contact ",
                *contact,
                ".",
            ),
            _p("We\u2019ll consider your request and get back to you."),
            _h2("Reporting accessibility problems with this dashboard", "reporting"),
            _p(
                "We\u2019re always looking to improve the accessibility of this dashboard. If you find any "
                "problems "
                "not listed on this page or think we\u2019re not meeting accessibility requirements, contact "
                "",
                *contact,
                ".",
            ),
            _h2("Enforcement procedure", "enforcement"),
            _p(
                "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
                "Sector "
                "Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "
                "\u2018accessibility regulations\u2019). If you\u2019re not happy with how we respond to "
                "your "
                "complaint, ",
                html.A(
                    "contact the Equality Advisory and Support Service (EASS)",
                    href="https://www.equalityadvisoryservice.com/",
                ),
                ".",
            ),
            _h2("Technical information about this dashboard\u2019s accessibility", "technical"),
            _p(
                "The councils are committed to making this dashboard accessible, in accordance with the "
                "Public "
                "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018."
            ),
            _h3("Compliance status"),
            _p(
                "This dashboard is partially compliant with the ",
                html.A(
                    "Web Content Accessibility Guidelines version 2.2", href="https://www.w3.org/TR/WCAG22/"
                ),
                " AA standard, due to the non-compliances listed below.",
            ),
            _h2("Non-accessible content", "non-accessible"),
            _p("The content listed below is non-accessible for the following reasons."),
            _h3("Non-compliance with the accessibility regulations"),
            *(_p(item) for item in NON_COMPLIANCES),
            _p(
                "We will update this statement when the dashboard has been tested with assistive "
                "technologies."
            ),
            _h3("Disproportionate burden"),
            _p(
                "We are not claiming that fixing any accessibility problem would be a disproportionate "
                "burden."
            ),
            _h3("Content that\u2019s not within the scope of the accessibility regulations"),
            _p(
                "Websites this dashboard links to, such as OHID Fingertips and the Office for National "
                "Statistics, are not covered by this statement."
            ),
            _h2("What we\u2019re doing to improve accessibility", "improving"),
            _p(
                "Every page is checked automatically against WCAG 2.2 A and AA (with the axe-core checker) "
                "and "
                "with keyboard-only journeys whenever the dashboard changes. Every status tag is checked to "
                "have "
                "text contrast of at least 4.5:1 against its colour. Testing with screen reader users is "
                "still to "
                "be done."
            ),
            _h2("Preparation of this accessibility statement", "preparation"),
            _p(f"This statement was prepared on {PREPARED}. It was last reviewed on {LAST_REVIEWED}."),
            _p(
                f"This dashboard was last tested on {LAST_TESTED} against the WCAG 2.2 AA standard. The test "
                "covered every page, using automated checks, keyboard-only navigation, and views at 1280 "
                "pixels "
                "wide and at projector size (1920 by 1080 pixels)."
            ),
        ],
        className="app-page app-page--accessibility app-readable",
    )
