"""The page shell: skip link, header, service navigation, the main region and the footer.

GOV.UK Design System patterns (skip link, header, service navigation, footer), in the dashboard's own
``app-`` classes so a council can restyle them. Navigation links only to pages that exist and that the
signed-in user may use (the shell is built afresh for every page load, so it follows whoever is signed in),
and uses ordinary links (a full page load), so every page arrives with its own title and the focus at the
top.
"""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, dcc, html

from dashboard import auth, csrf, data_access, routes, sign_in
from dashboard.components.attributes import extra
from dashboard.routes import NAVIGATION, SERVICE_NAME
from data.access import User

AREA_NAME = "Cambridgeshire and Peterborough"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


NAV_LINK = "nav-link"
NAV_ITEM = "nav-item"


def navigation_entries(user: User | None = None) -> list[tuple[str, str]]:
    """The navigation entries whose pages exist and that ``user`` (default: whoever makes this request)
    may use."""
    user = user if user is not None else auth.current_user()
    registered = {page["path"] for page in dash.page_registry.values()}
    return [(label, path) for label, path in NAVIGATION if path in registered and routes.may_use(user, path)]


def _nav_id(kind: str, path: str) -> dict:
    """A navigation link's or item's id; pattern-matching, as the links shown differ from user to user."""
    return {"type": kind, "page": path.strip("/").replace("/", "-") or "scorecard"}


def skip_link() -> html.A:
    return html.A("Skip to main content", href="#main-content", className="app-skip-link", id="skip-link")


def header(entries: list[tuple[str, str]]) -> list:
    return [
        html.Header(
            html.Div(
                [
                    html.A(
                        SERVICE_NAME, href=routes.href(routes.SCORECARD), className="app-header__service-name"
                    ),
                    html.Span(AREA_NAME, className="app-header__area"),
                    account(),
                ],
                className="app-width-container app-header__container",
            ),
            className="app-header",
        ),
        html.Nav(
            html.Div(
                html.Ul(
                    [
                        html.Li(
                            html.A(
                                label,
                                href=routes.href(path),
                                id=_nav_id(NAV_LINK, path),
                                className="app-service-navigation__link",
                            ),
                            id=_nav_id(NAV_ITEM, path),
                            className="app-service-navigation__item",
                        )
                        for label, path in entries
                    ],
                    className="app-service-navigation__list",
                ),
                className="app-width-container",
            ),
            className="app-service-navigation",
            id="service-navigation",
            **extra({"aria-label": "Menu"}),
        ),
    ]


def account() -> html.Div | None:
    """Who is signed in, with a sign-out button (a plain form, so it works however the page is built); or a
    "Sign in" link for someone reading a public dashboard."""
    if not auth.is_signed_in():
        if not auth.is_public():
            return None
        return html.Div(
            html.A("Sign in", href=dash.get_relative_path(sign_in.SIGN_IN), className="app-header__link"),
            className="app-header__account",
            id="header-account",
        )
    user = auth.current_user()
    role = ", ".join(sorted(user.roles))
    return html.Div(
        html.Form(
            [
                html.Span(f"Signed in as {user.name} ({role})", id="header-signed-in-as"),
                dcc.Input(type="hidden", name=csrf.FIELD, value=csrf.token(), id="sign-out-token"),
                html.Button("Sign out", type="submit", className="app-header__button", id="sign-out-button"),
            ],
            method="post",
            action=dash.get_relative_path(sign_in.SIGN_OUT),
            className="app-header__account-form",
        ),
        className="app-header__account",
        id="header-account",
    )


def footer(show_illustrative_note: bool = True) -> html.Footer:
    notes = [
        html.P(
            [
                html.Strong("Data: "),
                (
                    "OHID Fingertips (Office for Health Improvement and Disparities); Department for "
                    "Education "
                    "(DfE); Department for Work and Pensions (DWP); Youth Justice Board; boundaries from the "
                    "Office "
                    "for National Statistics (ONS). "
                ),
                html.A(
                    "About the data sources",
                    href=routes.href(routes.DATA_SOURCES),
                    className="app-footer__link",
                ),
                ".",
            ],
            className="app-footer__text",
        ),
        html.P(
            [
                html.Strong("Boundaries: "),
                (
                    "Source: Office for National Statistics licensed under the Open Government Licence "
                    "v.3.0. "
                    "Contains OS data © Crown copyright and database right 2024."
                ),
            ],
            className="app-footer__text",
        ),
    ]
    if show_illustrative_note:
        notes.append(
            html.P(
                [
                    html.Strong("Provider KPI figures are illustrative: "),
                    (
                        "no provider returns are published, so figures for Cambridgeshire Community Services "
                        "NHS "
                        "Trust key performance indicators are made up to show how monitoring works. They are "
                        "not "
                        "real provider data and are marked \u201cillustrative\u201d wherever they appear."
                    ),
                ],
                className="app-footer__text",
                id="footer-illustrative-note",
            )
        )
    return html.Footer(
        html.Div(
            [
                html.H2("Support links", className="app-visually-hidden"),
                html.Ul(
                    [
                        html.Li(
                            html.A(
                                "Accessibility statement",
                                href=routes.href(routes.ACCESSIBILITY),
                                className="app-footer__link",
                            ),
                            className="app-footer__inline-item",
                        ),
                        html.Li(
                            html.A(
                                "Data sources",
                                href=routes.href(routes.DATA_SOURCES),
                                className="app-footer__link",
                            ),
                            className="app-footer__inline-item",
                        ),
                    ],
                    className="app-footer__inline-list",
                ),
                *notes,
                html.P(
                    [
                        "Contains public sector information licensed under the ",
                        html.A(
                            "Open Government Licence v3.0",
                            href=OGL_URL,
                            className="app-footer__link",
                            rel="license",
                        ),
                        ".",
                    ],
                    className="app-footer__text app-footer__licence",
                ),
            ],
            className="app-width-container",
        ),
        className="app-footer",
        id="footer",
    )


def shell() -> html.Div:
    """The whole page around ``dash.page_container``."""
    entries = navigation_entries()
    return html.Div(
        [
            skip_link(),
            *header(entries),
            html.Div(
                html.Main(
                    dash.page_container, id="main-content", className="app-main-wrapper", tabIndex="-1"
                ),
                className="app-width-container",
            ),
            footer(data_access.has_illustrative_indicators()),
        ],
        className="app-template",
    )


def register_navigation_callback(app: dash.Dash) -> None:
    """Mark the current page's navigation link (``aria-current="page"``, and bold) in the browser
    (``assets/navigation.js``); each link's own ``href`` says which page it is for, and the callback takes
    whichever links this user's navigation holds."""
    app.clientside_callback(
        ClientsideFunction(namespace="navigation", function_name="markCurrent"),
        Output({"type": NAV_LINK, "page": ALL}, "aria-current"),
        Output({"type": NAV_ITEM, "page": ALL}, "className"),
        Input("_pages_location", "pathname"),
        State({"type": NAV_LINK, "page": ALL}, "href"),
    )
